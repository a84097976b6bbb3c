// Hand-written: no Debian C/C++ library reproduces Pillow's resampling
// (Qt's smooth scaling, libswscale, ImageMagick and OpenCV all use other
// kernels, supports or rounding), and Leopard's tiles must match what the
// model was trained on. This follows Pillow's src/libImaging/Resample.c:
// coefficients computed in double, normalized per output pixel, converted to
// fixed point, then a horizontal and a vertical 8-bit pass, each rounding
// and clipping its output.
#include "imaging/resample.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "util/errors.h"

namespace leopard::imaging {
namespace {

// Pillow's bicubic convolution kernel with a = -0.5; support 2.
constexpr double kSupport = 2.0;

double bicubic(double x) {
    constexpr double a = -0.5;
    if (x < 0.0) x = -x;
    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}

// 8-bit results with two spare bits for the filter's negative lobes.
constexpr int kPrecisionBits = 32 - 8 - 2;

// The taps of a 1-D resampling from inSize to outSize samples: for output i,
// `count[i]` fixed-point weights starting at input `first[i]`.
struct Taps {
    int ksize = 0;
    std::vector<int> first, count;
    std::vector<int32_t> weights;  // outSize × ksize
};

Taps computeTaps(int inSize, int outSize) {
    // Pillow passes the box edges as float; whole-image boxes are exact.
    const float in0 = 0.0f, in1 = static_cast<float>(inSize);
    const double scale = static_cast<double>(in1 - in0) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = kSupport * filterScale;
    const double invFilterScale = 1.0 / filterScale;

    Taps t;
    t.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
    t.first.resize(outSize);
    t.count.resize(outSize);
    t.weights.assign(static_cast<size_t>(outSize) * t.ksize, 0);
    std::vector<double> k(t.ksize);
    for (int xx = 0; xx < outSize; ++xx) {
        const double center = in0 + (xx + 0.5) * scale;
        const int xmin = std::max(static_cast<int>(center - support + 0.5), 0);
        const int xmax = std::min(static_cast<int>(center + support + 0.5), inSize) - xmin;
        double sum = 0.0;
        for (int x = 0; x < xmax; ++x) {
            k[x] = bicubic((x + xmin - center + 0.5) * invFilterScale);
            sum += k[x];
        }
        int32_t* w = &t.weights[static_cast<size_t>(xx) * t.ksize];
        for (int x = 0; x < xmax; ++x) {
            const double v = (sum != 0.0 ? k[x] / sum : k[x]) * (1 << kPrecisionBits);
            w[x] = static_cast<int32_t>(v < 0 ? v - 0.5 : v + 0.5);
        }
        t.first[xx] = xmin;
        t.count[xx] = xmax;
    }
    return t;
}

inline uint8_t clip8(int32_t acc) {
    return static_cast<uint8_t>(std::clamp(acc >> kPrecisionBits, 0, 255));
}

constexpr int32_t kHalf = 1 << (kPrecisionBits - 1);

ImageRGB resampleHorizontal(const ImageRGB& src, int newW) {
    const Taps t = computeTaps(src.width, newW);
    ImageRGB out(newW, src.height);
    for (int y = 0; y < src.height; ++y) {
        const uint8_t* in = src.row(y);
        uint8_t* o = out.row(y);
        for (int xx = 0; xx < newW; ++xx) {
            const int32_t* w = &t.weights[static_cast<size_t>(xx) * t.ksize];
            const uint8_t* p = in + 3 * t.first[xx];
            int32_t r = kHalf, g = kHalf, b = kHalf;
            for (int x = 0; x < t.count[xx]; ++x, p += 3) {
                r += p[0] * w[x];
                g += p[1] * w[x];
                b += p[2] * w[x];
            }
            o[3 * xx + 0] = clip8(r);
            o[3 * xx + 1] = clip8(g);
            o[3 * xx + 2] = clip8(b);
        }
    }
    return out;
}

ImageRGB resampleVertical(const ImageRGB& src, int newH) {
    const Taps t = computeTaps(src.height, newH);
    ImageRGB out(src.width, newH);
    // Accumulate whole rows so the inner loop walks memory contiguously;
    // integer sums do not depend on the order of terms.
    std::vector<int32_t> acc(src.stride());
    for (int yy = 0; yy < newH; ++yy) {
        std::fill(acc.begin(), acc.end(), kHalf);
        const int32_t* w = &t.weights[static_cast<size_t>(yy) * t.ksize];
        for (int y = 0; y < t.count[yy]; ++y) {
            const uint8_t* in = src.row(t.first[yy] + y);
            const int32_t k = w[y];
            for (size_t i = 0; i < acc.size(); ++i) acc[i] += in[i] * k;
        }
        uint8_t* o = out.row(yy);
        for (size_t i = 0; i < acc.size(); ++i) o[i] = clip8(acc[i]);
    }
    return out;
}

}  // namespace

ImageRGB resizeBicubic(const ImageRGB& src, int newW, int newH) {
    if (src.empty()) throw InputError("resize: the source image is empty");
    if (newW <= 0 || newH <= 0)
        throw InputError("resize: target size " + std::to_string(newW) + "x" + std::to_string(newH) +
                         " is empty");
    if (newW == src.width && newH == src.height) return src;
    // Pillow ≥ 12.2 (Image.resize) shrinks very tall images vertically first,
    // as a separate resize; otherwise the C core runs horizontal then
    // vertical (older Pillow always did). Rounding per pass makes the order
    // visible in the last bit. A pass whose dimension does not change is
    // skipped.
    if (src.height > src.width * 100 && newH < src.height) {
        ImageRGB tmp = resampleVertical(src, newH);
        return newW == tmp.width ? tmp : resampleHorizontal(tmp, newW);
    }
    if (newW == src.width) return resampleVertical(src, newH);
    ImageRGB tmp = resampleHorizontal(src, newW);
    return newH == tmp.height ? tmp : resampleVertical(tmp, newH);
}

}  // namespace leopard::imaging
