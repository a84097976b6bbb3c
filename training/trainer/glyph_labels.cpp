#include "trainer/glyph_labels.h"

#include <algorithm>
#include <string>

#include "util/errors.h"

namespace leopard::training {

std::vector<int64_t> glyphPatchLabels(const imaging::ImageRGB& map, const imaging::ImageTilePlan& plan, int tileSize,
                                      int patch) {
    if (map.width != plan.width || map.height != plan.height)
        throw InputError("glyph map", "is " + std::to_string(map.width) + "x" + std::to_string(map.height) +
                                          ", its image " + std::to_string(plan.width) + "x" + std::to_string(plan.height));
    if (patch <= 0 || tileSize % patch != 0) throw Error("glyphPatchLabels: the patch size must divide the tile size");
    const int perSide = tileSize / patch;
    // The label at (x, y) of the image scaled to w × h (nearest neighbour).
    const auto at = [&](double x, double y, int w, int h) -> int64_t {
        const int sx = std::clamp(static_cast<int>(x * map.width / w), 0, map.width - 1);
        const int sy = std::clamp(static_cast<int>(y * map.height / h), 0, map.height - 1);
        return map.row(sy)[3 * static_cast<size_t>(sx)];
    };
    std::vector<int64_t> labels;
    labels.reserve(static_cast<size_t>(plan.modelTiles()) * perSide * perSide);
    for (int py = 0; py < perSide; ++py)
        for (int px = 0; px < perSide; ++px)
            labels.push_back(at((px + 0.5) * patch, (py + 0.5) * patch, tileSize, tileSize));
    if (!plan.grid) return labels;
    const auto [rows, cols] = *plan.grid;
    const auto [rw, rh] = plan.resized;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            for (int py = 0; py < perSide; ++py)
                for (int px = 0; px < perSide; ++px) {
                    const double x = c * tileSize + (px + 0.5) * patch - plan.paste[0];
                    const double y = r * tileSize + (py + 0.5) * patch - plan.paste[1];
                    labels.push_back(x < 0 || y < 0 || x >= rw || y >= rh ? 0 : at(x, y, rw, rh));
                }
    return labels;
}

}  // namespace leopard::training
