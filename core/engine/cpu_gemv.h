// A bf16 matrix-vector product for the CPU decode step (one token: every
// weight matrix is read once, so decode speed is memory bandwidth).
// LibTorch 1.13 has no fast path for it: its bf16 gemv is scalar code and
// its oneDNN bf16 matmul for one row reaches about half of what the memory
// delivers on 2 cores. No Debian library offers a bf16 gemv with AVX-512
// BF16 (OpenBLAS 0.3.21 has sbgemm but no sbgemv), so this one is hand
// written: one weight row at a time (a sequential read) with vdpbf16ps, f32 accumulation,
// rows split across LibTorch's intra-op threads.
//
//   if (bf16GemvSupported(w, x)) y = bf16Gemv(w, x);   // y [N] bf16
//
// Thread-safety: pure functions.
#pragma once

#include <torch/torch.h>

namespace leopard {

// True on a CPU with AVX-512 BF16 for w [N, K] bf16 contiguous on the CPU
// and x [K] bf16 (any layout).
bool bf16GemvSupported(const torch::Tensor& w, const torch::Tensor& x);

// y[n] = Σ_k w[n,k]·x[k], products exact and sums in f32, rounded to bf16
// once at the end. Requires bf16GemvSupported(w, x).
torch::Tensor bf16Gemv(const torch::Tensor& w, const torch::Tensor& x);

}  // namespace leopard
