// Memory a question needs, worked out from a model's config alone (no
// weights read, no LibTorch): the weights (a parameter count from the
// config's dimensions), the KV cache for a context length, and the
// transient activations of vision encoding and of the decoder's prefill.
// The desktop app shows it before loading a model and before asking, so a
// user sees that a selection will not fit before trying it.
//
//   leopard::InferenceShape shape;
//   shape.weightElementSize = 2;          // bfloat16 weights
//   shape.computeElementSize = 2;
//   shape.tiles = 50;                     // global views included
//   shape.contextTokens = 50 * cfg.tokensPerTile() + 512;
//   leopard::InferenceMemory m = leopard::estimateInferenceMemory(cfg, shape);
//   m.total();   // bytes
//
// The weights figure is exact: countParameters() counts what
// LeopardModel::create allocates (a test compares them). The KV cache is
// its content (KVCache grows its buffers by doubling, so its capacity may be
// larger); activations are an upper estimate of the peak of one stage: the
// attention scores are counted as LibTorch 1.x materialises them (fp32
// scores, probabilities and a cast copy), which fused attention undercuts.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>

#include "engine/config.h"

namespace leopard {

// Parameters of each part of the model, as LeopardModel::create registers them.
struct ParameterCount {
    int64_t vision = 0;      // vision_tower: patch + position embedding, encoder layers, post_layernorm
    int64_t projector = 0;   // multi_modal_projector: linear_1, linear_2
    int64_t decoder = 0;     // language_model.model: layers and final norm (not the embedding)
    int64_t embedding = 0;   // language_model.model.embed_tokens
    int64_t lmHead = 0;      // language_model.lm_head; 0 when tie_word_embeddings
    int64_t total() const { return vision + projector + decoder + embedding + lmHead; }
};

ParameterCount countParameters(const ModelConfig& c);

// What a question is run with.
struct InferenceShape {
    int64_t weightElementSize = 4;   // bytes per parameter: the dtype the weights are held in
    int64_t computeElementSize = 4;  // bytes per activation and KV entry (f32 for f16 weights on the CPU)
    int64_t tiles = 0;               // vision tiles of the question, global views included
    int64_t contextTokens = 0;       // prompt positions (image features included) + answer tokens
};

struct InferenceMemory {
    int64_t weightBytes = 0;
    int64_t kvCacheBytes = 0;
    int64_t activationBytes = 0;
    int64_t total() const { return weightBytes + kvCacheBytes + activationBytes; }
};

// Without fused attention (LibTorch 1.x) attention() in layers.cpp
// materialises fp32 scores for at most this many query rows at a time (of
// the [kv heads, group · Tq, Tk] problem), so a long prefill holds
// [kv heads, chunk, Tk] scores instead of [heads, Tq, Tk]. Here because the
// estimate below must follow it.
inline constexpr int64_t kAttentionQueryChunk = 1024;

// layers × 2 (K and V) × kv heads × head dim × tokens × element size.
int64_t kvCacheBytes(const TextConfig& t, int64_t tokens, int64_t elementSize);

// Transient bytes encoding one tile takes (attention scores in fp32
// dominate); engine/memory.h visionBytesPerTile() sizes vision batches by it.
int64_t visionTileActivationBytes(const VisionConfig& v, int64_t elementSize);

// Peak transient bytes of one decoder layer running the prefill over
// `tokens` positions at once (the session prefills without chunking).
int64_t prefillActivationBytes(const TextConfig& t, int64_t tokens, int64_t elementSize);

// Weights + KV cache + activations. Activations are the pixels and projected
// features kept for the question, plus the larger of encoding one tile and
// the prefill over the whole context (vision runs before the prefill).
InferenceMemory estimateInferenceMemory(const ModelConfig& c, const InferenceShape& shape);

}  // namespace leopard
