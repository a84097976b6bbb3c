// Leopard's adaptive high-resolution multi-image tile plan (LEOPARD.md §3):
// how many T×T tiles each image of one question gets, on which grid, and how
// the image is resized and padded onto that grid. Pure integer/double math
// that reproduces the reference's allocate_patches / select_best_resolution /
// resize_and_pad_image exactly (Python rounding and truncation included).
//
//   auto plan = leopard::imaging::planTiles({{1280, 720}, {800, 600}}, 364);
//   plan.tilesPerImage();   // {9, 5}: global view + tiles, per image
//   plan.totalModelTiles(); // 14 image slots in the prompt
//
// Plain values, no shared state: thread-safe.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

namespace leopard::imaging {

struct ImageTilePlan {
    int width = 0, height = 0;  // the source image
    int allocated = 0;          // tiles granted by the allocation (0 when the budget is ≤ 0)
    std::optional<std::array<int, 2>> bestResolution;  // grid canvas [w, h]; none → global view only
    std::array<int, 2> resized{0, 0};  // [w, h] the image is resized to (when bestResolution)
    std::array<int, 2> paste{0, 0};    // [x, y] where it is pasted on the black canvas
    std::optional<std::array<int, 2>> grid;  // [rows, cols] of tiles
    int tiles = 0;                           // rows · cols (0 without a grid)

    // Image slots this image takes in the model input: its global view first.
    int modelTiles() const { return 1 + tiles; }
};

struct TilePlan {
    int budget = 0;  // totalBudget − number of images; ≤ 0 means global views only
    std::vector<ImageTilePlan> images;

    int totalModelTiles() const;
    // modelTiles() of each image, in order: what the prompt builder needs.
    std::vector<int> tilesPerImage() const;
};

// Plans the tiles of the images of one question. sizesWH: [width, height] per
// image; tileSize: the vision tower's image_size; totalBudget: tiles for the
// whole question before subtracting one global view per image.
// Throws InputError for a non-positive size or tile size.
TilePlan planTiles(const std::vector<std::array<int, 2>>& sizesWH, int tileSize, int totalBudget = 50);

// The plan in the layout of the reference's golden allocation.json:
// {"budget", "images": [{"allocated", "best_resolution", "resized", "paste",
// "grid", "tiles"}]} — "allocated" and "best_resolution" only when the
// allocation ran (budget > 0), "resized"/"paste" only with a best resolution.
nlohmann::json toJson(const TilePlan& plan);
// One image of a plan, as in toJson(plan)["images"][index].
nlohmann::json imageToJson(const TilePlan& plan, size_t index);

}  // namespace leopard::imaging
