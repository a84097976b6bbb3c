#include "trainer/distributed.h"

#include <cstdlib>

// Debian's LibTorch ships the Gloo headers; a LibTorch without them (some
// pip wheels) still builds, with single-process training only.
#if __has_include(<gloo/algorithm.h>) && __has_include(<torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>)
#define LEOPARD_HAVE_GLOO 1
// USE_C10D_GLOO comes with LibTorch's CMake package (TORCH_CXX_FLAGS).
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#else
#define LEOPARD_HAVE_GLOO 0
#endif

#include "util/errors.h"

namespace leopard::training {

DistributedOptions DistributedOptions::fromEnvironment() {
    DistributedOptions o;
    if (const char* r = std::getenv("RANK")) o.rank = std::atoi(r);
    if (const char* w = std::getenv("WORLD_SIZE")) o.worldSize = std::atoi(w);
    if (const char* f = std::getenv("LEOPARD_RENDEZVOUS")) o.rendezvousFile = f;
    return o;
}

namespace {

class SingleProcess final : public DataParallel {
public:
    int rank() const override { return 0; }
    int worldSize() const override { return 1; }
    void allReduceSum(std::vector<torch::Tensor>&) override {}
    void barrier() override {}
};

#if LEOPARD_HAVE_GLOO
class GlooGroup final : public DataParallel {
public:
    explicit GlooGroup(const DistributedOptions& o) : rank_(o.rank), world_(o.worldSize) {
        auto store = c10::make_intrusive<c10d::FileStore>(o.rendezvousFile.string(), o.worldSize);
        auto options = c10d::ProcessGroupGloo::Options::create();
        options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        group_ = c10::make_intrusive<c10d::ProcessGroupGloo>(store, o.rank, o.worldSize, options);
    }
    int rank() const override { return rank_; }
    int worldSize() const override { return world_; }
    void allReduceSum(std::vector<torch::Tensor>& tensors) override {
        if (tensors.empty()) return;
        // One flat buffer: one collective per step instead of one per parameter.
        std::vector<torch::Tensor> flat{torch::cat(flatten(tensors))};
        group_->allreduce(flat)->wait();
        int64_t offset = 0;
        for (auto& t : tensors) {
            t.copy_(flat[0].narrow(0, offset, t.numel()).view_as(t));
            offset += t.numel();
        }
    }
    void barrier() override { group_->barrier()->wait(); }

private:
    static std::vector<torch::Tensor> flatten(const std::vector<torch::Tensor>& ts) {
        std::vector<torch::Tensor> out;
        out.reserve(ts.size());
        for (const auto& t : ts) out.push_back(t.reshape({-1}).to(torch::kFloat));
        return out;
    }
    int rank_, world_;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group_;
};
#endif

}  // namespace

std::unique_ptr<DataParallel> DataParallel::create(const DistributedOptions& o) {
    if (o.worldSize < 1 || o.rank < 0 || o.rank >= o.worldSize)
        throw InputError("--rank", "rank " + std::to_string(o.rank) + " is outside world size " +
                                       std::to_string(o.worldSize));
    if (o.worldSize == 1) return std::make_unique<SingleProcess>();
    if (o.rendezvousFile.empty())
        throw InputError("--rendezvous", "a shared rendezvous file is needed for more than one process");
#if LEOPARD_HAVE_GLOO
    return std::make_unique<GlooGroup>(o);
#else
    throw InputError("--world-size", "this build's LibTorch has no Gloo headers: train with one process");
#endif
}

}  // namespace leopard::training
