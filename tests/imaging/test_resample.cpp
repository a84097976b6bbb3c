// Properties of the Pillow-compatible bicubic resize that hold for any input
// (bit-exactness against PIL is checked by test_tiles_golden.cpp).
#include <catch2/catch.hpp>

#include <algorithm>

#include "imaging/resample.h"
#include "util/errors.h"

using namespace leopard::imaging;

namespace {

ImageRGB gradient(int w, int h) {
    ImageRGB img(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            uint8_t* p = img.row(y) + 3 * x;
            p[0] = static_cast<uint8_t>((x * 255) / std::max(w - 1, 1));
            p[1] = static_cast<uint8_t>((y * 255) / std::max(h - 1, 1));
            p[2] = static_cast<uint8_t>((x * 7 + y * 13) % 256);
        }
    return img;
}

}  // namespace

TEST_CASE("resizing to the same size copies the image", "[resample]") {
    const ImageRGB img = gradient(37, 23);
    const ImageRGB out = resizeBicubic(img, 37, 23);
    CHECK(out.pixels == img.pixels);
}

TEST_CASE("a flat colour stays flat at any scale", "[resample]") {
    ImageRGB img(300, 120);
    for (size_t i = 0; i < img.pixels.size(); i += 3) {
        img.pixels[i] = 200;
        img.pixels[i + 1] = 17;
        img.pixels[i + 2] = 255;
    }
    for (auto [w, h] : {std::pair{64, 64}, std::pair{900, 50}, std::pair{301, 121}, std::pair{2, 3000}}) {
        const ImageRGB out = resizeBicubic(img, w, h);
        REQUIRE(out.width == w);
        REQUIRE(out.height == h);
        for (size_t i = 0; i < out.pixels.size(); i += 3) {
            REQUIRE(out.pixels[i] == 200);
            REQUIRE(out.pixels[i + 1] == 17);
            REQUIRE(out.pixels[i + 2] == 255);
        }
    }
}

TEST_CASE("shrinking is antialiased: a fine checkerboard averages to grey", "[resample]") {
    ImageRGB img(400, 400);
    for (int y = 0; y < 400; ++y)
        for (int x = 0; x < 400; ++x)
            if ((x + y) % 2) std::fill_n(img.row(y) + 3 * x, 3, uint8_t{255});
    const ImageRGB out = resizeBicubic(img, 40, 40);
    // Away from the borders every output pixel sees the same mix of black
    // and white; an unwidened (aliasing) filter would give 0s and 255s.
    for (int y = 2; y < 38; ++y)
        for (int x = 2; x < 38; ++x) CHECK(std::abs(int(out.row(y)[3 * x]) - 128) <= 1);
}

TEST_CASE("very tall images (Pillow resizes them vertically first) keep a flat colour", "[resample]") {
    ImageRGB img(3, 400);
    std::fill(img.pixels.begin(), img.pixels.end(), uint8_t{90});
    const ImageRGB out = resizeBicubic(img, 2, 50);
    REQUIRE(out.width == 2);
    REQUIRE(out.height == 50);
    CHECK(std::all_of(out.pixels.begin(), out.pixels.end(), [](uint8_t v) { return v == 90; }));
}

TEST_CASE("empty sources and targets are input errors", "[resample]") {
    CHECK_THROWS_AS(resizeBicubic(ImageRGB{}, 10, 10), leopard::InputError);
    CHECK_THROWS_AS(resizeBicubic(gradient(4, 4), 0, 10), leopard::InputError);
}
