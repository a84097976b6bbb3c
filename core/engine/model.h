// The Leopard-LLaVA model (LEOPARD.md §2, §4): SigLIP vision tower, pixel
// shuffle projector and LLaMA decoder, with the splicing of image features
// into the token embeddings. LeopardModel holds the read-only weights; all
// per-conversation state (KV cache, token history, sampler) lives in
// InferenceSession (engine/session.h), so one loaded model serves many
// conversations.
//
//   auto model = leopard::LeopardModel::load(dir, {device, dtype, progress});
//   auto feats = model->encodeImages(pixels, {});   // [tiles, K, hidden]
//   auto emb = model->embedWithImages(ids, feats);  // [T_expanded, hidden]
//   auto logits = model->logits(model->decode(emb, 0, nullptr));
//
// named_parameters() of net() are exactly the released checkpoint names
// ("vision_tower.vision_model.…", "multi_modal_projector.…",
// "language_model.model.…", "language_model.lm_head.weight" unless tied).
// Parameters are created with requires_grad=false; training turns it on.
//
// Thread-safety: after loading, all const members may be called from several
// threads at once (they only read the weights). Inference callers should hold
// a torch::NoGradGuard (the session and the CLI do).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "engine/config.h"
#include "engine/decoder.h"
#include "engine/layers.h"
#include "engine/projector.h"
#include "engine/safetensors.h"
#include "engine/vision.h"
#include "util/progress.h"

namespace leopard {

// The module tree: "vision_tower", "multi_modal_projector", "language_model".
class LeopardNetImpl : public torch::nn::Module {
public:
    LeopardNetImpl(const ModelConfig& c, const TensorPlacement& p);
    VisionTower vision_tower{nullptr};
    Projector multi_modal_projector{nullptr};
    LanguageModel language_model{nullptr};
};
TORCH_MODULE(LeopardNet);

// Tensors of `net` under their released names, made contiguous on the CPU
// (converted to `dtype` when given): what a model.safetensors holds.
NamedTensors namedWeights(const LeopardNet& net, std::optional<c10::ScalarType> dtype = std::nullopt);

struct ModelLoadOptions {
    c10::Device device = c10::Device(c10::kCPU);
    c10::ScalarType dtype = c10::kFloat;
    ProgressCallback progress;   // stage "loading", per tensor; returning false cancels
};

struct EncodeOptions {
    int64_t maxBatch = 0;        // tiles per vision batch; 0: sized from available memory
    ProgressCallback progress;   // stage "encoding", done/total in tiles
    const CancelToken* cancel = nullptr;   // checked between batches
};

class LeopardModel {
public:
    // Reads config.json (+ generation_config.json) and the weights of a model
    // folder, in any layout engine/checkpoint.h accepts. Throws InputError
    // naming the file and reason, CancelledError when progress says stop.
    static std::shared_ptr<LeopardModel> load(const std::filesystem::path& dir, const ModelLoadOptions& options);

    // Parameters allocated (torch::empty) but not filled: load weights into
    // net() or call initializeRandom().
    static std::shared_ptr<LeopardModel> create(const ModelConfig& config, const TensorPlacement& placement);

    // N(0, std²) weights, unit norms, zero biases; deterministic per seed.
    void initializeRandom(uint64_t seed, float std = 0.02f);

    const ModelConfig& config() const { return config_; }
    const TensorPlacement& placement() const { return placement_; }
    LeopardNet& net() { return net_; }
    const LeopardNet& net() const { return net_; }
    int64_t parameterBytes() const;

    // pixels [N, C, S, S] (f32, normalized) → vision last hidden state [N, P, Dv]
    torch::Tensor encodeVision(const torch::Tensor& pixels) const;
    // vision hidden [N, P, Dv] → image features [N, K, Dt], K = tokensPerTile()
    torch::Tensor project(const torch::Tensor& vision) const;
    // Both, in batches sized to the memory available, with progress and
    // cancellation between batches.
    torch::Tensor encodeImages(const torch::Tensor& pixels, const EncodeOptions& options) const;
    // The batch size encodeImages picks when options.maxBatch is 0.
    int64_t autoVisionBatch() const;

    // Token embeddings [T_expanded, Dt] for ids, each image_token_index
    // replaced by the next tile of `features` [n, K, Dt] (n = number of
    // placeholders). Throws InputError when counts disagree or an id is
    // outside the embedding matrix.
    torch::Tensor embedWithImages(const std::vector<int64_t>& ids, const torch::Tensor& features) const;
    // Length of the expanded sequence for ids.
    int64_t expandedLength(const std::vector<int64_t>& ids) const;
    int64_t countImageTokens(const std::vector<int64_t>& ids) const;

    // Decoder over embeds [T, Dt] at positions [start, start+T): normed hidden
    // [T, Dt]. With a cache (start == cache->length()), appends to it.
    torch::Tensor decode(const torch::Tensor& embeds, int64_t start, KVCache* cache) const;
    // hidden [T, Dt] → logits [T, V] in placement().computeDtype().
    torch::Tensor logits(const torch::Tensor& hidden) const;

private:
    LeopardModel(ModelConfig config, TensorPlacement placement);
    ModelConfig config_;
    TensorPlacement placement_;
    LeopardNet net_{nullptr};
};

}  // namespace leopard
