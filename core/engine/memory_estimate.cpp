#include "engine/memory_estimate.h"

#include <algorithm>

namespace leopard {

namespace {

// Linear layer [out, in] with an optional bias [out].
int64_t linear(int64_t in, int64_t out, bool bias) { return in * out + (bias ? out : 0); }

}  // namespace

ParameterCount countParameters(const ModelConfig& c) {
    const VisionConfig& v = c.vision;
    const TextConfig& t = c.text;
    ParameterCount n;

    // SigLIP (engine/vision.h): patch conv [D, C, P, P] + bias, position
    // embedding [N, D]; per layer q/k/v/out [D, D] + bias, two LayerNorms
    // (weight + bias), fc1 [I, D] + bias, fc2 [D, I] + bias; post_layernorm.
    const int64_t dv = v.hidden_size;
    const int64_t visionLayer = 4 * linear(dv, dv, true) + 2 * (2 * dv) + linear(dv, v.intermediate_size, true) +
                                linear(v.intermediate_size, dv, true);
    n.vision = dv * v.num_channels * v.patch_size * v.patch_size + dv + v.numPatches() * dv +
               v.num_hidden_layers * visionLayer + 2 * dv;

    // Projector (engine/projector.h): linear_1 [Dt, f²·Dv] + bias, linear_2 [Dt, Dt] + bias.
    const int64_t dt = t.hidden_size;
    n.projector = linear(c.projectorInputSize(), dt, true) + linear(dt, dt, true);

    // LLaMA (engine/decoder.h): q [H·hd, Dt], k/v [Hkv·hd, Dt], o [Dt, H·hd],
    // no biases; two RMSNorm weights; gate/up [I, Dt], down [Dt, I]; final norm.
    const int64_t qWidth = t.num_attention_heads * t.head_dim;
    const int64_t kvWidth = t.num_key_value_heads * t.head_dim;
    const int64_t decoderLayer = linear(dt, qWidth, false) + 2 * linear(dt, kvWidth, false) +
                                 linear(qWidth, dt, false) + 2 * dt + 3 * linear(dt, t.intermediate_size, false);
    n.decoder = t.num_hidden_layers * decoderLayer + dt;
    n.embedding = t.vocab_size * dt;
    n.lmHead = t.tie_word_embeddings ? 0 : linear(dt, t.vocab_size, false);
    return n;
}

int64_t kvCacheBytes(const TextConfig& t, int64_t tokens, int64_t elementSize) {
    return t.num_hidden_layers * 2 * t.num_key_value_heads * t.head_dim * tokens * elementSize;
}

int64_t visionTileActivationBytes(const VisionConfig& v, int64_t elementSize) {
    const int64_t n = v.numPatches();
    const int64_t scores = v.num_attention_heads * n * n * 4 * 3;   // fp32 scores, probabilities, a cast copy
    const int64_t activations = n * std::max(v.intermediate_size, 4 * v.hidden_size) * elementSize * 6;
    return scores + activations;
}

int64_t prefillActivationBytes(const TextConfig& t, int64_t tokens, int64_t elementSize) {
    const int64_t heads = t.num_attention_heads, kvHeads = t.num_key_value_heads;
    // Per position: the residual stream, its normed copy, the attention and
    // MLP outputs (4 × Dt); q, k, v and their rotated copies; the attention
    // output; gate, up and their product (3 × I); RMSNorm's fp32 copies.
    const int64_t perToken =
        (4 * t.hidden_size + 2 * (heads + 2 * kvHeads) * t.head_dim + heads * t.head_dim + 3 * t.intermediate_size) *
            elementSize +
        2 * t.hidden_size * 4;
    // Attention: fp32 scores, probabilities and a cast copy for one chunk of
    // query rows [Hkv, min(group · T, chunk), T], and the causal mask
    // [group · T, T] of bools.
    const int64_t group = heads / std::max<int64_t>(kvHeads, 1);
    const int64_t rows = std::min(group * tokens, kAttentionQueryChunk);
    const int64_t attention = std::max<int64_t>(kvHeads, 1) * rows * tokens * 4 * 3 + group * tokens * tokens;
    // Logits of the last position, in the compute dtype and as f32.
    const int64_t logits = t.vocab_size * (elementSize + 4);
    return tokens * perToken + attention + logits;
}

InferenceMemory estimateInferenceMemory(const ModelConfig& c, const InferenceShape& s) {
    InferenceMemory m;
    m.weightBytes = countParameters(c).total() * s.weightElementSize;
    m.kvCacheBytes = kvCacheBytes(c.text, s.contextTokens, s.computeElementSize);
    // Kept for the whole question: normalized f32 pixels of every tile and
    // their projected features [tiles, K, Dt].
    const VisionConfig& v = c.vision;
    const int64_t pixels = s.tiles * v.num_channels * v.image_size * v.image_size * 4;
    const int64_t features = s.tiles * c.tokensPerTile() * c.text.hidden_size * s.computeElementSize;
    const int64_t vision = s.tiles > 0 ? visionTileActivationBytes(v, s.computeElementSize) : 0;
    const int64_t prefill =
        s.contextTokens > 0 ? prefillActivationBytes(c.text, s.contextTokens, s.computeElementSize) : 0;
    m.activationBytes = pixels + features + std::max(vision, prefill);
    return m;
}

}  // namespace leopard
