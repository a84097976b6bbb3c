#include "engine/cpu_attention.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <ATen/Parallel.h>

#include "engine/runtime.h"

#if defined(__x86_64__) && defined(__GNUC__)
// GCC 12's AVX-512 headers start several intrinsics from a deliberately
// undefined vector (_mm512_undefined_*), which -Wmaybe-uninitialized reports
// at every use; the values are fully defined.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#define LEOPARD_HAVE_CPU_ATTENTION 1
#else
#define LEOPARD_HAVE_CPU_ATTENTION 0
#endif

namespace leopard {

namespace {

#if LEOPARD_HAVE_CPU_ATTENTION
#define LEOPARD_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))

bool cpuHasAvx512() {
    static const bool has = [] {
        const CpuFeatures f = cpuFeatures();
        return f.avx512f && f.avx512bw && f.avx512vl;
    }();
    return has;
}

// 16 elements (lanes off in `m` read as 0 and touch no memory) as f32.
LEOPARD_AVX512 inline __m512 load16(const float* p, __mmask16 m) { return _mm512_maskz_loadu_ps(m, p); }
LEOPARD_AVX512 inline __m512 load16(const at::BFloat16* p, __mmask16 m) {
    const __m256i bits = _mm256_maskz_loadu_epi16(m, p);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(bits), 16));   // bf16 = f32's upper half
}

LEOPARD_AVX512 inline void store16(float* p, __m512 v, int count) {
    _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << count) - 1u), v);
}
LEOPARD_AVX512 inline void store16(at::BFloat16* p, __m512 v, int count) {
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, v);
    for (int i = 0; i < count; ++i) p[i] = at::BFloat16(lanes[i]);   // round to nearest even
}

// Lane i of the result = Σ of the 16 lanes of a[i]: a transposing add tree,
// ~3 instructions per sum instead of a full reduction each.
LEOPARD_AVX512 inline __m512 sum4(__m512 a, __m512 b, __m512 c, __m512 d) {
    // Per 128-bit block: [Σa, Σb, Σc, Σd] over that block's four lanes.
    const __m512 ab = _mm512_add_ps(_mm512_unpacklo_ps(a, b), _mm512_unpackhi_ps(a, b));
    const __m512 cd = _mm512_add_ps(_mm512_unpacklo_ps(c, d), _mm512_unpackhi_ps(c, d));
    return _mm512_add_ps(_mm512_shuffle_ps(ab, cd, _MM_SHUFFLE(1, 0, 1, 0)),
                         _mm512_shuffle_ps(ab, cd, _MM_SHUFFLE(3, 2, 3, 2)));
}
LEOPARD_AVX512 inline __m512 sum16(const __m512* a) {
    const __m512 r0 = sum4(a[0], a[1], a[2], a[3]), r1 = sum4(a[4], a[5], a[6], a[7]);
    const __m512 r2 = sum4(a[8], a[9], a[10], a[11]), r3 = sum4(a[12], a[13], a[14], a[15]);
    // Add the four 128-bit blocks of each rK into the K-th block.
    const __m512 u01 = _mm512_add_ps(_mm512_shuffle_f32x4(r0, r1, _MM_SHUFFLE(1, 0, 1, 0)),
                                     _mm512_shuffle_f32x4(r0, r1, _MM_SHUFFLE(3, 2, 3, 2)));
    const __m512 u23 = _mm512_add_ps(_mm512_shuffle_f32x4(r2, r3, _MM_SHUFFLE(1, 0, 1, 0)),
                                     _mm512_shuffle_f32x4(r2, r3, _MM_SHUFFLE(3, 2, 3, 2)));
    return _mm512_add_ps(_mm512_shuffle_f32x4(u01, u23, _MM_SHUFFLE(2, 0, 2, 0)),
                         _mm512_shuffle_f32x4(u01, u23, _MM_SHUFFLE(3, 1, 3, 1)));
}

struct Shape {
    int64_t rows, keys, dim, chunks;          // R, Tk, D, ⌈D/16⌉
    int64_t kHead, kRow, vHead, vRow;          // strides of k and v (elements)
    std::vector<__mmask16> mask;               // per 16-lane chunk of D; 0 past the end
};

