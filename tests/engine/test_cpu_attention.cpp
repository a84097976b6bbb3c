// The CPU decode-attention kernel (cpu_attention.h) against attention
// computed in f64 from the same values, over the shapes that exercise its
// tails (keys not a multiple of 16, head dims not a multiple of 16 or 64,
// rows not a multiple of 4) and the KV cache's strided views; and
// attention() in layers.h taking it for a decode step.
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include "engine/cpu_attention.h"
#include "engine/layers.h"
#include "engine/runtime.h"

namespace {

// softmax(q·kᵀ·scale)·v in f64, [H, R, D].
torch::Tensor reference(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, double scale) {
    const auto qd = q.to(torch::kDouble), kd = k.to(torch::kDouble), vd = v.to(torch::kDouble);
    return torch::matmul(torch::softmax(torch::matmul(qd, kd.transpose(-1, -2)) * scale, -1), vd);
}

bool haveKernel() {
    const auto probe = torch::zeros({1, 1, 16});
    return leopard::cpuDecodeAttentionSupported(probe, probe, probe);
}

}  // namespace

TEST_CASE("cpuDecodeAttention matches f64 attention over every tail, on strided cache views", "[cpu-attention]") {
    if (!haveKernel()) {
        CHECK_FALSE(leopard::cpuFeatures().avx512f);   // only CPUs without AVX-512 may skip
        return;
    }
    torch::manual_seed(21);
    for (auto dtype : {torch::kFloat, torch::kBFloat16}) {
        for (int64_t rows : {1, 4, 5}) {
            for (int64_t dim : {12, 16, 48, 64, 80, 128}) {
                for (int64_t keys : {1, 15, 16, 17, 100}) {
                    const int64_t heads = 3;
                    const auto q = torch::randn({heads, rows, dim}).to(dtype);
                    // As the KV cache hands them out: a prefix of a longer buffer.
                    const auto kBuf = torch::randn({heads, keys + 7, dim}).to(dtype);
                    const auto vBuf = torch::randn({heads, keys + 7, dim}).to(dtype);
                    const auto k = kBuf.narrow(1, 0, keys), v = vBuf.narrow(1, 0, keys);
                    REQUIRE_FALSE(k.is_contiguous());
                    const double scale = 1.0 / std::sqrt(static_cast<double>(dim));
                    REQUIRE(leopard::cpuDecodeAttentionSupported(q, k, v));
                    const auto out = leopard::cpuDecodeAttention(q, k, v, scale);
                    REQUIRE(out.scalar_type() == dtype);
                    REQUIRE(out.sizes() == torch::IntArrayRef({heads, rows, dim}));
                    const auto want = reference(q, k, v, scale);
                    // f32: accumulation order only; bf16: one rounding of the output.
                    const double tol = dtype == torch::kFloat ? 1e-5 : 8e-3;
                    INFO("dtype " << dtype << " rows " << rows << " dim " << dim << " keys " << keys);
                    CHECK((out.to(torch::kDouble) - want).abs().max().item<double>() <= tol * (1 + want.abs().max().item<double>()));
                }
            }
        }
    }
}

TEST_CASE("attention() takes the CPU kernel for a decode step and agrees with the masked path", "[cpu-attention]") {
    if (!haveKernel()) return;
    torch::manual_seed(22);
    // 2 KV heads, 3 query heads each, one new token after 40 cached ones.
    const int64_t group = 3, kv = 2, dim = 32, past = 40;
    const auto q = torch::randn({kv, group, dim});
    const auto k = torch::randn({kv, past + 1, dim}), v = torch::randn({kv, past + 1, dim});
    const auto viaKernel = leopard::attention(q, k, v, 0.2, past, group);
    CHECK(torch::equal(viaKernel, leopard::cpuDecodeAttention(q, k, v, 0.2)));   // the kernel's own bits
    CHECK(torch::allclose(viaKernel, reference(q, k, v, 0.2).to(torch::kFloat), 1e-5, 1e-5));
    // Two new tokens (a mask): LibTorch's path; its last row is the same step.
    const auto q2 = torch::randn({kv, group * 2, dim});
    const auto masked = leopard::attention(q2, k, v, 0.2, past - 1, group);
    const auto lastRows = q2.view({kv, group, 2, dim}).select(2, 1);   // [kv, group, dim]
    const auto viaKernel2 = leopard::cpuDecodeAttention(lastRows.contiguous(), k, v, 0.2);
    CHECK(torch::allclose(masked.view({kv, group, 2, dim}).select(2, 1), viaKernel2, 1e-5, 1e-5));
}

TEST_CASE("cpuDecodeAttentionSupported refuses what the kernel does not handle", "[cpu-attention]") {
    const auto q = torch::randn({2, 4, 16}), k = torch::randn({2, 9, 16});
    CHECK_FALSE(leopard::cpuDecodeAttentionSupported(q.to(torch::kDouble), k.to(torch::kDouble), k.to(torch::kDouble)));
    CHECK_FALSE(leopard::cpuDecodeAttentionSupported(q, k.to(torch::kBFloat16), k));          // mixed dtypes
    CHECK_FALSE(leopard::cpuDecodeAttentionSupported(q, k.transpose(1, 2).contiguous().transpose(1, 2), k));   // strided last dim
    CHECK_FALSE(leopard::cpuDecodeAttentionSupported(q, k.narrow(1, 0, 0), k.narrow(1, 0, 0)));   // no keys
    CHECK_FALSE(leopard::cpuDecodeAttentionSupported(torch::randn({2, 65, 16}), k, k));           // a prefill's rows
    CHECK_FALSE(leopard::cpuDecodeAttentionSupported(q.clone().requires_grad_(true), k, k));      // training
    CHECK_FALSE(leopard::cpuDecodeAttentionSupported(q.unsqueeze(0), k.unsqueeze(0), k.unsqueeze(0)));
}
