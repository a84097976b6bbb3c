// Matrix-vector products for the CPU decode step (one token: every weight
// matrix is read once, so decode speed is memory bandwidth). LibTorch 1.13
// has no fast path for them: its bf16 gemv is scalar code, its oneDNN bf16
// matmul for one row reaches about half of what the memory delivers on 2
// cores, and OpenBLAS 0.3.21's sgemv streamed llama-1b's f32 decode
// matrices ~10 % slower than the loop here. No Debian library offers a
// bf16 gemv with AVX-512 BF16 (OpenBLAS 0.3.21 has sbgemm but no sbgemv),
// so these are hand written: one weight row at a time (each thread reads
// its rows as one sequential stream), four f32 accumulators along the row
// (vdpbf16ps for bf16, FMA for f32), rows split across LibTorch's intra-op
// threads.
//
//   if (cpuGemvSupported(w, x)) y = cpuGemv(w, x);   // y [N] in x's dtype
//
// Thread-safety: pure functions.
#pragma once

#include <torch/torch.h>

namespace leopard {

// True for w [N, K] contiguous on the CPU and x [K] (any layout) of the
// same dtype: bf16 on a CPU with AVX-512 BF16, f32 on one with AVX-512F.
bool cpuGemvSupported(const torch::Tensor& w, const torch::Tensor& x);

// y[n] = Σ_k w[n,k]·x[k] with f32 sums (bf16: products exact, rounded to
// bf16 once at the end). Requires cpuGemvSupported(w, x).
torch::Tensor cpuGemv(const torch::Tensor& w, const torch::Tensor& x);

}  // namespace leopard
