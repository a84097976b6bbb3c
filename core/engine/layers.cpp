#include "engine/layers.h"

#include <torch/version.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "engine/cpu_attention.h"
#include "engine/cpu_gemv.h"
#include "engine/memory_estimate.h"
#include "util/errors.h"

namespace leopard {

Activation parseActivation(const std::string& name, const std::string& source) {
    if (name == "gelu_pytorch_tanh" || name == "gelu_new" || name == "gelu_fast") return Activation::GeluTanh;
    if (name == "gelu") return Activation::GeluErf;
    if (name == "silu" || name == "swish") return Activation::Silu;
    if (name == "relu") return Activation::Relu;
    throw InputError(source, "unsupported activation '" + name + "' (supported: gelu_pytorch_tanh, gelu, silu, relu)");
}

torch::Tensor applyActivation(Activation act, const torch::Tensor& x) {
    switch (act) {
        case Activation::GeluTanh: return torch::gelu(x, "tanh");
        case Activation::GeluErf: return torch::gelu(x);
        case Activation::Silu: return torch::silu(x);
        case Activation::Relu: return torch::relu(x);
    }
    return x;
}

LinearImpl::LinearImpl(int64_t in, int64_t out, bool withBias, const TensorPlacement& p) {
    weight = register_parameter("weight", torch::empty({out, in}, p.options()), /*requires_grad=*/false);
    if (withBias) bias = register_parameter("bias", torch::empty({out}, p.options()), false);
}

torch::Tensor linearForward(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
    const auto w = asComputeDtype(weight, x);
    const auto b = asComputeDtype(bias, x);
    const bool oneRow = x.is_cpu() && x.dim() >= 1 && x.numel() == x.size(-1) && !x.requires_grad() && !w.requires_grad();
    const auto row = oneRow ? x.reshape({-1}) : torch::Tensor();
    const bool kernel = oneRow && cpuGemvSupported(w, row);
    if (kernel || (oneRow && x.scalar_type() == torch::kFloat)) {
        auto y = kernel ? cpuGemv(w, row) : torch::mv(w, row);
        if (b.defined()) y = y + b;
        auto shape = x.sizes().vec();
        shape.back() = w.size(0);
        return y.view(shape);
    }
    return torch::linear(x, w, b);
}

torch::Tensor LinearImpl::forward(const torch::Tensor& x) const { return linearForward(x, weight, bias); }

LayerNormImpl::LayerNormImpl(int64_t dim, double eps_, const TensorPlacement& p) : eps(eps_) {
    weight = register_parameter("weight", torch::empty({dim}, p.options()), false);
    bias = register_parameter("bias", torch::empty({dim}, p.options()), false);
}

torch::Tensor LayerNormImpl::forward(const torch::Tensor& x) const {
    return torch::layer_norm(x, {weight.size(0)}, asComputeDtype(weight, x), asComputeDtype(bias, x), eps);
}

RMSNormImpl::RMSNormImpl(int64_t dim, double eps_, const TensorPlacement& p) : eps(eps_) {
    weight = register_parameter("weight", torch::empty({dim}, p.options()), false);
}

torch::Tensor RMSNormImpl::forward(const torch::Tensor& x) const {
    const auto xf = x.to(torch::kFloat);
    const auto normed = xf * torch::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps);
    return asComputeDtype(weight, x) * normed.to(x.scalar_type());
}

EmbeddingImpl::EmbeddingImpl(int64_t count, int64_t dim, const TensorPlacement& p) : computeDtype(p.computeDtype()) {
    weight = register_parameter("weight", torch::empty({count, dim}, p.options()), false);
}

torch::Tensor EmbeddingImpl::forward(const torch::Tensor& ids) const {
    return torch::embedding(weight, ids).to(computeDtype);
}

torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, double scale,
                        int64_t causalOffset, int64_t groupSize) {
    torch::Tensor allowed;   // [R·Tq, Tk] bool, true where a query may attend
    if (causalOffset >= 0) {
        const int64_t rows = q.size(-2), tq = rows / groupSize, tk = k.size(-2);
        const auto opts = torch::TensorOptions().dtype(torch::kLong).device(q.device());
        const auto qpos = torch::arange(tq, opts).add_(causalOffset).repeat({groupSize}).unsqueeze(1);
        allowed = torch::arange(tk, opts).unsqueeze(0).le(qpos);
        if (tq == 1 && tk == causalOffset + 1) allowed = torch::Tensor();   // one new token sees everything
    }
    // A decode step on the CPU (a few unmasked query rows): the fused kernel.
    if (!allowed.defined() && cpuDecodeAttentionSupported(q, k, v)) return cpuDecodeAttention(q, k, v, scale);
#if TORCH_VERSION_MAJOR >= 2
    // Fused kernels (flash / memory-efficient on CUDA, flash on CPU) accumulate
    // in fp32, matching the reference's fp32 softmax.
    return at::scaled_dot_product_attention(q, k, v, allowed.defined() ? c10::optional<at::Tensor>(allowed)
                                                                       : c10::optional<at::Tensor>(),
                                            0.0, false, scale);
#else
    // No fused attention in LibTorch 1.x: the scores are materialised. Query
    // rows go in chunks (softmax is per row, so the result is the same), so a
    // long prefill holds [.., chunk, Tk] scores, not [.., R·Tq, Tk] (for the
    // 8B model at 50 tiles that is ~0.8 GB instead of ~28 GB).
    const auto rowsOf = [&](const torch::Tensor& qRows, const torch::Tensor& allowedRows) {
        auto scores = torch::matmul(qRows, k.transpose(-1, -2)).to(torch::kFloat).mul_(scale);   // [.., rows, Tk]
        if (allowedRows.defined())
            scores.masked_fill_(allowedRows.logical_not(), -std::numeric_limits<float>::infinity());
        const auto probs = torch::softmax(scores, -1).to(q.scalar_type());
        return torch::matmul(probs, v);   // [.., rows, D]
    };
    const int64_t rows = q.size(-2);
    if (rows <= kAttentionQueryChunk) return rowsOf(q, allowed);
    std::vector<torch::Tensor> parts;
    for (int64_t r = 0; r < rows; r += kAttentionQueryChunk) {
        const int64_t n = std::min(kAttentionQueryChunk, rows - r);
        parts.push_back(rowsOf(q.narrow(-2, r, n), allowed.defined() ? allowed.narrow(0, r, n) : allowed));
    }
    return torch::cat(parts, -2);
#endif
}

void initializeParameters(torch::nn::Module& module, uint64_t seed, float std) {
    torch::NoGradGuard noGrad;
    auto gen = at::detail::createCPUGenerator(seed);
    bool seededGlobal = false;
    for (auto& item : module.named_parameters()) {
        const std::string& name = item.key();
        torch::Tensor& p = item.value();
        const bool isBias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
        if (isBias) {
            p.zero_();
        } else if (p.dim() == 1) {
            p.fill_(1.0);   // norm scales
        } else if (p.is_cpu()) {
            p.normal_(0.0, std, gen);
        } else {
            if (!seededGlobal) torch::manual_seed(seed);
            seededGlobal = true;
            p.normal_(0.0, std);
        }
    }
}

}  // namespace leopard
