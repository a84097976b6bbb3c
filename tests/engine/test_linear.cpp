// linearForward's one-row fast paths (layers.h): the f32 and bf16 decode-row
// kernels (cpu_gemv.h) give what LibTorch's linear gives; rows with gradients
// keep the differentiable op.
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

TEST_CASE("cpuGemv: matches the exact product for odd shapes and agrees with linear", "[linear]") {
    torch::manual_seed(13);
    for (auto dtype : {torch::kBFloat16, torch::kFloat}) {
    // K below, between and not a multiple of 32 and 128 exercises every tail.
    for (auto [n, k] : {std::pair<int64_t, int64_t>{1, 1}, {5, 31}, {7, 33}, {130, 2048}, {4099, 96}, {3, 161}}) {
        const auto w = torch::randn({n, k}).to(dtype);
        const auto x = torch::randn({k}).to(dtype);
        const bool bf16 = dtype == torch::kBFloat16;
        INFO((bf16 ? "bf16" : "f32") << " n " << n << " k " << k);
        if (!leopard::cpuGemvSupported(w, x)) {
            // Without the CPU feature the layer falls back to linear / mv: still checked.
            CHECK_FALSE((bf16 ? leopard::cpuFeatures().avx512_bf16 : leopard::cpuFeatures().avx512f));
            CHECK(torch::allclose(leopard::linearForward(x.unsqueeze(0), w).to(torch::kDouble),
                                  exactProduct(w, x).unsqueeze(0), 2e-2, 2e-2 * std::sqrt(double(k))));
            continue;
        }
        const auto y = leopard::cpuGemv(w, x);
        REQUIRE(y.scalar_type() == dtype);
        REQUIRE(y.size(0) == n);
        // f32 sums of exact products; bf16: one rounding to bf16 (relative 2^-8).
        const auto exact = exactProduct(w, x);
        const auto tol = bf16 ? exact.abs() * (1.0 / 128) + 1e-3 * std::sqrt(double(k)) : exact.abs() * 1e-5 + 1e-5 * std::sqrt(double(k));
        CHECK((y.to(torch::kDouble) - exact).abs().le(tol).all().item<bool>());
        // Through the layer: the same numbers as the kernel, and close to linear.
        const auto viaLayer = leopard::linearForward(x.view({1, k}), w);
        CHECK(torch::equal(viaLayer.view({n}), y));
        CHECK(torch::allclose(viaLayer.to(torch::kFloat), torch::linear(x.view({1, k}), w).to(torch::kFloat), 2e-2,
                              2e-2 * std::sqrt(double(k))));
    }
    }
}

TEST_CASE("cpuGemv: not offered for other dtypes, non-contiguous or mismatched operands", "[linear]") {
    const auto w = torch::randn({8, 64}).to(torch::kBFloat16);
    const auto x = torch::randn({64}).to(torch::kBFloat16);
    CHECK_FALSE(leopard::cpuGemvSupported(w.to(torch::kDouble), x.to(torch::kDouble)));
    CHECK_FALSE(leopard::cpuGemvSupported(w, x.to(torch::kFloat)));
    CHECK_FALSE(leopard::cpuGemvSupported(w.t(), torch::randn({8}).to(torch::kBFloat16)));
    CHECK_FALSE(leopard::cpuGemvSupported(w, torch::randn({63}).to(torch::kBFloat16)));
    CHECK(leopard::cpuGemvSupported(w, x) == leopard::cpuFeatures().avx512_bf16);
    CHECK(leopard::cpuGemvSupported(w.to(torch::kFloat), x.to(torch::kFloat)) == leopard::cpuFeatures().avx512f);
}
