#include "engine/model.h"

#include <algorithm>

#include "engine/memory.h"
#include "engine/checkpoint.h"
#include "util/errors.h"

namespace leopard {

LeopardNetImpl::LeopardNetImpl(const ModelConfig& c, const TensorPlacement& p) {
    vision_tower = register_module("vision_tower", VisionTower(c.vision, p));
    multi_modal_projector = register_module("multi_modal_projector", Projector(c, p));
    language_model = register_module("language_model", LanguageModel(c.text, p));
}

LeopardModel::LeopardModel(ModelConfig config, TensorPlacement placement)
    : config_(std::move(config)), placement_(placement), net_(LeopardNet(config_, placement_)) {}

std::shared_ptr<LeopardModel> LeopardModel::create(const ModelConfig& config, const TensorPlacement& placement) {
    return std::shared_ptr<LeopardModel>(new LeopardModel(config, placement));
}

std::shared_ptr<LeopardModel> LeopardModel::load(const std::filesystem::path& dir,
                                                 const ModelLoadOptions& options) {
    auto model = create(loadModelConfig(dir), {options.device, options.dtype});
    const Checkpoint checkpoint(dir);
    LoadOptions load;
    load.progress = options.progress;
    // Parameters already have the requested device and dtype: each tensor is
    // converted as it is copied in, never the checkpoint as a whole.
    if (model->config().text.tie_word_embeddings)
        load.ignore = [](const std::string& name) { return name == "language_model.lm_head.weight"; };
    torch::NoGradGuard noGrad;
    checkpoint.loadInto(*model->net_, load);
    return model;
}

NamedTensors namedWeights(const LeopardNet& net, std::optional<c10::ScalarType> dtype) {
    NamedTensors out;
    for (const auto& item : net->named_parameters()) {
        auto t = item.value().detach().to(torch::kCPU);
        if (dtype) t = t.to(*dtype);
        out.emplace_back(item.key(), t.contiguous());
    }
    return out;
}

void LeopardModel::initializeRandom(uint64_t seed, float std) { initializeParameters(*net_, seed, std); }

int64_t LeopardModel::parameterBytes() const {
    int64_t total = 0;
    for (const auto& p : net_->parameters()) total += p.numel() * static_cast<int64_t>(p.element_size());
    return total;
}

torch::Tensor LeopardModel::encodeVision(const torch::Tensor& pixels) const {
    const VisionConfig& v = config_.vision;
    if (pixels.dim() != 4 || pixels.size(1) != v.num_channels || pixels.size(2) != v.image_size ||
        pixels.size(3) != v.image_size)
        throw InputError("pixel_values", "expected [N, " + std::to_string(v.num_channels) + ", " +
                                             std::to_string(v.image_size) + ", " + std::to_string(v.image_size) +
                                             "], got " + c10::str(pixels.sizes()));
    return net_->vision_tower->forward(pixels.to(placement_.device));
}

torch::Tensor LeopardModel::project(const torch::Tensor& vision) const {
    return net_->multi_modal_projector->forward(vision);
}

int64_t LeopardModel::autoVisionBatch() const {
    // A quarter of what is free, so the decoder and the rest of the process
    // keep room; at least one tile.
    const int64_t perTile = visionBytesPerTile(config_.vision, c10::elementSize(placement_.dtype));
    const int64_t budget = availableMemoryBytes(placement_.device) / 4;
    return std::clamp<int64_t>(budget / std::max<int64_t>(perTile, 1), 1, 64);
}

torch::Tensor LeopardModel::encodeImages(const torch::Tensor& pixels, const EncodeOptions& options) const {
    torch::NoGradGuard noGrad;
    const int64_t n = pixels.size(0);
    const int64_t batch = options.maxBatch > 0 ? options.maxBatch : autoVisionBatch();
    std::vector<torch::Tensor> parts;
    report(options.progress, {"encoding", 0, n, {}});
    for (int64_t first = 0; first < n; first += batch) {
        if (options.cancel) options.cancel->throwIfCancelled();
        const int64_t count = std::min(batch, n - first);
        parts.push_back(project(encodeVision(pixels.narrow(0, first, count))));
        report(options.progress, {"encoding", first + count, n, {}});
    }
    if (parts.empty())
        return torch::empty({0, config_.tokensPerTile(), config_.text.hidden_size},
                            placement_.options().dtype(placement_.computeDtype()));
    return parts.size() == 1 ? parts.front() : torch::cat(parts, 0);
}

int64_t LeopardModel::countImageTokens(const std::vector<int64_t>& ids) const {
    return std::count(ids.begin(), ids.end(), config_.image_token_index);
}

int64_t LeopardModel::expandedLength(const std::vector<int64_t>& ids) const {
    return static_cast<int64_t>(ids.size()) + countImageTokens(ids) * (config_.tokensPerTile() - 1);
}

torch::Tensor LeopardModel::embedWithImages(const std::vector<int64_t>& ids, const torch::Tensor& features) const {
    const int64_t vocab = config_.text.vocab_size;
    for (int64_t id : ids)
        if (id < 0 || id >= vocab)
            throw InputError("input_ids", "token id " + std::to_string(id) + " is outside the embedding matrix (" +
                                              std::to_string(vocab) + " rows)");
    const int64_t tiles = countImageTokens(ids);
    const int64_t available = features.defined() ? features.size(0) : 0;
    if (tiles != available)
        throw InputError("input_ids", std::to_string(tiles) + " image placeholders but " + std::to_string(available) +
                                          " image tiles");
    const auto idTensor = torch::tensor(ids, torch::kLong).to(placement_.device);
    const auto tokens = net_->language_model->model->embed_tokens->forward(idTensor);   // [T, Dt]
    if (tiles == 0) return tokens;
    // Text runs and image tiles, in order.
    std::vector<torch::Tensor> pieces;
    int64_t runStart = 0, tile = 0;
    const auto feats = features.to(tokens.options());
    for (int64_t i = 0; i <= static_cast<int64_t>(ids.size()); ++i) {
        const bool end = i == static_cast<int64_t>(ids.size());
        if (!end && ids[static_cast<size_t>(i)] != config_.image_token_index) continue;
        if (i > runStart) pieces.push_back(tokens.narrow(0, runStart, i - runStart));
        if (!end) pieces.push_back(feats[tile++]);   // [K, Dt]
        runStart = i + 1;
    }
    return torch::cat(pieces, 0);
}

torch::Tensor LeopardModel::decode(const torch::Tensor& embeds, int64_t start, KVCache* cache) const {
    return net_->language_model->model->forward(embeds, start, cache);
}

torch::Tensor LeopardModel::logits(const torch::Tensor& hidden) const {
    return net_->language_model->logits(hidden);
}

}  // namespace leopard
