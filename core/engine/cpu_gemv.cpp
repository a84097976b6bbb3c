#include "engine/cpu_gemv.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include <ATen/Parallel.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define LEOPARD_HAVE_CPU_GEMV 1
#else
#define LEOPARD_HAVE_CPU_GEMV 0
#endif

#include "engine/runtime.h"

namespace leopard {

namespace {

#if LEOPARD_HAVE_CPU_GEMV
float bf16ToFloat(uint16_t v) {
    const uint32_t bits = static_cast<uint32_t>(v) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

#define LEOPARD_AVX512 __attribute__((target("avx512f")))
#define LEOPARD_AVX512_BF16 __attribute__((target("avx512f,avx512bw,avx512bf16")))

// 32 bf16 values as the operand vdpbf16ps takes (a macro: a function
// returning a vector type would change the ABI outside the target region).
#define LEOPARD_LOAD_BF16(p) reinterpret_cast<__m512bh>(_mm512_loadu_si512(p))

// Σ of the 16 lanes (stored and added: GCC 12's _mm512_reduce_add_ps trips
// -Wmaybe-uninitialized).
LEOPARD_AVX512 inline float laneSum(__m512 v) {
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

// Rows [n0, n1) of y = W·x, W row-major [N, K]; compiled for AVX-512 BF16
// (bf16) or AVX-512F (f32), called only after the CPU said it has it. One
// row at a time, four accumulators along it: the rows are contiguous, so
// each thread reads its range as one sequential stream. (Four rows at a
// time, the first version, reads four interleaved streams: 10-30 % slower
// on this machine's 2 cores, measured by sweeping llama-1b's decode
// matrices.) The f32 and bf16 loops differ in their instructions and
// target attributes, so they stay two functions.
LEOPARD_AVX512_BF16 void gemvRows(const uint16_t* w, const uint16_t* x, at::BFloat16* y, int64_t n0, int64_t n1,
                                  int64_t k) {
    const int64_t k128 = k / 128 * 128, k32 = k / 32 * 32;
    for (int64_t n = n0; n < n1; ++n) {
        const uint16_t* r = w + n * k;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        int64_t i = 0;
        for (; i < k128; i += 128) {
            a0 = _mm512_dpbf16_ps(a0, LEOPARD_LOAD_BF16(r + i), LEOPARD_LOAD_BF16(x + i));
            a1 = _mm512_dpbf16_ps(a1, LEOPARD_LOAD_BF16(r + i + 32), LEOPARD_LOAD_BF16(x + i + 32));
            a2 = _mm512_dpbf16_ps(a2, LEOPARD_LOAD_BF16(r + i + 64), LEOPARD_LOAD_BF16(x + i + 64));
            a3 = _mm512_dpbf16_ps(a3, LEOPARD_LOAD_BF16(r + i + 96), LEOPARD_LOAD_BF16(x + i + 96));
        }
        for (; i < k32; i += 32) a0 = _mm512_dpbf16_ps(a0, LEOPARD_LOAD_BF16(r + i), LEOPARD_LOAD_BF16(x + i));
        y[n] = at::BFloat16(laneSum(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3))) + tailDot(r, x, k32, k));
    }
}

LEOPARD_AVX512 void gemvRows(const float* w, const float* x, float* y, int64_t n0, int64_t n1, int64_t k) {
    const int64_t k64 = k / 64 * 64, k16 = k / 16 * 16;
    for (int64_t n = n0; n < n1; ++n) {
        const float* r = w + n * k;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        int64_t i = 0;
        for (; i < k64; i += 64) {
            a0 = _mm512_fmadd_ps(_mm512_loadu_ps(r + i), _mm512_loadu_ps(x + i), a0);
            a1 = _mm512_fmadd_ps(_mm512_loadu_ps(r + i + 16), _mm512_loadu_ps(x + i + 16), a1);
            a2 = _mm512_fmadd_ps(_mm512_loadu_ps(r + i + 32), _mm512_loadu_ps(x + i + 32), a2);
            a3 = _mm512_fmadd_ps(_mm512_loadu_ps(r + i + 48), _mm512_loadu_ps(x + i + 48), a3);
        }
        for (; i < k16; i += 16) a0 = _mm512_fmadd_ps(_mm512_loadu_ps(r + i), _mm512_loadu_ps(x + i), a0);
        float tail = 0;
        for (; i < k; ++i) tail += r[i] * x[i];
        y[n] = laneSum(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3))) + tail;
    }
}

bool cpuHas(c10::ScalarType dtype) {
    static const CpuFeatures f = cpuFeatures();
    return dtype == torch::kBFloat16 ? f.avx512_bf16 : dtype == torch::kFloat && f.avx512f;
}

template <typename T, typename Storage>
torch::Tensor run(const torch::Tensor& w, const torch::Tensor& x) {
    const int64_t n = w.size(0), k = w.size(1);
    const auto xc = x.contiguous();
    auto y = torch::empty({n}, xc.options());   // bf16 written directly: no separate f32 → bf16 pass
    const auto* wp = reinterpret_cast<const Storage*>(w.data_ptr<T>());
    const auto* xp = reinterpret_cast<const Storage*>(xc.data_ptr<T>());
    T* yp = y.data_ptr<T>();
    // Grain: ~128 KiB of weights per task.
    const int64_t grain = std::max<int64_t>(1, (int64_t{128} << 10) / std::max<int64_t>(k * w.element_size(), 1));
    at::parallel_for(0, n, grain, [&](int64_t begin, int64_t end) { gemvRows(wp, xp, yp, begin, end, k); });
    return y;
}
#endif

}  // namespace

bool cpuGemvSupported(const torch::Tensor& w, const torch::Tensor& x) {
#if LEOPARD_HAVE_CPU_GEMV
    const auto dt = w.scalar_type();
    return (dt == torch::kBFloat16 || dt == torch::kFloat) && cpuHas(dt) && w.is_cpu() && x.is_cpu() &&
           x.scalar_type() == dt && w.dim() == 2 && x.dim() == 1 && w.size(1) == x.size(0) && w.is_contiguous();
#else
    (void)w;
    (void)x;
    return false;
#endif
}

torch::Tensor cpuGemv(const torch::Tensor& w, const torch::Tensor& x) {
    TORCH_CHECK(cpuGemvSupported(w, x), "cpuGemv: unsupported operands");
#if LEOPARD_HAVE_CPU_GEMV
    return w.scalar_type() == torch::kFloat ? run<float, float>(w, x) : run<at::BFloat16, uint16_t>(w, x);
#else
    return {};
#endif
}

}  // namespace leopard
