// An 8-bit RGB raster: the one image type the tile pipeline works on.
// Decoders (Qt in documents/, libpng in imaging/png_io.h) convert into it so
// the planning, resampling and normalization code stays free of any toolkit.
//
// A plain value type: copyable, movable, owns its pixels; not synchronized
// (share a const one between threads freely, mutate from one).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace leopard::imaging {

struct ImageRGB {
    int width = 0, height = 0;
    std::vector<uint8_t> pixels;  // RGB8 interleaved, row-major, stride = 3 * width

    ImageRGB() = default;
    // A black image of the given size.
    ImageRGB(int w, int h) : width(w), height(h), pixels(static_cast<size_t>(w) * h * 3, 0) {}

    bool empty() const { return width <= 0 || height <= 0; }
    size_t stride() const { return static_cast<size_t>(width) * 3; }
    uint8_t* row(int y) { return pixels.data() + stride() * y; }
    const uint8_t* row(int y) const { return pixels.data() + stride() * y; }
};

}  // namespace leopard::imaging
