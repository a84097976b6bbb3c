// The synthetic test pattern of tests/data/native-size/ (large images whose
// expected tiles scripts/reference_native_tiles.py made with the reference's
// tiling and PIL): the same integer formula as that script's docstring, so
// a test can draw a 50 MP image instead of the repository storing it.
#pragma once

#include <cstdint>

#include "imaging/image.h"

namespace leopard::test {

inline imaging::ImageRGB nativePattern(int width, int height) {
    imaging::ImageRGB img(width, height);
    for (int y = 0; y < height; ++y) {
        const int64_t v = int64_t(y) * 4096 / height;
        uint8_t* row = img.row(y);
        for (int x = 0; x < width; ++x) {
            const int64_t u = int64_t(x) * 4096 / width;
            uint8_t* p = row + 3 * static_cast<size_t>(x);
            if (x % 97 == 0 || y % 89 == 0) continue;  // one-pixel black lines (the canvas is black)
            p[0] = uint8_t((u ^ v) & 255);
            p[1] = uint8_t(((u + 2 * v) >> 3) & 255);
            p[2] = ((u >> 8) + (v >> 8)) & 1 ? 230 : 20;
        }
    }
    return img;
}

}  // namespace leopard::test
