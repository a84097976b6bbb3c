// Basic layers shared by the vision tower and the decoder. Unlike
// torch::nn::Linear & co. they allocate their parameters with torch::empty in
// the requested dtype and device and never run a random initializer: an 8B
// checkpoint must not pass through a transient fp32 copy. Parameters are
// filled by the checkpoint loader or by initializeRandom().
//
// Parameter names follow the checkpoint ("weight", "bias"), so a module tree
// built from these yields the released tensor names from named_parameters().
//
// Thread-safety: forward() is const and only reads the parameters, so one
// module may serve several threads once loaded.
#pragma once

#include <cstdint>
#include <string>

#include <torch/torch.h>

namespace leopard {

// Where and how parameters are allocated.
struct TensorPlacement {
    c10::Device device = c10::Device(c10::kCPU);
    c10::ScalarType dtype = c10::kFloat;
    torch::TensorOptions options() const { return torch::TensorOptions().device(device).dtype(dtype); }
    // The dtype activations are computed in: the weights' dtype, except f16
    // on the CPU, where LibTorch 1.13 has no f16 matrix product: those
    // weights stay f16 in memory and are widened one layer at a time.
    c10::ScalarType computeDtype() const {
        return device.is_cpu() && dtype == c10::kHalf ? c10::kFloat : dtype;
    }
};

// `weight` in the dtype of the activations `x` (a no-op unless computeDtype()
// differs from the storage dtype).
inline torch::Tensor asComputeDtype(const torch::Tensor& weight, const torch::Tensor& x) {
    return weight.defined() && weight.scalar_type() != x.scalar_type() ? weight.to(x.scalar_type()) : weight;
}

// x·Wᵀ + b in the dtype of x (weight and bias converted by asComputeDtype).
// One f32 row on the CPU (a decode step) goes through a matrix-vector
// product: LibTorch's linear runs sgemm there, which for a single row packs
// the whole weight matrix first (OpenBLAS before 0.3.27 has no gemv
// shortcut), several times slower than gemv, which streams it once
// (scripts/bench.sh's f32 decode figure shows the difference): the kernels
// in engine/cpu_gemv.h where the CPU has them (AVX-512F for f32, AVX-512
// BF16 for bf16), else LibTorch's mv for f32. Only when nothing requires a
// gradient (training keeps LibTorch's differentiable ops).
torch::Tensor linearForward(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias = {});

// Activation functions named as in transformers configs; the one place that
// maps names ("gelu_pytorch_tanh", "gelu", "silu", …) to math.
enum class Activation { GeluTanh, GeluErf, Silu, Relu };
// Throws InputError(source, …) for an unknown name.
Activation parseActivation(const std::string& name, const std::string& source);
torch::Tensor applyActivation(Activation act, const torch::Tensor& x);

class LinearImpl : public torch::nn::Module {
public:
    LinearImpl(int64_t in, int64_t out, bool bias, const TensorPlacement& p);
    torch::Tensor forward(const torch::Tensor& x) const;   // [..., in] → [..., out]
    torch::Tensor weight;   // [out, in]
    torch::Tensor bias;     // [out] or undefined
};
TORCH_MODULE(Linear);

class LayerNormImpl : public torch::nn::Module {
public:
    LayerNormImpl(int64_t dim, double eps, const TensorPlacement& p);
    torch::Tensor forward(const torch::Tensor& x) const;
    torch::Tensor weight, bias;   // [dim]
    double eps;
};
TORCH_MODULE(LayerNorm);

// LLaMA RMSNorm: normalised in fp32, cast back, then scaled by the weight
// (transformers LlamaRMSNorm order of operations).
class RMSNormImpl : public torch::nn::Module {
public:
    RMSNormImpl(int64_t dim, double eps, const TensorPlacement& p);
    torch::Tensor forward(const torch::Tensor& x) const;
    torch::Tensor weight;   // [dim]
    double eps;
};
TORCH_MODULE(RMSNorm);

class EmbeddingImpl : public torch::nn::Module {
public:
    EmbeddingImpl(int64_t count, int64_t dim, const TensorPlacement& p);
    torch::Tensor forward(const torch::Tensor& ids) const;   // [...] i64 → [..., dim] in the compute dtype
    torch::Tensor weight;   // [count, dim]
    c10::ScalarType computeDtype;
};
TORCH_MODULE(Embedding);

// Scaled dot-product attention, batched over leading dims.
//   q [..., Hkv, R·Tq, D] (R query heads share each KV head, grouped),
//   k, v [..., Hkv, Tk, D]. The softmax runs in fp32 (as the reference).
// causalOffset < 0: no mask (vision); ≥ 0: query row t (within its group)
// may see keys 0..causalOffset+t (decoder with `causalOffset` cached tokens).
torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, double scale,
                        int64_t causalOffset, int64_t groupSize = 1);

// Fills every parameter of `module` with N(0, std²), norm weights (1-D
// "weight" of a norm layer) with 1 and biases with 0. Deterministic for a
// seed; used by training from scratch and by `bench --random`.
void initializeParameters(torch::nn::Module& module, uint64_t seed, float std);

}  // namespace leopard
