// Cutting, normalizing and batching tiles: layout, counts, normalization
// values and cancellation of prepareTiles.
#include <catch2/catch.hpp>

#include "imaging/tiles.h"
#include "util/errors.h"

using namespace leopard::imaging;

namespace {

ImageRGB filled(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
    ImageRGB img(w, h);
    for (size_t i = 0; i < img.pixels.size(); i += 3) {
        img.pixels[i] = r;
        img.pixels[i + 1] = g;
        img.pixels[i + 2] = b;
    }
    return img;
}

}  // namespace

TEST_CASE("normalizeTile writes CHW floats (p/255 - mean)/std", "[tiles]") {
    ImageRGB tile(2, 2);
    const uint8_t values[4][3] = {{0, 255, 128}, {255, 0, 64}, {10, 20, 30}, {200, 100, 50}};
    for (int i = 0; i < 4; ++i)
        for (int c = 0; c < 3; ++c) tile.pixels[3 * i + c] = values[i][c];

    std::vector<float> out(12);
    normalizeTile(tile, out.data());
    for (int c = 0; c < 3; ++c)
        for (int i = 0; i < 4; ++i) CHECK(out[c * 4 + i] == Approx((values[i][c] / 255.0 - 0.5) / 0.5).margin(1e-6));
    CHECK(out[0] == -1.0f);
    CHECK(out[4] == 1.0f);

    Normalization clip;  // CLIP's statistics, as a preprocessor_config.json would give them
    clip.mean = {0.48145466f, 0.4578275f, 0.40821073f};
    clip.std = {0.26862954f, 0.26130258f, 0.27577711f};
    normalizeTile(tile, out.data(), clip);
    for (int c = 0; c < 3; ++c)
        for (int i = 0; i < 4; ++i)
            CHECK(out[c * 4 + i] == Approx((values[i][c] / 255.0 - clip.mean[c]) / clip.std[c]).margin(1e-5));
}

TEST_CASE("normalization reads a preprocessor config", "[tiles]") {
    const auto n = Normalization::fromPreprocessorConfig(
        {{"rescale_factor", 0.5}, {"image_mean", {0.1, 0.2, 0.3}}, {"image_std", 2.0}});
    CHECK(n.rescale == 0.5);
    CHECK(n.mean[2] == Approx(0.3f));
    CHECK(n.std[1] == Approx(2.0f));
    const auto defaults = Normalization::fromPreprocessorConfig(nlohmann::json::object());
    CHECK(defaults.mean[0] == 0.5f);
    CHECK_THROWS_AS(Normalization::fromPreprocessorConfig({{"image_mean", {0.1, 0.2}}}), leopard::InputError);
}

TEST_CASE("makeTiles gives the global view then row-major tiles on a black canvas", "[tiles]") {
    const int T = 16;
    // 40x20 → round(2.5)=2 · round(1.25)=1 = 2 tiles on a 1×2 grid; resized
    // to 32x16 exactly, so no padding and each tile is half the image.
    ImageRGB img(40, 20);
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 40; ++x) std::fill_n(img.row(y) + 3 * x, 3, uint8_t(x < 20 ? 30 : 220));
    const auto plan = planTiles({{40, 20}}, T);
    REQUIRE(plan.images[0].grid == std::array<int, 2>{1, 2});
    const auto tiles = makeTiles(img, plan.images[0], T);
    REQUIRE(tiles.size() == 3);
    for (const auto& t : tiles) CHECK((t.width == T && t.height == T));
    CHECK(tiles[1].row(8)[3 * 2] == 30);   // left tile first
    CHECK(tiles[2].row(8)[3 * 13] == 220);  // then the right one

    // 64x20 → 4 tiles; the 1×4 grid (64x16) keeps the most pixels, the
    // image shrinks to 52x16 and sits 6 pixels in from each side on black.
    const auto wide = planTiles({{64, 20}}, T);
    const auto& p = wide.images[0];
    REQUIRE(p.grid == std::array<int, 2>{1, 4});
    REQUIRE(p.paste == std::array<int, 2>{6, 0});
    const auto wideTiles = makeTiles(filled(64, 20, 255, 255, 255), p, T);
    REQUIRE(wideTiles.size() == 5);
    CHECK(wideTiles[1].row(8)[3 * 5] == 0);     // padding
    CHECK(wideTiles[1].row(8)[3 * 8] == 255);   // image
    CHECK(wideTiles[4].row(8)[3 * 15] == 0);    // padding on the right

    CHECK_THROWS_AS(makeTiles(filled(10, 10, 0, 0, 0), plan.images[0], T), leopard::Error);
}

TEST_CASE("prepareTiles batches every tile with per-image counts", "[tiles]") {
    const std::vector<ImageRGB> images = {filled(1280, 720, 255, 0, 0), filled(300, 300, 0, 0, 255)};
    const auto batch = prepareTiles(images, 364, 50);
    CHECK(batch.tilesPerImage == batch.plan.tilesPerImage());
    CHECK(batch.tilesPerImage[1] == 1);  // small image: global view only
    CHECK(batch.count == batch.tilesPerImage[0] + batch.tilesPerImage[1]);
    REQUIRE(batch.data.size() == static_cast<size_t>(batch.count) * 3 * 364 * 364);
    const size_t plane = 364 * 364;
    // Tile 0 is the red image's global view: R = 1, B = -1.
    CHECK(batch.data[0] == 1.0f);
    CHECK(batch.data[2 * plane] == -1.0f);
    // The last tile is the blue image's global view.
    const float* last = batch.data.data() + (batch.count - 1) * 3 * plane;
    CHECK(last[0] == -1.0f);
    CHECK(last[2 * plane + 5] == 1.0f);
}

TEST_CASE("prepareTiles with more images than the budget gives one tile each", "[tiles]") {
    const std::vector<ImageRGB> images(51, filled(800, 800, 1, 2, 3));
    const auto batch = prepareTiles(images, 32, 50);
    CHECK(batch.count == 51);
    CHECK(batch.tilesPerImage == std::vector<int>(51, 1));
    CHECK(batch.data.size() == 51u * 3 * 32 * 32);
}

TEST_CASE("prepareTiles reports progress and stops when asked", "[tiles]") {
    const std::vector<ImageRGB> images(3, filled(900, 700, 9, 9, 9));
    std::vector<leopard::Progress> seen;
    const auto batch = prepareTiles(images, 64, 50, [&](const leopard::Progress& p) {
        seen.push_back(p);
        return true;
    });
    REQUIRE(seen.size() == 4);  // before each image, and when done
    CHECK(seen.front().done == 0);
    CHECK(seen.back().done == batch.count);
    CHECK(seen.back().total == batch.count);

    int calls = 0;
    CHECK_THROWS_AS(prepareTiles(images, 64, 50,
                                 [&](const leopard::Progress&) { return ++calls < 2; }),
                    leopard::CancelledError);
    CHECK(calls == 2);  // stopped before the second image
}

TEST_CASE("prepareTiles refuses empty images", "[tiles]") {
    CHECK_THROWS_AS(prepareTiles({ImageRGB{}}, 364, 50), leopard::InputError);
}