// scores[r][t] = Σ_d qScaled[r][d]·k[t][d] for one head; qScaled [R, chunks·16]
// zero-padded, scores [R, Tk]. Keys go in blocks of 16, widened to f32 once
// into `block` [16, chunks·16] (L1-resident) and shared by every row.
template <typename T>
LEOPARD_AVX512 void headScores(const Shape& s, const float* qScaled, const T* k, float* block, float* scores) {
    const int64_t width = s.chunks * 16;
    for (int64_t t0 = 0; t0 < s.keys; t0 += 16) {
        const int count = static_cast<int>(std::min<int64_t>(16, s.keys - t0));
        for (int i = 0; i < 16; ++i) {
            const T* row = k + std::min<int64_t>(t0 + i, s.keys - 1) * s.kRow;   // past the end: repeat the last
            for (int64_t c = 0; c < s.chunks; ++c)
                _mm512_storeu_ps(block + i * width + c * 16, load16(row + c * 16, s.mask[static_cast<size_t>(c)]));
        }
        for (int64_t r = 0; r < s.rows; ++r) {
            __m512 acc[16];
#pragma GCC unroll 16
            for (int i = 0; i < 16; ++i) acc[i] = _mm512_setzero_ps();
            for (int64_t c = 0; c < s.chunks; ++c) {
                const __m512 qv = _mm512_loadu_ps(qScaled + r * width + c * 16);
#pragma GCC unroll 16
                for (int i = 0; i < 16; ++i) acc[i] = _mm512_fmadd_ps(qv, _mm512_loadu_ps(block + i * width + c * 16), acc[i]);
            }
            store16(scores + r * s.keys + t0, sum16(acc), count);
        }
    }
}

// out[r][d] = Σ_t probs[r][t]·v[t][d] for one head; probs [R, Tk] f32.
// Four rows × four 16-lane chunks at a time (16 accumulators); missing rows
// read a zero row, chunks past D load nothing.
template <typename T>
LEOPARD_AVX512 void headValues(const Shape& s, const float* probs, const float* zeros, const T* v, T* out) {
    for (int64_t r0 = 0; r0 < s.rows; r0 += 4) {
        const float* p[4];
        for (int i = 0; i < 4; ++i) p[i] = r0 + i < s.rows ? probs + (r0 + i) * s.keys : zeros;
        for (int64_t c0 = 0; c0 < s.chunks; c0 += 4) {
            __mmask16 m[4];
            for (int c = 0; c < 4; ++c) m[c] = s.mask[static_cast<size_t>(c0 + c)];
            __m512 acc[4][4];
#pragma GCC unroll 4
            for (int i = 0; i < 4; ++i)
#pragma GCC unroll 4
                for (int c = 0; c < 4; ++c) acc[i][c] = _mm512_setzero_ps();
            for (int64_t t = 0; t < s.keys; ++t) {
                const T* vr = v + t * s.vRow + c0 * 16;
                __m512 vv[4];
#pragma GCC unroll 4
                for (int c = 0; c < 4; ++c) vv[c] = load16(vr + c * 16, m[c]);
#pragma GCC unroll 4
                for (int i = 0; i < 4; ++i) {
                    const __m512 pi = _mm512_set1_ps(p[i][t]);
#pragma GCC unroll 4
                    for (int c = 0; c < 4; ++c) acc[i][c] = _mm512_fmadd_ps(pi, vv[c], acc[i][c]);
                }
            }
            for (int64_t i = 0; i < 4 && r0 + i < s.rows; ++i)
                for (int64_t c = 0; c < 4 && c0 + c < s.chunks; ++c) {
                    const int64_t d = (c0 + c) * 16;
                    store16(out + (r0 + i) * s.dim + d, acc[i][c], static_cast<int>(std::min<int64_t>(16, s.dim - d)));
                }
        }
    }
}

