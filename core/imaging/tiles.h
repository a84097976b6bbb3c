// From images to what Leopard's vision tower reads: each image becomes its
// global view (the whole image squashed to T×T) followed by the tiles of its
// plan (resize to the planned size, centre on a black canvas of whole tiles,
// cut row-major), and every tile becomes normalized CHW floats
// (LEOPARD.md §3). Resampling is Pillow's bicubic (imaging/resample.h).
//
//   auto batch = leopard::imaging::prepareTiles(pages, 364, 50, progress);
//   // batch.data: [batch.count, 3, 364, 364]; batch.tilesPerImage: {9, 3, …}
//
// Pure functions of their arguments: thread-safe. Results are owned by the
// caller.
#pragma once

#include <array>
#include <vector>

#include <nlohmann/json.hpp>

#include "imaging/image.h"
#include "imaging/tile_plan.h"
#include "util/progress.h"

namespace leopard::imaging {

// x = (p · rescale − mean[c]) / std[c]. The defaults are SigLIP's (what the
// released Leopard checkpoint was trained with); a model folder's
// preprocessor_config.json can override them (fromPreprocessorConfig).
struct Normalization {
    double rescale = 1.0 / 255.0;
    std::array<float, 3> mean{0.5f, 0.5f, 0.5f};
    std::array<float, 3> std{0.5f, 0.5f, 0.5f};

    // Reads "rescale_factor", "image_mean" and "image_std" where present
    // (Hugging Face image-processor layout); missing keys keep the defaults.
    // Throws InputError when a present key has the wrong shape.
    static Normalization fromPreprocessorConfig(const nlohmann::json& config);
};

// The tiles of one image in model order: [global view, tile 1, …, tile k],
// each tileSize × tileSize. `plan` must be this image's entry of a plan made
// with the same tileSize (its width/height must equal the image's; Error
// otherwise).
std::vector<ImageRGB> makeTiles(const ImageRGB& image, const ImageTilePlan& plan, int tileSize);

// Writes the tile as 3 × height × width floats (channel, row, column) to dst,
// which must have room for 3 · width · height values.
void normalizeTile(const ImageRGB& tile, float* dst, const Normalization& norm = {});

// All tiles of one question, ready for the vision tower.
struct TileBatch {
    std::vector<float> data;  // [count, 3, tileSize, tileSize], tile-major
    int count = 0;            // total tiles: Σ tilesPerImage
    int tileSize = 0;
    std::vector<int> tilesPerImage;  // global view + tiles, per image, for the prompt builder
    TilePlan plan;                   // the plan the tiles were cut by
};

// Plans (planTiles), cuts (makeTiles) and normalizes the images of one
// question. Reports Progress{"tiling", tilesDone, totalTiles, "image i/n"}
// before each image and once when done; when progress returns false it
// throws CancelledError. Throws InputError for an empty image.
TileBatch prepareTiles(const std::vector<ImageRGB>& images, int tileSize, int totalBudget,
                       const ProgressCallback& progress = {}, const Normalization& norm = {});

}  // namespace leopard::imaging
