#include "engine/decoder.h"

#include <cmath>

#include "util/errors.h"

namespace leopard {

torch::Tensor ropeInverseFrequencies(const TextConfig& c) {
    const int64_t half = c.head_dim / 2;
    std::vector<float> inv(static_cast<size_t>(half));
    for (int64_t i = 0; i < half; ++i) {
        double f = 1.0 / std::pow(c.rope_theta, static_cast<double>(2 * i) / static_cast<double>(c.head_dim));
        if (c.rope_scaling) {
            // transformers `_compute_llama3_parameters`: long wavelengths are
            // divided by `factor`, short ones kept, the band between blended.
            const RopeScaling& s = *c.rope_scaling;
            const double oldContext = static_cast<double>(s.original_max_position_embeddings);
            const double lowFreqWavelen = oldContext / s.low_freq_factor;
            const double highFreqWavelen = oldContext / s.high_freq_factor;
            const double wavelen = 2.0 * M_PI / f;
            if (wavelen > lowFreqWavelen) {
                f = f / s.factor;
            } else if (wavelen >= highFreqWavelen) {
                const double smooth = (oldContext / wavelen - s.low_freq_factor) / (s.high_freq_factor - s.low_freq_factor);
                f = (1.0 - smooth) * f / s.factor + smooth * f;
            }
        }
        inv[static_cast<size_t>(i)] = static_cast<float>(f);
    }
    return torch::tensor(inv, torch::kFloat);
}

RotaryEmbedding::RotaryEmbedding(const TextConfig& c, c10::Device device)
    : invFreq_(ropeInverseFrequencies(c).to(device)) {}

std::pair<torch::Tensor, torch::Tensor> RotaryEmbedding::table(int64_t start, int64_t count,
                                                                 c10::ScalarType dtype) const {
    const auto pos = torch::arange(start, start + count, invFreq_.options());   // [T] f32
    const auto freqs = torch::outer(pos, invFreq_);                              // [T, hd/2]
    const auto emb = torch::cat({freqs, freqs}, -1);                             // [T, hd]
    return {emb.cos().to(dtype), emb.sin().to(dtype)};
}

namespace {

// x [heads, T, hd]: x·cos + rotate_half(x)·sin, rotate_half(x) = [-x2, x1].
torch::Tensor applyRope(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
    const int64_t half = x.size(-1) / 2;
    const auto rotated = torch::cat({x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)}, -1);
    return x * cos + rotated * sin;
}

}  // namespace

LlamaAttentionImpl::LlamaAttentionImpl(const TextConfig& c, const TensorPlacement& p)
    : heads(c.num_attention_heads), kvHeads(c.num_key_value_heads), headDim(c.head_dim) {
    q_proj = register_module("q_proj", Linear(c.hidden_size, heads * headDim, false, p));
    k_proj = register_module("k_proj", Linear(c.hidden_size, kvHeads * headDim, false, p));
    v_proj = register_module("v_proj", Linear(c.hidden_size, kvHeads * headDim, false, p));
    o_proj = register_module("o_proj", Linear(heads * headDim, c.hidden_size, false, p));
}

torch::Tensor LlamaAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                                          KVCache* cache, int64_t layer) const {
    const int64_t t = x.size(0), group = heads / kvHeads;
    const auto q = applyRope(q_proj->forward(x).view({t, heads, headDim}).transpose(0, 1), cos, sin);   // [H, T, hd]
    auto k = applyRope(k_proj->forward(x).view({t, kvHeads, headDim}).transpose(0, 1), cos, sin);       // [Hkv, T, hd]
    auto v = v_proj->forward(x).view({t, kvHeads, headDim}).transpose(0, 1);                           // [Hkv, T, hd]
    int64_t past = 0;
    if (cache) {
        past = cache->length();
        std::tie(k, v) = cache->append(layer, k, v);   // [Hkv, past+T, hd]
    }
    // Query heads h = j·group + r share KV head j: fold them into the rows.
    const auto qg = q.reshape({kvHeads, group * t, headDim});                                   // [Hkv, R·T, hd]
    const auto o = attention(qg, k, v, 1.0 / std::sqrt(static_cast<double>(headDim)), past, group);   // [Hkv, R·T, hd]
    return o_proj->forward(o.view({heads, t, headDim}).transpose(0, 1).reshape({t, heads * headDim}));
}

LlamaMlpImpl::LlamaMlpImpl(const TextConfig& c, const TensorPlacement& p)
    : act(parseActivation(c.hidden_act, "text_config.hidden_act")) {
    gate_proj = register_module("gate_proj", Linear(c.hidden_size, c.intermediate_size, false, p));
    up_proj = register_module("up_proj", Linear(c.hidden_size, c.intermediate_size, false, p));
    down_proj = register_module("down_proj", Linear(c.intermediate_size, c.hidden_size, false, p));
}

torch::Tensor LlamaMlpImpl::forward(const torch::Tensor& x) const {
    return down_proj->forward(applyActivation(act, gate_proj->forward(x)) * up_proj->forward(x));
}

LlamaDecoderLayerImpl::LlamaDecoderLayerImpl(const TextConfig& c, const TensorPlacement& p) {
    input_layernorm = register_module("input_layernorm", RMSNorm(c.hidden_size, c.rms_norm_eps, p));
    self_attn = register_module("self_attn", LlamaAttention(c, p));
    post_attention_layernorm = register_module("post_attention_layernorm", RMSNorm(c.hidden_size, c.rms_norm_eps, p));
    mlp = register_module("mlp", LlamaMlp(c, p));
}

torch::Tensor LlamaDecoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                                             KVCache* cache, int64_t layer) const {
    const auto h = x + self_attn->forward(input_layernorm->forward(x), cos, sin, cache, layer);
    return h + mlp->forward(post_attention_layernorm->forward(h));
}

LlamaModelImpl::LlamaModelImpl(const TextConfig& c, const TensorPlacement& p) : rope(c, p.device) {
    embed_tokens = register_module("embed_tokens", Embedding(c.vocab_size, c.hidden_size, p));
    auto list = register_module("layers", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.num_hidden_layers; ++i) {
        layers.push_back(LlamaDecoderLayer(c, p));
        list->push_back(layers.back());
    }
    norm = register_module("norm", RMSNorm(c.hidden_size, c.rms_norm_eps, p));
}

torch::Tensor LlamaModelImpl::forward(const torch::Tensor& embeds, int64_t start, KVCache* cache) const {
    if (cache && cache->length() != start) throw Error("decoder: start position differs from the KV cache length");
    const int64_t t = embeds.size(0);
    const auto [cos, sin] = rope.table(start, t, embeds.scalar_type());   // [T, hd]
    auto h = embeds;
    for (size_t i = 0; i < layers.size(); ++i) h = layers[i]->forward(h, cos, sin, cache, static_cast<int64_t>(i));
    if (cache) cache->advance(t);
    return norm->forward(h);
}

LanguageModelImpl::LanguageModelImpl(const TextConfig& c, const TensorPlacement& p) {
    model = register_module("model", LlamaModel(c, p));
    if (!c.tie_word_embeddings) lm_head = register_module("lm_head", Linear(c.hidden_size, c.vocab_size, false, p));
}

torch::Tensor LanguageModelImpl::logits(const torch::Tensor& hidden) const {
    return linearForward(hidden, lm_head ? lm_head->weight : model->embed_tokens->weight);
}

}  // namespace leopard
