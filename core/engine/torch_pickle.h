// Reading and writing torch.save state-dict archives (`pytorch_model.bin`,
// `pytorch_model-0000k-of-0000n.bin`): a zip of `<top>/data.pkl` (a pickled
// OrderedDict of name → tensor) and one `<top>/data/<key>` record of raw
// little-endian bytes per storage. The zip is read and written with
// LibTorch's PyTorchStreamReader/Writer; the pickle is read by the restricted
// unpickler (engine/restricted_unpickler.h), which never executes anything.
//
//   leopard::TorchCheckpointFile f("pytorch_model-00001-of-00002.bin");
//   for (const auto& name : f.names()) use(f.tensor(name));
//   leopard::writeTorchCheckpoint("pytorch_model.bin", {{"w", w}});
//
// Thread-safety: TorchCheckpointFile's const members may be called from
// several threads (LibTorch's reader locks around each record read).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/restricted_unpickler.h"
#include "engine/safetensors.h"  // TensorInfo, NamedTensors

namespace caffe2::serialize {
class PyTorchStreamReader;
}

namespace leopard {

class TorchCheckpointFile {
public:
    // Opens the archive and reads its pickle (tensor data is read on demand).
    // Throws InputError naming the file when it is missing, not a zip archive
    // (e.g. truncated, or the pre-1.6 torch.save format), or when its pickle
    // is anything but a state dict.
    explicit TorchCheckpointFile(const std::filesystem::path& path);
    ~TorchCheckpointFile();

    const std::filesystem::path& path() const { return path_; }
    std::vector<std::string> names() const;  // in the pickle's order
    bool contains(const std::string& name) const;
    TensorInfo info(const std::string& name) const;

    // Reads the tensor's storage record and returns the tensor viewing it
    // (CPU, the file's dtype). Throws InputError for an unknown name, a
    // missing record or a record smaller than its storage.
    torch::Tensor tensor(const std::string& name) const;

private:
    const PickledTensor& entry(const std::string& name) const;

    std::filesystem::path path_;
    std::shared_ptr<caffe2::serialize::PyTorchStreamReader> reader_;
    std::vector<PickledTensor> tensors_;
    std::map<std::string, size_t> index_;
};

// All tensors of a torch.save state-dict archive, in the file's order.
NamedTensors readTorchCheckpoint(const std::filesystem::path& path);

// Writes the tensors as torch.save does for a state dict (pickle protocol 2
// of an OrderedDict, one storage record per tensor), atomically. Throws
// InputError for duplicate names or an unsupported dtype.
void writeTorchCheckpoint(const std::filesystem::path& path, const NamedTensors& tensors);

}  // namespace leopard
