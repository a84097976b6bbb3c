// linearForward's one-row fast paths (layers.h): an f32 decode row through
// gemv and a bf16 row through the AVX-512 BF16 kernel (cpu_gemv.h) give what
// LibTorch's linear gives; rows with gradients keep the differentiable op.
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include "engine/cpu_gemv.h"
#include "engine/layers.h"
#include "engine/runtime.h"

namespace {

// Σ_k w[n,k]·x[k] in f64 from the same (possibly bf16-rounded) values.
torch::Tensor exactProduct(const torch::Tensor& w, const torch::Tensor& x) {
    return torch::mv(w.to(torch::kDouble), x.reshape({-1}).to(torch::kDouble));
}

}  // namespace

TEST_CASE("linearForward: one f32 row equals linear, with bias and leading dims", "[linear]") {
    torch::manual_seed(11);
    const auto w = torch::randn({37, 53});
    const auto b = torch::randn({37});
    const auto x = torch::randn({1, 1, 53});
    const auto y = leopard::linearForward(x, w, b);
    REQUIRE(y.sizes() == torch::IntArrayRef({1, 1, 37}));
    CHECK(torch::allclose(y, torch::linear(x, w, b), 1e-5, 1e-5));
    // Several rows keep linear (and agree with a row-by-row product).
    const auto xs = torch::randn({3, 53});
    CHECK(torch::allclose(leopard::linearForward(xs, w), torch::linear(xs, w), 1e-5, 1e-5));
}

TEST_CASE("linearForward: a row that needs gradients gets them", "[linear]") {
    torch::manual_seed(12);
    auto w = torch::randn({8, 16}).requires_grad_(true);
    const auto x = torch::randn({1, 16});
    leopard::linearForward(x, w).sum().backward();
    REQUIRE(w.grad().defined());
    CHECK(torch::allclose(w.grad(), x.expand({8, 16})));
}

TEST_CASE("bf16Gemv: matches the exact product for odd shapes and agrees with linear", "[linear][bf16]") {
    torch::manual_seed(13);
    // K below, between and not a multiple of 32 and 128 exercises every tail.
    for (auto [n, k] : {std::pair<int64_t, int64_t>{1, 1}, {5, 31}, {7, 33}, {130, 2048}, {4099, 96}, {3, 161}}) {
        const auto w = torch::randn({n, k}).to(torch::kBFloat16);
        const auto x = torch::randn({k}).to(torch::kBFloat16);
        if (!leopard::bf16GemvSupported(w, x)) {
            // Without AVX-512 BF16 the layer falls back to linear: still checked.
            CHECK_FALSE(leopard::cpuFeatures().avx512_bf16);
            CHECK(torch::allclose(leopard::linearForward(x.unsqueeze(0), w).to(torch::kDouble),
                                  exactProduct(w, x).unsqueeze(0), 2e-2, 2e-2 * std::sqrt(double(k))));
            continue;
        }
        const auto y = leopard::bf16Gemv(w, x);
        REQUIRE(y.scalar_type() == torch::kBFloat16);
        REQUIRE(y.size(0) == n);
        // f32 sums of exact products, one rounding to bf16 (relative 2^-8).
        const auto exact = exactProduct(w, x);
        const auto tol = exact.abs() * (1.0 / 128) + 1e-3 * std::sqrt(double(k));
        CHECK((y.to(torch::kDouble) - exact).abs().le(tol).all().item<bool>());
        // Through the layer: the same numbers as the kernel, and close to linear.
        const auto viaLayer = leopard::linearForward(x.view({1, k}), w);
        CHECK(torch::equal(viaLayer.view({n}), y));
        CHECK(torch::allclose(viaLayer.to(torch::kFloat), torch::linear(x.view({1, k}), w).to(torch::kFloat), 2e-2,
                              2e-2 * std::sqrt(double(k))));
    }
}

TEST_CASE("bf16Gemv: not offered for f32, non-contiguous or mismatched operands", "[linear][bf16]") {
    const auto w = torch::randn({8, 64}).to(torch::kBFloat16);
    const auto x = torch::randn({64}).to(torch::kBFloat16);
    CHECK_FALSE(leopard::bf16GemvSupported(w.to(torch::kFloat), x.to(torch::kFloat)));
    CHECK_FALSE(leopard::bf16GemvSupported(w.t(), torch::randn({8}).to(torch::kBFloat16)));
    CHECK_FALSE(leopard::bf16GemvSupported(w, torch::randn({63}).to(torch::kBFloat16)));
    CHECK(leopard::bf16GemvSupported(w, x) == leopard::cpuFeatures().avx512_bf16);
}
