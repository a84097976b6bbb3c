// Attention for one decode step on the CPU: a few query rows (the query
// heads of one new token, grouped per KV head) against every cached key.
// LibTorch 1.13 has no fused attention, and its batched matrix products
// copy the KV cache's views (a prefix of a larger buffer, so not contiguous
// across heads) on every call: at 850 cached positions the three-product
// path took ~300 µs per layer for llama-1b, ~5 ms of every token. No Debian
// library offers single-query attention over strided bf16 keys, so this is
// hand written (AVX-512F): scores with f32 accumulation, LibTorch's softmax
// (vectorized), then probabilities × values with f32 accumulation.
//
//   if (cpuDecodeAttentionSupported(q, k, v)) o = cpuDecodeAttention(q, k, v, scale);
//
// No mask: every query row sees every key (a single new token). Results are
// in q's dtype; the softmax runs in f32 as the reference's does, and the
// scores and probabilities stay f32 (the reference rounds them to the
// compute dtype in bf16 — here the products are at least as precise).
//
// Thread-safety: pure functions.
#pragma once

#include <torch/torch.h>

namespace leopard {

// True for q [H, R, D], k and v [H, Tk, D] on the CPU, all f32 or all bf16,
// D a multiple of 16, R ≤ 64, the last dimension of k and v contiguous,
// nothing requiring a gradient, and a CPU with AVX-512F.
bool cpuDecodeAttentionSupported(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v);

// softmax(q·kᵀ·scale)·v per head: [H, R, D] in q's dtype. Requires
// cpuDecodeAttentionSupported(q, k, v).
torch::Tensor cpuDecodeAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, double scale);

}  // namespace leopard
