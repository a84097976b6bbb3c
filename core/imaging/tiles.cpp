#include "imaging/tiles.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "imaging/resample.h"
#include "util/errors.h"

namespace leopard::imaging {
namespace {

std::array<float, 3> readTriple(const nlohmann::json& config, const char* key, std::array<float, 3> fallback) {
    if (!config.contains(key)) return fallback;
    const auto& v = config.at(key);
    if (v.is_number()) return {v.get<float>(), v.get<float>(), v.get<float>()};
    if (!v.is_array() || v.size() != 3 || !std::all_of(v.begin(), v.end(), [](const auto& x) { return x.is_number(); }))
        throw InputError("preprocessor_config.json", std::string("\"") + key + "\" must be a number or 3 numbers");
    return {v[0].get<float>(), v[1].get<float>(), v[2].get<float>()};
}

// The size × size square at (x0, y0) of a black canvas on which `image` is
// pasted at `paste`; cut without building the canvas.
ImageRGB cutTile(const ImageRGB& image, std::array<int, 2> paste, int x0, int y0, int size) {
    ImageRGB tile(size, size);  // black
    const int left = std::max(x0, paste[0]), right = std::min(x0 + size, paste[0] + image.width);
    const int top = std::max(y0, paste[1]), bottom = std::min(y0 + size, paste[1] + image.height);
    if (left >= right) return tile;
    for (int y = top; y < bottom; ++y)
        std::memcpy(tile.row(y - y0) + 3 * static_cast<size_t>(left - x0),
                    image.row(y - paste[1]) + 3 * static_cast<size_t>(left - paste[0]),
                    3 * static_cast<size_t>(right - left));
    return tile;
}

}  // namespace

Normalization Normalization::fromPreprocessorConfig(const nlohmann::json& config) {
    Normalization n;
    if (config.contains("rescale_factor")) {
        if (!config.at("rescale_factor").is_number())
            throw InputError("preprocessor_config.json", "\"rescale_factor\" must be a number");
        n.rescale = config.at("rescale_factor").get<double>();
    }
    n.mean = readTriple(config, "image_mean", n.mean);
    n.std = readTriple(config, "image_std", n.std);
    return n;
}

std::vector<ImageRGB> makeTiles(const ImageRGB& image, const ImageTilePlan& plan, int tileSize) {
    if (image.width != plan.width || image.height != plan.height)
        throw Error("makeTiles: plan for " + std::to_string(plan.width) + "x" + std::to_string(plan.height) +
                    " used on an image of " + std::to_string(image.width) + "x" + std::to_string(image.height));
    std::vector<ImageRGB> tiles;
    tiles.reserve(static_cast<size_t>(plan.modelTiles()));
    tiles.push_back(resizeBicubic(image, tileSize, tileSize));
    if (!plan.bestResolution || !plan.grid) return tiles;

    const ImageRGB resized = resizeBicubic(image, plan.resized[0], plan.resized[1]);
    const auto [rows, cols] = *plan.grid;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) tiles.push_back(cutTile(resized, plan.paste, c * tileSize, r * tileSize, tileSize));
    return tiles;
}

void normalizeTile(const ImageRGB& tile, float* dst, const Normalization& norm) {
    // Hugging Face rescales in double and stores float32, then normalizes in
    // float32; a lookup table per channel does the same for all 256 values.
    float lut[3][256];
    for (int c = 0; c < 3; ++c)
        for (int p = 0; p < 256; ++p)
            lut[c][p] = (static_cast<float>(p * norm.rescale) - norm.mean[c]) / norm.std[c];
    const size_t plane = static_cast<size_t>(tile.width) * tile.height;
    const uint8_t* src = tile.pixels.data();
    for (size_t i = 0; i < plane; ++i) {
        dst[i] = lut[0][src[3 * i + 0]];
        dst[plane + i] = lut[1][src[3 * i + 1]];
        dst[2 * plane + i] = lut[2][src[3 * i + 2]];
    }
}

TileBatch prepareTiles(const std::vector<ImageRGB>& images, int tileSize, int totalBudget,
                       const ProgressCallback& progress, const Normalization& norm) {
    std::vector<std::array<int, 2>> sizes;
    sizes.reserve(images.size());
    for (size_t i = 0; i < images.size(); ++i) {
        if (images[i].empty()) throw InputError("image " + std::to_string(i + 1), "the image is empty");
        sizes.push_back({images[i].width, images[i].height});
    }
    TileBatch batch;
    batch.plan = planTiles(sizes, tileSize, totalBudget);
    batch.tileSize = tileSize;
    batch.tilesPerImage = batch.plan.tilesPerImage();
    batch.count = batch.plan.totalModelTiles();
    const size_t tileFloats = 3 * static_cast<size_t>(tileSize) * tileSize;
    batch.data.resize(tileFloats * batch.count);

    int done = 0;
    for (size_t i = 0; i < images.size(); ++i) {
        report(progress, {"tiling", done, batch.count,
                          "image " + std::to_string(i + 1) + "/" + std::to_string(images.size())});
        for (const auto& tile : makeTiles(images[i], batch.plan.images[i], tileSize))
            normalizeTile(tile, batch.data.data() + tileFloats * done++, norm);
    }
    report(progress, {"tiling", done, batch.count, "done"});
    return batch;
}

}  // namespace leopard::imaging
