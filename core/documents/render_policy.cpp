#include "documents/render_policy.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace leopard {

namespace {

constexpr double kMinModelScale = 2.0;  // 144 dpi

// Python's round(): half to even, as the tile plan's allocation uses.
long roundHalfEven(double x) { return std::lrint(x); }

long tilesAt(QSizeF points, double scale, int tileSize) {
    return roundHalfEven(points.width() * scale / tileSize) * roundHalfEven(points.height() * scale / tileSize);
}

// Smallest scale whose tile count reaches `budget`: the count only changes
// where W·s/T or H·s/T crosses k + ½, so those crossings are the candidates.
double scaleReaching(QSizeF points, int tileSize, int budget) {
    std::vector<double> candidates;
    for (int k = 0; k <= budget; ++k) {
        // Just above the crossing: at exactly k + ½ an even k rounds down.
        candidates.push_back((k + 0.5) * tileSize / points.width() * (1 + 1e-9));
        candidates.push_back((k + 0.5) * tileSize / points.height() * (1 + 1e-9));
    }
    std::sort(candidates.begin(), candidates.end());
    for (double s : candidates)
        if (tilesAt(points, s, tileSize) >= budget) return s;
    return candidates.back();
}

double pixelCap(QSizeF size, double scale, qint64 pixelLimit) {
    const double pixels = size.width() * size.height() * scale * scale;
    return pixels > double(pixelLimit) ? scale * std::sqrt(double(pixelLimit) / pixels) : scale;
}

}  // namespace

int modelPageBudget(int tileBudget, int pages) { return std::max(1, (tileBudget - pages) / std::max(1, pages)); }

double modelRenderScale(QSizeF pagePoints, int tileSize, int budget, qint64 pixelLimit) {
    if (pagePoints.isEmpty() || tileSize <= 0) return kMinModelScale;
    budget = std::max(budget, 1);
    const double longer = std::max(pagePoints.width(), pagePoints.height());
    const double sideCap = tileSize * std::ceil(std::sqrt(2.0 * budget)) / longer;
    double scale = std::min(scaleReaching(pagePoints, tileSize, budget), sideCap);
    scale = std::max(scale, kMinModelScale);
    return pixelCap(pagePoints, scale, pixelLimit);
}

double thumbnailScale(QSizeF pageSize, int heightPx) {
    if (pageSize.isEmpty() || heightPx <= 0) return 1.0;
    return heightPx / pageSize.height();
}

}  // namespace leopard
