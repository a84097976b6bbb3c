// Data parallelism across processes with LibTorch's c10d (the existing
// engine, not a home-made one): a Gloo process group over a FileStore
// rendezvous on CPU. Every process computes the gradients of its share of
// the batch; allReduceSum() adds them (and the loss / token counts) so that
// all processes apply the same update.
//
// Debian's libtorch 1.13 exports c10d::ProcessGroupGloo and FileStore from
// libtorch_cpu.so; the Gloo headers come from Debian's libgloo-dev. NCCL is
// not built into Debian's CPU libtorch, so GPU machines would need a CUDA
// libtorch and ProcessGroupNCCL here.
//
//   auto group = DataParallel::create({rank, worldSize, "/tmp/rdzv"});
//   group->allReduceSum(grads);   // in place
//
// Thread-safety: one thread uses a DataParallel at a time.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

namespace leopard::training {

struct DistributedOptions {
    int rank = 0;
    int worldSize = 1;
    std::filesystem::path rendezvousFile;   // shared by all processes; removed by rank 0 at the end
    // Reads RANK, WORLD_SIZE and LEOPARD_RENDEZVOUS (a file path) where set.
    static DistributedOptions fromEnvironment();
};

class DataParallel {
public:
    // worldSize 1: no group, every call is a no-op. Throws InputError for a
    // rank outside [0, worldSize) or a missing rendezvous file path.
    static std::unique_ptr<DataParallel> create(const DistributedOptions& options);
    virtual ~DataParallel() = default;
    virtual int rank() const = 0;
    virtual int worldSize() const = 0;
    // Sums the tensors element-wise over all processes, in place.
    virtual void allReduceSum(std::vector<torch::Tensor>& tensors) = 0;
    // Waits until every process got here.
    virtual void barrier() = 0;
};

}  // namespace leopard::training
