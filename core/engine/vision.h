// SigLIP vision tower (LEOPARD.md §2): convolutional patch embedding plus a
// learned position embedding, pre-LN transformer layers (attention with bias,
// fp32 softmax, tanh-GELU MLP), and a final post_layernorm. The output is the
// last hidden state; the SigLIP pooling head is not part of the model.
//
// Submodules carry the checkpoint's names, so under the top model this tower
// yields "vision_tower.vision_model.embeddings.patch_embedding.weight",
// "vision_tower.vision_model.encoder.layers.{i}.self_attn.q_proj.weight", …
//
// Thread-safety: forward() is const and reads the weights only.
#pragma once

#include <vector>

#include "engine/config.h"
#include "engine/layers.h"

namespace leopard {

// Conv2d with kernel = stride = patch size (checkpoint layout): one embedding per patch.
class PatchConvImpl : public torch::nn::Module {
public:
    PatchConvImpl(const VisionConfig& c, const TensorPlacement& p);
    torch::Tensor forward(const torch::Tensor& pixels) const;   // [B, C, S, S] → [B, N, D]
    torch::Tensor weight;   // [D, C, P, P]
    torch::Tensor bias;     // [D]
    int64_t stride;
    c10::ScalarType computeDtype;
};
TORCH_MODULE(PatchConv);

class SiglipEmbeddingsImpl : public torch::nn::Module {
public:
    SiglipEmbeddingsImpl(const VisionConfig& c, const TensorPlacement& p);
    torch::Tensor forward(const torch::Tensor& pixels) const;   // [B, C, S, S] → [B, N, D]
    PatchConv patch_embedding{nullptr};
    Embedding position_embedding{nullptr};   // [N, D]
};
TORCH_MODULE(SiglipEmbeddings);

class SiglipAttentionImpl : public torch::nn::Module {
public:
    SiglipAttentionImpl(const VisionConfig& c, const TensorPlacement& p);
    torch::Tensor forward(const torch::Tensor& x) const;   // [B, N, D] → [B, N, D]
    Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, out_proj{nullptr};   // [D, D] + bias
    int64_t heads, headDim;
};
TORCH_MODULE(SiglipAttention);

class SiglipMlpImpl : public torch::nn::Module {
public:
    SiglipMlpImpl(const VisionConfig& c, const TensorPlacement& p);
    torch::Tensor forward(const torch::Tensor& x) const;
    Linear fc1{nullptr};   // [I, D]
    Linear fc2{nullptr};   // [D, I]
    Activation act;
};
TORCH_MODULE(SiglipMlp);

class SiglipEncoderLayerImpl : public torch::nn::Module {
public:
    SiglipEncoderLayerImpl(const VisionConfig& c, const TensorPlacement& p);
    torch::Tensor forward(const torch::Tensor& x) const;   // [B, N, D]
    SiglipAttention self_attn{nullptr};
    LayerNorm layer_norm1{nullptr};
    SiglipMlp mlp{nullptr};
    LayerNorm layer_norm2{nullptr};
};
TORCH_MODULE(SiglipEncoderLayer);

class SiglipVisionModelImpl : public torch::nn::Module {
public:
    SiglipVisionModelImpl(const VisionConfig& c, const TensorPlacement& p);
    torch::Tensor forward(const torch::Tensor& pixels) const;   // [B, C, S, S] → [B, N, D]
    SiglipEmbeddings embeddings{nullptr};
    std::vector<SiglipEncoderLayer> layers;   // registered as encoder.layers.{i}
    LayerNorm post_layernorm{nullptr};
};
TORCH_MODULE(SiglipVisionModel);

// "vision_tower" → "vision_model": the nesting of the released names.
class VisionTowerImpl : public torch::nn::Module {
public:
    VisionTowerImpl(const VisionConfig& c, const TensorPlacement& p);
    // pixels [B, C, S, S] (any float dtype) → last hidden state [B, N, D] in the weights' dtype.
    torch::Tensor forward(const torch::Tensor& pixels) const { return vision_model->forward(pixels); }
    SiglipVisionModel vision_model{nullptr};
};
TORCH_MODULE(VisionTower);

}  // namespace leopard
