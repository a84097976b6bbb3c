#include "engine/cpu_gemv.h"

#include <cstdint>
#include <cstring>

#include <ATen/Parallel.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define LEOPARD_HAVE_BF16_GEMV 1
#else
#define LEOPARD_HAVE_BF16_GEMV 0
#endif

#include "engine/runtime.h"

namespace leopard {

namespace {

#if LEOPARD_HAVE_BF16_GEMV
float bf16ToFloat(uint16_t v) {
    const uint32_t bits = static_cast<uint32_t>(v) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

#define LEOPARD_AVX512_BF16 __attribute__((target("avx512f,avx512bw,avx512bf16")))

// 32 bf16 values as the operand vdpbf16ps takes (a macro: a function
// returning a vector type would change the ABI outside the target region).
#define LEOPARD_LOAD_BF16(p) reinterpret_cast<__m512bh>(_mm512_loadu_si512(p))

// Σ of the 16 lanes (stored and added: GCC 12's _mm512_reduce_add_ps trips
// -Wmaybe-uninitialized).
LEOPARD_AVX512_BF16 inline float laneSum(__m512 v) {
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, v);
    float s = 0;
    for (float f : lanes) s += f;
    return s;
}

// Σ over the last k − k32 elements (fewer than 32).
float tailDot(const uint16_t* row, const uint16_t* x, int64_t k32, int64_t k) {
    float s = 0;
    for (int64_t i = k32; i < k; ++i) s += bf16ToFloat(row[i]) * bf16ToFloat(x[i]);
    return s;
}

// Rows [n0, n1) of y = W·x; W row-major [N, K]. Compiled for AVX-512 BF16
// only; called only after the CPU said it has it.
LEOPARD_AVX512_BF16 void gemvRows(const uint16_t* w, const uint16_t* x, at::BFloat16* y, int64_t n0, int64_t n1,
                                  int64_t k) {
    const int64_t k32 = k / 32 * 32;
    const auto tail = [&](const uint16_t* row) { return tailDot(row, x, k32, k); };
    int64_t n = n0;
    for (; n + 4 <= n1; n += 4) {
        const uint16_t* r0 = w + n * k;
        const uint16_t* r1 = r0 + k;
        const uint16_t* r2 = r1 + k;
        const uint16_t* r3 = r2 + k;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        for (int64_t i = 0; i < k32; i += 32) {
            const __m512bh xv = LEOPARD_LOAD_BF16(x + i);
            a0 = _mm512_dpbf16_ps(a0, LEOPARD_LOAD_BF16(r0 + i), xv);
            a1 = _mm512_dpbf16_ps(a1, LEOPARD_LOAD_BF16(r1 + i), xv);
            a2 = _mm512_dpbf16_ps(a2, LEOPARD_LOAD_BF16(r2 + i), xv);
            a3 = _mm512_dpbf16_ps(a3, LEOPARD_LOAD_BF16(r3 + i), xv);
        }
        y[n] = at::BFloat16(laneSum(a0) + tail(r0));   // round to nearest even
        y[n + 1] = at::BFloat16(laneSum(a1) + tail(r1));
        y[n + 2] = at::BFloat16(laneSum(a2) + tail(r2));
        y[n + 3] = at::BFloat16(laneSum(a3) + tail(r3));
    }
    for (; n < n1; ++n) {
        const uint16_t* r = w + n * k;
        __m512 a = _mm512_setzero_ps();
        for (int64_t i = 0; i < k32; i += 32) a = _mm512_dpbf16_ps(a, LEOPARD_LOAD_BF16(r + i), LEOPARD_LOAD_BF16(x + i));
        y[n] = at::BFloat16(laneSum(a) + tail(r));
    }
}

bool cpuHasBf16Dot() {
    static const bool has = cpuFeatures().avx512_bf16;
    return has;
}
#endif

}  // namespace

bool bf16GemvSupported(const torch::Tensor& w, const torch::Tensor& x) {
#if LEOPARD_HAVE_BF16_GEMV
    return cpuHasBf16Dot() && w.is_cpu() && x.is_cpu() && w.scalar_type() == torch::kBFloat16 &&
           x.scalar_type() == torch::kBFloat16 && w.dim() == 2 && x.dim() == 1 && w.size(1) == x.size(0) &&
           w.is_contiguous();
#else
    (void)w;
    (void)x;
    return false;
#endif
}

torch::Tensor bf16Gemv(const torch::Tensor& w, const torch::Tensor& x) {
    TORCH_CHECK(bf16GemvSupported(w, x), "bf16Gemv: unsupported operands");
#if LEOPARD_HAVE_BF16_GEMV
    const int64_t n = w.size(0), k = w.size(1);
    const auto xc = x.contiguous();
    // Written in bf16 directly: no separate f32 → bf16 pass per product.
    auto y = torch::empty({n}, torch::TensorOptions().dtype(torch::kBFloat16));
    const auto* wp = reinterpret_cast<const uint16_t*>(w.data_ptr<at::BFloat16>());
    const auto* xp = reinterpret_cast<const uint16_t*>(xc.data_ptr<at::BFloat16>());
    at::BFloat16* yp = y.data_ptr<at::BFloat16>();
    // Grain: ~256 KiB of weights per task, whole groups of four rows.
    const int64_t grain = std::max<int64_t>(4, (int64_t{128} << 10) / std::max<int64_t>(k, 1) / 4 * 4);
    at::parallel_for(0, n, grain, [&](int64_t begin, int64_t end) { gemvRows(wp, xp, yp, begin, end, k); });
    return y;
#else
    return torch::mv(w, x);
#endif
}

}  // namespace leopard
