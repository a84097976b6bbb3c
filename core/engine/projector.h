// Leopard's multimodal projector (LEOPARD.md §2): pixel shuffle of the SigLIP
// patch grid by a factor f (f² neighbouring patches concatenated along
// channels), then linear_1 → activation (exact erf GELU in the release) →
// linear_2. Registered as "multi_modal_projector.linear_{1,2}.{weight,bias}".
//
// Thread-safety: forward() is const and reads the weights only.
#pragma once

#include "engine/config.h"
#include "engine/layers.h"

namespace leopard {

// [B, G·G, C] → [B, (G/f)², f²·C]. Output token k = (G/f)·i + j holds the
// channel blocks of grid cells (fi, fj), (fi, fj+1), (fi+1, fj), (fi+1, fj+1)
// for f = 2 (reshape/permute order of the reference).
torch::Tensor pixelShuffle(const torch::Tensor& x, int64_t factor);

class ProjectorImpl : public torch::nn::Module {
public:
    ProjectorImpl(const ModelConfig& c, const TensorPlacement& p);
    // vision last hidden state [B, N, Dv] → image features [B, N/f², Dt]
    torch::Tensor forward(const torch::Tensor& vision) const;
    Linear linear_1{nullptr};   // [Dt, f²·Dv]
    Linear linear_2{nullptr};   // [Dt, Dt]
    Activation act;
    int64_t factor;
};
TORCH_MODULE(Projector);

}  // namespace leopard
