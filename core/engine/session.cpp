#include "engine/session.h"

#include <algorithm>
#include <limits>

#include "util/errors.h"

namespace leopard {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

}  // namespace

TileFeatureFn pixelTiles(std::shared_ptr<const LeopardModel> model, torch::Tensor pixels, EncodeOptions options) {
    return [model = std::move(model), pixels = std::move(pixels), options = std::move(options)](int64_t first,
                                                                                                  int64_t count) {
        if (first < 0 || first + count > pixels.size(0))
            throw InputError("pixel_values", "the prompt has more image placeholders than the " +
                                                 std::to_string(pixels.size(0)) + " tiles given");
        return model->encodeImages(pixels.narrow(0, first, count), options);
    };
}

const char* stopReasonName(StopReason r) {
    switch (r) {
        case StopReason::StopToken: return "stop token";
        case StopReason::MaxTokens: return "max tokens";
        case StopReason::Callback: return "stopped by callback";
        case StopReason::Cancelled: return "cancelled";
    }
    return "?";
}

InferenceSession::InferenceSession(std::shared_ptr<const LeopardModel> model)
    : model_(std::move(model)), cache_(model_->config().text.num_hidden_layers) {}

void InferenceSession::reset() {
    cache_.clear();
    tokens_.clear();
    ends_.clear();
}

torch::Tensor InferenceSession::extend(const std::vector<int64_t>& ids, const torch::Tensor& features) {
    const auto embeds = model_->embedWithImages(ids, features);   // [T, hidden]
    const int64_t start = cache_.length();
    const int64_t limit = model_->config().text.max_position_embeddings;
    if (start + embeds.size(0) > limit)
        throw InputError("prompt", "needs " + std::to_string(start + embeds.size(0)) +
                                       " positions but the model's context is " + std::to_string(limit));
    const auto hidden = model_->decode(embeds, start, &cache_);
    const int64_t perTile = model_->config().tokensPerTile();
    int64_t end = start;
    for (int64_t id : ids) {
        end += id == model_->config().image_token_index ? perTile : 1;
        tokens_.push_back(id);
        ends_.push_back(end);
    }
    return model_->logits(hidden.narrow(0, hidden.size(0) - 1, 1))[0].to(torch::kFloat);   // [V]
}

torch::Tensor InferenceSession::prefill(const std::vector<int64_t>& ids, const TileFeatureFn& tiles,
                                        const ProgressCallback& progress) {
    if (ids.empty()) throw InputError("prompt", "no tokens to run");
    torch::NoGradGuard noGrad;
    size_t keep = 0;
    while (keep < tokens_.size() && keep < ids.size() && tokens_[keep] == ids[keep]) ++keep;
    keep = std::min(keep, ids.size() - 1);   // the last id is always run: its logits are needed
    const int64_t kept = keep > 0 ? ends_[keep - 1] : 0;
    cache_.truncate(kept);
    tokens_.resize(keep);
    ends_.resize(keep);

    const std::vector<int64_t> prefix(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(keep));
    const std::vector<int64_t> suffix(ids.begin() + static_cast<std::ptrdiff_t>(keep), ids.end());
    const int64_t firstTile = model_->countImageTokens(prefix);
    const int64_t tileCount = model_->countImageTokens(suffix);
    torch::Tensor features;
    if (tileCount > 0) {
        if (!tiles) throw InputError("prompt", "has image placeholders but no images were given");
        features = tiles(firstTile, tileCount);
        tilesEncoded_ += tileCount;
    }
    report(progress, {"prefill", 0, 1, {}});
    auto logits = extend(suffix, features);
    report(progress, {"prefill", 1, 1, {}});
    lastReusedPositions_ = kept;
    lastPrefillPositions_ = cache_.length() - kept;
    return logits;
}

GenerationResult InferenceSession::generate(const std::vector<int64_t>& ids, const TileFeatureFn& tiles,
                                            const GenerationOptions& options) {
    torch::NoGradGuard noGrad;
    const ModelConfig& cfg = model_->config();
    GenerationResult result;

    auto t0 = Clock::now();
    auto logits = prefill(ids, tiles, options.progress);
    result.prefillSeconds = secondsSince(t0);
    result.prefillPositions = lastPrefillPositions_;
    result.reusedPositions = lastReusedPositions_;

    std::vector<int64_t> stops = options.stopIds;
    if (options.useConfigStopIds)
        for (int64_t id : cfg.stopTokenIds()) stops.push_back(id);
    int64_t maxNew = options.maxNewTokens;
    if (maxNew <= 0) maxNew = cfg.generation && cfg.generation->max_new_tokens ? *cfg.generation->max_new_tokens : 128;

    Sampler sampler(options.sampling);
    std::vector<int64_t> history = ids;
    t0 = Clock::now();
    while (true) {
        // A generated placeholder would need an image that does not exist.
        logits[cfg.image_token_index] = -std::numeric_limits<float>::infinity();
        const int64_t id = sampler.next(logits, history);
        result.tokens.push_back(id);
        history.push_back(id);
        if (std::find(stops.begin(), stops.end(), id) != stops.end()) {
            result.reason = StopReason::StopToken;
            break;
        }
        if (options.onToken && !options.onToken(id)) {
            result.reason = StopReason::Callback;
            break;
        }
        if (static_cast<int64_t>(result.tokens.size()) >= maxNew) {
            result.reason = StopReason::MaxTokens;
            break;
        }
        if (options.cancel && options.cancel->cancelled()) {
            result.reason = StopReason::Cancelled;
            break;
        }
        logits = extend({id}, torch::Tensor());
        ++result.decodeTokens;
    }
    result.decodeSeconds = secondsSince(t0);
    return result;
}

}  // namespace leopard