template <typename T>
torch::Tensor run(const torch::Tensor& qIn, const torch::Tensor& k, const torch::Tensor& v, double scale) {
    const auto q = qIn.contiguous();
    const int64_t heads = q.size(0);
    Shape s;
    s.rows = q.size(1);
    s.keys = k.size(1);
    s.dim = q.size(2);
    s.chunks = (s.dim + 15) / 16;
    s.kHead = k.stride(0);
    s.kRow = k.stride(1);
    s.vHead = v.stride(0);
    s.vRow = v.stride(1);
    s.mask.assign(static_cast<size_t>(s.chunks + 4), 0);
    for (int64_t c = 0; c < s.chunks; ++c) {
        const int64_t lanes = std::min<int64_t>(16, s.dim - c * 16);
        s.mask[static_cast<size_t>(c)] = static_cast<__mmask16>((1u << lanes) - 1u);
    }
    const T* qp = q.data_ptr<T>();
    const T* kp = k.data_ptr<T>();
    const T* vp = v.data_ptr<T>();

    auto scores = torch::empty({heads, s.rows, s.keys}, torch::kFloat);
    float* sp = scores.data_ptr<float>();
    at::parallel_for(0, heads, 1, [&](int64_t h0, int64_t h1) {
        std::vector<float> qScaled(static_cast<size_t>(s.rows * s.chunks * 16), 0.0f);
        std::vector<float> block(static_cast<size_t>(16 * s.chunks * 16));
        for (int64_t h = h0; h < h1; ++h) {
            for (int64_t r = 0; r < s.rows; ++r)
                for (int64_t d = 0; d < s.dim; ++d)
                    qScaled[static_cast<size_t>(r * s.chunks * 16 + d)] =
                        static_cast<float>(qp[(h * s.rows + r) * s.dim + d]) * static_cast<float>(scale);
            headScores(s, qScaled.data(), kp + h * s.kHead, block.data(), sp + h * s.rows * s.keys);
        }
    });
    const auto probs = torch::softmax(scores, -1);   // f32, LibTorch's vectorized kernel
    const float* pp = probs.data_ptr<float>();
    const std::vector<float> zeros(static_cast<size_t>(s.keys), 0.0f);
    auto out = torch::empty({heads, s.rows, s.dim}, q.options());
    T* op = out.data_ptr<T>();
    at::parallel_for(0, heads, 1, [&](int64_t h0, int64_t h1) {
        for (int64_t h = h0; h < h1; ++h)
            headValues(s, pp + h * s.rows * s.keys, zeros.data(), vp + h * s.vHead, op + h * s.rows * s.dim);
    });
    return out;
}
#endif

}  // namespace

bool cpuDecodeAttentionSupported(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v) {
#if LEOPARD_HAVE_CPU_ATTENTION
    const auto dt = q.scalar_type();
    return cpuHasAvx512() && q.is_cpu() && k.is_cpu() && v.is_cpu() && (dt == torch::kFloat || dt == torch::kBFloat16) &&
           k.scalar_type() == dt && v.scalar_type() == dt && q.dim() == 3 && k.dim() == 3 && v.dim() == 3 &&
           k.size(0) == q.size(0) && v.size(0) == q.size(0) && k.size(2) == q.size(2) && v.size(2) == q.size(2) &&
           v.size(1) == k.size(1) && k.size(1) > 0 && q.size(1) > 0 && q.size(1) <= 64 && q.size(2) > 0 &&
           k.stride(2) == 1 && v.stride(2) == 1 && !q.requires_grad() && !k.requires_grad() && !v.requires_grad();
#else
    (void)q;
    (void)k;
    (void)v;
    return false;
#endif
}

torch::Tensor cpuDecodeAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, double scale) {
    TORCH_CHECK(cpuDecodeAttentionSupported(q, k, v), "cpuDecodeAttention: unsupported operands");
#if LEOPARD_HAVE_CPU_ATTENTION
    return q.scalar_type() == torch::kFloat ? run<float>(q, k, v, scale) : run<at::BFloat16>(q, k, v, scale);
#else
    (void)scale;
    return {};
#endif
}

}  // namespace leopard
