// One conversation with a loaded model: the KV cache and the token history,
// prefix reuse across turns, and generation (LEOPARD.md §4, §5). The model's
// weights are shared read-only; every conversation has its own session.
//
//   auto model = LeopardModel::load(dir, {});
//   InferenceSession session(model);
//   auto tiles = pixelTiles(model, pixels, {});            // encodes on demand
//   GenerationOptions opt;
//   opt.onToken = [&](int64_t id) { std::cout << detok(id); return true; };
//   GenerationResult r = session.generate(ids, tiles, opt);
//   // next turn: ids2 = ids + answer + <|eot_id|> + user header + question…
//   session.generate(ids2, tiles, opt);   // only the new suffix is computed,
//                                          // no image is encoded again
//
// Tiles are numbered over the whole conversation: the k-th image placeholder
// of `ids` (0-based) is tile k, whatever turn it belongs to.
//
// Thread-safety: a session is used by one thread at a time; several sessions
// may run on one model concurrently. cancel tokens may be set from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "engine/kv_cache.h"
#include "engine/model.h"
#include "engine/sampler.h"
#include "util/progress.h"

namespace leopard {

// Features of tiles [first, first+count) of the conversation: [count, K, hidden].
using TileFeatureFn = std::function<torch::Tensor(int64_t first, int64_t count)>;

// A TileFeatureFn that encodes rows of `pixels` [N, C, S, S] with
// model->encodeImages (adaptive batches, progress, cancellation).
TileFeatureFn pixelTiles(std::shared_ptr<const LeopardModel> model, torch::Tensor pixels, EncodeOptions options);

enum class StopReason { StopToken, MaxTokens, Callback, Cancelled };
const char* stopReasonName(StopReason r);

struct GenerationOptions {
    int64_t maxNewTokens = 0;           // 0: generation_config.json's, else 128 (the reference)
    SamplingOptions sampling;           // greedy by default
    std::vector<int64_t> stopIds;       // in addition to the config's eos ids
    bool useConfigStopIds = true;
    std::function<bool(int64_t id)> onToken;   // each generated id but the stop id; false stops
    const CancelToken* cancel = nullptr;       // checked between tokens
    ProgressCallback progress;                 // prefill stages ("prefill")
};

struct GenerationResult {
    std::vector<int64_t> tokens;   // generated ids, the stop id included when one ended it
    StopReason reason = StopReason::MaxTokens;
    double prefillSeconds = 0;
    int64_t prefillPositions = 0;   // expanded positions computed (not reused) by the prefill
    int64_t reusedPositions = 0;    // positions taken from the cache
    double decodeSeconds = 0;
    int64_t decodeTokens = 0;       // tokens fed back through the decoder
    double decodeTokensPerSecond() const { return decodeSeconds > 0 ? decodeTokens / decodeSeconds : 0; }
};

class InferenceSession {
public:
    explicit InferenceSession(std::shared_ptr<const LeopardModel> model);

    // Brings the cache to `ids` (non-empty) reusing the longest common prefix
    // with what is cached, and returns the logits [V] (f32) after the last id.
    // `tiles` is called once, for the placeholders in the uncached suffix only.
    torch::Tensor prefill(const std::vector<int64_t>& ids, const TileFeatureFn& tiles,
                          const ProgressCallback& progress = {});

    // prefill(ids) then decoding until a stop id, max tokens, the callback or
    // the cancel token says stop.
    GenerationResult generate(const std::vector<int64_t>& ids, const TileFeatureFn& tiles,
                              const GenerationOptions& options);

    // Forgets the conversation (keeps the cache storage for reuse).
    void reset();

    const LeopardModel& model() const { return *model_; }
    // Ids whose keys/values are in the cache, in order.
    const std::vector<int64_t>& cachedTokens() const { return tokens_; }
    int64_t cachedPositions() const { return cache_.length(); }
    // Tiles requested from TileFeatureFns over the session's life.
    int64_t tilesEncoded() const { return tilesEncoded_; }
    const KVCache& cache() const { return cache_; }

private:
    // Runs ids (appended after the cache) through the decoder; logits of the last.
    torch::Tensor extend(const std::vector<int64_t>& ids, const torch::Tensor& features);

    std::shared_ptr<const LeopardModel> model_;
    KVCache cache_;
    std::vector<int64_t> tokens_;
    std::vector<int64_t> ends_;   // ends_[i]: cache positions covered through tokens_[i]
    int64_t tilesEncoded_ = 0;
    int64_t lastPrefillPositions_ = 0, lastReusedPositions_ = 0;
};

}  // namespace leopard
