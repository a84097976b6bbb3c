#include "engine/vision.h"

#include <cmath>

namespace leopard {

PatchConvImpl::PatchConvImpl(const VisionConfig& c, const TensorPlacement& p)
    : stride(c.patch_size), computeDtype(p.computeDtype()) {
    weight = register_parameter("weight", torch::empty({c.hidden_size, c.num_channels, c.patch_size, c.patch_size},
                                                       p.options()), false);
    bias = register_parameter("bias", torch::empty({c.hidden_size}, p.options()), false);
}

torch::Tensor PatchConvImpl::forward(const torch::Tensor& pixels) const {
    // Kernel = stride, so the convolution is one matrix product over the
    // unfolded patches; unlike conv2d it runs in every dtype on the CPU
    // (LibTorch 1.13 has no f16 CPU convolution).
    const int64_t b = pixels.size(0), c = pixels.size(1), g = pixels.size(2) / stride;
    const auto patches = pixels.to(computeDtype)
                             .view({b, c, g, stride, g, stride})
                             .permute({0, 2, 4, 1, 3, 5})
                             .reshape({b, g * g, c * stride * stride});   // [B, N, C·P·P], row-major over the grid
    return torch::linear(patches, asComputeDtype(weight, patches).view({weight.size(0), -1}),
                         asComputeDtype(bias, patches));
}

SiglipEmbeddingsImpl::SiglipEmbeddingsImpl(const VisionConfig& c, const TensorPlacement& p) {
    patch_embedding = register_module("patch_embedding", PatchConv(c, p));
    position_embedding = register_module("position_embedding", Embedding(c.numPatches(), c.hidden_size, p));
}

torch::Tensor SiglipEmbeddingsImpl::forward(const torch::Tensor& pixels) const {
    const auto patches = patch_embedding->forward(pixels);                      // [B, N, D]
    return patches + asComputeDtype(position_embedding->weight, patches);   // + [N, D]
}

SiglipAttentionImpl::SiglipAttentionImpl(const VisionConfig& c, const TensorPlacement& p)
    : heads(c.num_attention_heads), headDim(c.headDim()) {
    q_proj = register_module("q_proj", Linear(c.hidden_size, c.hidden_size, true, p));
    k_proj = register_module("k_proj", Linear(c.hidden_size, c.hidden_size, true, p));
    v_proj = register_module("v_proj", Linear(c.hidden_size, c.hidden_size, true, p));
    out_proj = register_module("out_proj", Linear(c.hidden_size, c.hidden_size, true, p));
}

torch::Tensor SiglipAttentionImpl::forward(const torch::Tensor& x) const {
    const int64_t b = x.size(0), n = x.size(1);
    auto split = [&](const torch::Tensor& t) { return t.view({b, n, heads, headDim}).transpose(1, 2); };   // [B, H, N, hd]
    const auto q = split(q_proj->forward(x));
    const auto k = split(k_proj->forward(x));
    const auto v = split(v_proj->forward(x));
    const auto o = attention(q, k, v, 1.0 / std::sqrt(static_cast<double>(headDim)), /*causalOffset=*/-1);
    return out_proj->forward(o.transpose(1, 2).reshape({b, n, heads * headDim}));
}

SiglipMlpImpl::SiglipMlpImpl(const VisionConfig& c, const TensorPlacement& p)
    : act(parseActivation(c.hidden_act, "vision_config.hidden_act")) {
    fc1 = register_module("fc1", Linear(c.hidden_size, c.intermediate_size, true, p));
    fc2 = register_module("fc2", Linear(c.intermediate_size, c.hidden_size, true, p));
}

torch::Tensor SiglipMlpImpl::forward(const torch::Tensor& x) const {
    return fc2->forward(applyActivation(act, fc1->forward(x)));
}

SiglipEncoderLayerImpl::SiglipEncoderLayerImpl(const VisionConfig& c, const TensorPlacement& p) {
    self_attn = register_module("self_attn", SiglipAttention(c, p));
    layer_norm1 = register_module("layer_norm1", LayerNorm(c.hidden_size, c.layer_norm_eps, p));
    mlp = register_module("mlp", SiglipMlp(c, p));
    layer_norm2 = register_module("layer_norm2", LayerNorm(c.hidden_size, c.layer_norm_eps, p));
}

torch::Tensor SiglipEncoderLayerImpl::forward(const torch::Tensor& x) const {
    auto h = x + self_attn->forward(layer_norm1->forward(x));
    return h + mlp->forward(layer_norm2->forward(h));
}

SiglipVisionModelImpl::SiglipVisionModelImpl(const VisionConfig& c, const TensorPlacement& p) {
    embeddings = register_module("embeddings", SiglipEmbeddings(c, p));
    auto encoder = register_module("encoder", std::make_shared<torch::nn::Module>());
    auto list = encoder->register_module("layers", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.num_hidden_layers; ++i) {
        layers.push_back(SiglipEncoderLayer(c, p));
        list->push_back(layers.back());
    }
    post_layernorm = register_module("post_layernorm", LayerNorm(c.hidden_size, c.layer_norm_eps, p));
}

torch::Tensor SiglipVisionModelImpl::forward(const torch::Tensor& pixels) const {
    auto h = embeddings->forward(pixels);   // [B, N, D]
    for (const auto& layer : layers) h = layer->forward(h);
    return post_layernorm->forward(h);
}

VisionTowerImpl::VisionTowerImpl(const VisionConfig& c, const TensorPlacement& p) {
    vision_model = register_module("vision_model", SiglipVisionModel(c, p));
}

}  // namespace leopard
