#include "imaging/tile_plan.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>

#include "util/errors.h"

namespace leopard::imaging {
namespace {

// Python's round() on a float: nearest integer, exact halves to even.
int64_t roundHalfEven(double x) {
    const double lower = std::floor(x);
    const double diff = x - lower;
    if (diff > 0.5) return static_cast<int64_t>(lower) + 1;
    if (diff < 0.5) return static_cast<int64_t>(lower);
    const auto l = static_cast<int64_t>(lower);
    return l % 2 == 0 ? l : l + 1;
}

// allocate_patches: tiles each image could use at its own size, scaled down
// (by truncation) when they exceed the budget.
std::vector<int64_t> allocate(const std::vector<std::array<int, 2>>& sizes, int tileSize, int budget) {
    std::vector<int64_t> counts;
    counts.reserve(sizes.size());
    for (const auto& s : sizes) {
        int64_t n = roundHalfEven(static_cast<double>(s[0]) / tileSize) *
                    roundHalfEven(static_cast<double>(s[1]) / tileSize);
        counts.push_back(n == 1 ? 0 : n);  // one tile would only repeat the global view
    }
    const int64_t total = std::accumulate(counts.begin(), counts.end(), int64_t{0});
    if (total <= budget) return counts;

    const double factor = static_cast<double>(budget) / static_cast<double>(total);
    for (auto& n : counts) n = static_cast<int64_t>(static_cast<double>(n) * factor);
    // The reference then trims one tile at a time while rounding left the sum
    // above the budget; truncation makes that (nearly) impossible, but keep
    // its exact rule so a plan can never exceed the budget.
    int64_t sum = std::accumulate(counts.begin(), counts.end(), int64_t{0});
    while (sum > budget) {
        int64_t excess = sum - budget;
        for (auto& n : counts) {
            if (n > 0) {
                --n;
                --excess;
            }
            if (excess == 0) break;
        }
        sum = std::accumulate(counts.begin(), counts.end(), int64_t{0});
    }
    return counts;
}

// select_best_resolution: the grid (other than 1×1) of at most n tiles that
// keeps the most source pixels, ties to the least padding, first found wins.
std::optional<std::array<int, 2>> bestResolution(int width, int height, int64_t n, int tileSize) {
    if (n <= 0) return std::nullopt;
    const int64_t area = static_cast<int64_t>(width) * height;
    std::optional<std::array<int, 2>> best;
    int64_t maxEffective = 0;
    int64_t minWasted = std::numeric_limits<int64_t>::max();
    for (int64_t r = 1; r <= n; ++r) {
        for (int64_t c = 1; r * c <= n; ++c) {
            if (r == 1 && c == 1) continue;
            const int64_t w = c * tileSize, h = r * tileSize;
            const double scale = std::min(static_cast<double>(w) / width, static_cast<double>(h) / height);
            const auto dw = static_cast<int64_t>(width * scale);
            const auto dh = static_cast<int64_t>(height * scale);
            const int64_t effective = std::min(dw * dh, area);
            const int64_t wasted = w * h - effective;
            if (effective > maxEffective || (effective == maxEffective && wasted < minWasted)) {
                maxEffective = effective;
                minWasted = wasted;
                best = std::array<int, 2>{static_cast<int>(w), static_cast<int>(h)};
            }
        }
    }
    return best;
}

void resizeAndPad(ImageTilePlan& p, int tileSize) {
    const int w = (*p.bestResolution)[0], h = (*p.bestResolution)[1];
    const double scaleW = static_cast<double>(w) / p.width;
    const double scaleH = static_cast<double>(h) / p.height;
    int nw, nh;
    if (scaleW < scaleH) {
        nw = w;
        nh = std::min(static_cast<int>(std::ceil(p.height * scaleW)), h);
    } else {
        nh = h;
        nw = std::min(static_cast<int>(std::ceil(p.width * scaleH)), w);
    }
    p.resized = {nw, nh};
    p.paste = {(w - nw) / 2, (h - nh) / 2};
    p.grid = std::array<int, 2>{h / tileSize, w / tileSize};
    p.tiles = (h / tileSize) * (w / tileSize);
}

nlohmann::json pair(const std::optional<std::array<int, 2>>& v) {
    return v ? nlohmann::json::array({(*v)[0], (*v)[1]}) : nlohmann::json(nullptr);
}

}  // namespace

int TilePlan::totalModelTiles() const {
    int total = 0;
    for (const auto& img : images) total += img.modelTiles();
    return total;
}

std::vector<int> TilePlan::tilesPerImage() const {
    std::vector<int> out;
    out.reserve(images.size());
    for (const auto& img : images) out.push_back(img.modelTiles());
    return out;
}

TilePlan planTiles(const std::vector<std::array<int, 2>>& sizesWH, int tileSize, int totalBudget) {
    if (tileSize <= 0) throw InputError("tile plan: tile size must be positive, got " + std::to_string(tileSize));
    for (size_t i = 0; i < sizesWH.size(); ++i) {
        if (sizesWH[i][0] <= 0 || sizesWH[i][1] <= 0)
            throw InputError("tile plan: image " + std::to_string(i + 1) + " has an empty size " +
                             std::to_string(sizesWH[i][0]) + "x" + std::to_string(sizesWH[i][1]));
    }
    TilePlan plan;
    plan.budget = totalBudget - static_cast<int>(sizesWH.size());
    plan.images.resize(sizesWH.size());
    for (size_t i = 0; i < sizesWH.size(); ++i) {
        plan.images[i].width = sizesWH[i][0];
        plan.images[i].height = sizesWH[i][1];
    }
    // Too many images for any tiles: one global view each (the reference's
    // placeholder count is wrong here; LEOPARD.md §3 fixes it to one).
    if (plan.budget <= 0) return plan;

    const auto counts = allocate(sizesWH, tileSize, plan.budget);
    for (size_t i = 0; i < plan.images.size(); ++i) {
        auto& img = plan.images[i];
        img.allocated = static_cast<int>(counts[i]);
        img.bestResolution = bestResolution(img.width, img.height, counts[i], tileSize);
        if (img.bestResolution) resizeAndPad(img, tileSize);
    }
    return plan;
}

nlohmann::json imageToJson(const TilePlan& plan, size_t index) {
    const auto& img = plan.images.at(index);
    nlohmann::json j = nlohmann::json::object();
    if (plan.budget > 0) {
        j["allocated"] = img.allocated;
        j["best_resolution"] = pair(img.bestResolution);
    }
    if (img.bestResolution) {
        j["resized"] = pair(img.resized);
        j["paste"] = pair(img.paste);
    }
    j["grid"] = pair(img.grid);
    j["tiles"] = img.tiles;
    return j;
}

nlohmann::json toJson(const TilePlan& plan) {
    nlohmann::json images = nlohmann::json::array();
    for (size_t i = 0; i < plan.images.size(); ++i) images.push_back(imageToJson(plan, i));
    return {{"budget", plan.budget}, {"images", images}};
}

}  // namespace leopard::imaging
