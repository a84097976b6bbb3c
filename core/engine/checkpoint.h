// The weights of a model folder, whatever their layout, under one naming.
//
// Finds, in this order: `model.safetensors.index.json` (sharded safetensors),
// `model.safetensors`, `pytorch_model.bin.index.json` (the released
// `pytorch_model-0000k-of-0000n.bin` shards), `pytorch_model.bin`. Tensor
// names of both schemes are mapped to the RELEASED naming, which is the
// engine's canonical one (LEOPARD.md §6):
//   model.vision_tower.X          → vision_tower.X
//   model.multi_modal_projector.X → multi_modal_projector.X
//   model.language_model.X        → language_model.model.X
//   lm_head.X                     → language_model.lm_head.X
//
// loadInto() is strict: every destination must be present with its shape,
// and tensors nobody asked for are an error, except the unused SigLIP
// pooling head (`vision_tower.vision_model.head.*`) and what the caller's
// `ignore` predicate skips (e.g. lm_head when embeddings are tied).
//
//   leopard::Checkpoint ckpt(modelDir);
//   leopard::LoadOptions opt;
//   opt.dtype = torch::kBFloat16;
//   opt.progress = [](const leopard::Progress& p) { return !stop; };
//   ckpt.loadInto(*model, opt);   // model registers params under released names
//
// Memory: safetensors shards are memory-mapped; each tensor's pages are
// given back once it is copied, so loading peaks near one copy of the
// weights. A half checkpoint is never widened to fp32 as a whole.
//
// Thread-safety: const members may be called from several threads; one
// loadInto at a time per destination.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

#include "engine/safetensors.h"
#include "util/progress.h"

namespace leopard {

// The released (canonical) name for a tensor name of either scheme.
std::string releasedTensorName(const std::string& name);

struct LoadOptions {
    // Unset: each destination keeps its device / dtype and the data is
    // converted into it. Set: destinations are replaced by tensors on this
    // device / of this dtype (the module's parameters keep their identity).
    std::optional<c10::Device> device;
    std::optional<c10::ScalarType> dtype;
    // Called before each tensor with stage "loading", detail = tensor name;
    // returning false cancels (CancelledError).
    ProgressCallback progress;
    // Checkpoint tensors (released names) to skip quietly, e.g. lm_head
    // for a model with tied embeddings.
    std::function<bool(const std::string&)> ignore;
};

class Checkpoint {
public:
    // Opens every weight file of the folder and reads their headers (no
    // tensor data). Throws InputError naming the folder or file: missing
    // folder, no weight files, an index naming a missing shard or a tensor
    // its shard lacks, the same tensor twice, or a corrupt file.
    explicit Checkpoint(const std::filesystem::path& folder);
    ~Checkpoint();
    Checkpoint(Checkpoint&&) noexcept;
    Checkpoint& operator=(Checkpoint&&) noexcept;

    const std::filesystem::path& folder() const { return folder_; }
    // "safetensors" or "pytorch".
    const std::string& format() const { return format_; }
    std::vector<std::filesystem::path> files() const;
    uint64_t totalFileBytes() const;

    // Released names, sorted.
    std::vector<std::string> names() const;
    bool contains(const std::string& name) const;
    TensorInfo info(const std::string& name) const;
    // The file that holds `name`.
    std::filesystem::path fileOf(const std::string& name) const;
    // CPU tensor in the file's dtype (a zero-copy view for safetensors).
    torch::Tensor tensor(const std::string& name) const;

    // Copies the checkpoint into the named destinations (released names).
    // Checks every name and shape before copying anything; throws
    // InputError listing missing / unexpected tensors or the first wrong
    // shape, CancelledError when the progress callback says stop.
    void loadInto(const std::vector<std::pair<std::string, torch::Tensor*>>& targets,
                  const LoadOptions& options = {}) const;
    // Same, with the module's named_parameters() as the destinations.
    void loadInto(torch::nn::Module& module, const LoadOptions& options = {}) const;

private:
    struct Shard;
    struct Entry {
        size_t shard = 0;
        std::string fileName;  // the name inside the file
    };
    const Entry& entry(const std::string& name) const;
    void addShard(const std::filesystem::path& path);
    void readIndex(const std::filesystem::path& index);
    // Pages of `name` are no longer needed (safetensors only).
    void release(const std::string& name) const;

    std::filesystem::path folder_;
    std::string format_;
    std::vector<std::unique_ptr<Shard>> shards_;
    std::map<std::string, Entry> entries_;  // released name → where
};

}  // namespace leopard
