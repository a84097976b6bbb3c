// attention(): a long causal prefill (more query rows than one chunk of
// kAttentionQueryChunk) gives what the plain formula gives, with grouped
// query heads, and gradients flow through the chunks (training uses it).
#include <catch2/catch.hpp>

#include <limits>

#include <torch/torch.h>

#include "engine/layers.h"
#include "engine/memory_estimate.h"

namespace {

// softmax(q·kᵀ·scale + causal mask)·v over all rows at once, in f32.
torch::Tensor reference(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, double scale,
                        int64_t groupSize) {
    const int64_t rows = q.size(-2), tq = rows / groupSize, tk = k.size(-2);
    const auto qpos = torch::arange(tq, torch::kLong).repeat({groupSize}).unsqueeze(1);
    const auto allowed = torch::arange(tk, torch::kLong).unsqueeze(0).le(qpos);
    auto scores = torch::matmul(q, k.transpose(-1, -2)).mul(scale);
    scores = scores.masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
    return torch::matmul(torch::softmax(scores, -1), v);
}

}  // namespace

TEST_CASE("attention over more query rows than one chunk equals the unchunked formula", "[attention]") {
    torch::manual_seed(3);
    const int64_t kvHeads = 2, group = 2, tokens = leopard::kAttentionQueryChunk / group + 300, dim = 16;
    const auto q = torch::randn({kvHeads, group * tokens, dim});   // rows: group-major, as the decoder lays them
    const auto k = torch::randn({kvHeads, tokens, dim});
    const auto v = torch::randn({kvHeads, tokens, dim});
    REQUIRE(q.size(-2) > leopard::kAttentionQueryChunk);
    const double scale = 1.0 / std::sqrt(double(dim));
    const auto got = leopard::attention(q, k, v, scale, /*causalOffset=*/0, group);
    const auto want = reference(q, k, v, scale, group);
    REQUIRE(got.sizes() == want.sizes());
    CHECK(torch::allclose(got, want, 1e-5, 1e-5));

    // Gradients pass through every chunk.
    const auto qg = q.clone().set_requires_grad(true);
    leopard::attention(qg, k, v, scale, 0, group).sum().backward();
    REQUIRE(qg.grad().defined());
    CHECK(qg.grad().narrow(-2, leopard::kAttentionQueryChunk, 1).abs().sum().item<double>() > 0);
}
