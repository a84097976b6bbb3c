// LLaMA decoder (LEOPARD.md §2): token embedding, pre-norm layers with
// grouped-query attention and rotary position embeddings (rotate-half, with
// the "llama3" frequency scaling when configured), RMSNorm computed in fp32,
// SwiGLU MLP, final norm and the vocabulary projection (lm_head, or the
// embedding matrix when tie_word_embeddings).
//
// Registered as "language_model.model.{embed_tokens,layers.{i}.…,norm}" and
// "language_model.lm_head" (absent when tied). Works on one sequence at a
// time: hidden states are [T, hidden]; the KV cache holds the past.
//
// Thread-safety: forward() is const and reads the weights only; the KVCache
// passed in is the caller's (one per conversation).
#pragma once

#include <vector>

#include "engine/config.h"
#include "engine/kv_cache.h"
#include "engine/layers.h"

namespace leopard {

// Inverse frequencies of the rotary embedding, [head_dim/2] f32, with the
// llama3 rope_scaling applied when the config has it.
torch::Tensor ropeInverseFrequencies(const TextConfig& c);

// cos and sin tables for positions [start, start+count), each [count, head_dim].
class RotaryEmbedding {
public:
    RotaryEmbedding(const TextConfig& c, c10::Device device);
    std::pair<torch::Tensor, torch::Tensor> table(int64_t start, int64_t count, c10::ScalarType dtype) const;

private:
    torch::Tensor invFreq_;   // [head_dim/2] f32
};

class LlamaAttentionImpl : public torch::nn::Module {
public:
    LlamaAttentionImpl(const TextConfig& c, const TensorPlacement& p);
    // x [T, hidden]; cos/sin [T, hd]; cache null → causal attention over x alone.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                          KVCache* cache, int64_t layer) const;
    Linear q_proj{nullptr};   // [H·hd, hidden]
    Linear k_proj{nullptr};   // [Hkv·hd, hidden]
    Linear v_proj{nullptr};   // [Hkv·hd, hidden]
    Linear o_proj{nullptr};   // [hidden, H·hd]
    int64_t heads, kvHeads, headDim;
};
TORCH_MODULE(LlamaAttention);

class LlamaMlpImpl : public torch::nn::Module {
public:
    LlamaMlpImpl(const TextConfig& c, const TensorPlacement& p);
    torch::Tensor forward(const torch::Tensor& x) const;   // down(act(gate(x)) · up(x))
    Linear gate_proj{nullptr}, up_proj{nullptr};   // [I, hidden]
    Linear down_proj{nullptr};                     // [hidden, I]
    Activation act;
};
TORCH_MODULE(LlamaMlp);

class LlamaDecoderLayerImpl : public torch::nn::Module {
public:
    LlamaDecoderLayerImpl(const TextConfig& c, const TensorPlacement& p);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                          KVCache* cache, int64_t layer) const;
    RMSNorm input_layernorm{nullptr};
    LlamaAttention self_attn{nullptr};
    RMSNorm post_attention_layernorm{nullptr};
    LlamaMlp mlp{nullptr};
};
TORCH_MODULE(LlamaDecoderLayer);

// "language_model.model"
class LlamaModelImpl : public torch::nn::Module {
public:
    LlamaModelImpl(const TextConfig& c, const TensorPlacement& p);
    // embeds [T, hidden] at positions [start, start+T) → normed hidden [T, hidden].
    // With a cache, start must equal cache->length(); the cache advances by T.
    torch::Tensor forward(const torch::Tensor& embeds, int64_t start, KVCache* cache) const;
    Embedding embed_tokens{nullptr};   // [V, hidden]
    std::vector<LlamaDecoderLayer> layers;
    RMSNorm norm{nullptr};
    RotaryEmbedding rope;
};
TORCH_MODULE(LlamaModel);

// "language_model"
class LanguageModelImpl : public torch::nn::Module {
public:
    LanguageModelImpl(const TextConfig& c, const TensorPlacement& p);
    // hidden [T, hidden] → logits [T, V] in the compute dtype.
    torch::Tensor logits(const torch::Tensor& hidden) const;
    LlamaModel model{nullptr};
    Linear lm_head{nullptr};   // [V, hidden]; null when tied to embed_tokens
};
TORCH_MODULE(LanguageModel);

}  // namespace leopard
