// The DPI policy for model input and thumbnails (render_policy.h).
#include <catch2/catch.hpp>

#include <cmath>

#include "documents/render_policy.h"

using namespace leopard;

namespace {

// The tile plan's allocation for one image: round-half-to-even of W/T and H/T.
long tilesFor(QSizeF pixels, int t) { return std::lrint(pixels.width() / t) * std::lrint(pixels.height() / t); }

const QSizeF kA4(595.28, 841.89);
const QSizeF kSlide(793.76, 446.51);

}  // namespace

TEST_CASE("model renders reach the page's budget when the side cap allows", "[policy]") {
    const int t = 364;
    for (int budget : {4, 9, 12, 20, 49}) {
        INFO("budget " << budget);
        for (QSizeF page : {kA4, kSlide}) {
            const double s = modelRenderScale(page, t, budget, qint64(1) << 40);
            const QSizeF px = page * s;
            CHECK(tilesFor(px, t) >= budget);
            // ... and not by much: a slightly smaller scale falls short,
            // unless the 144 dpi floor decided.
            if (s > 2.0) CHECK(tilesFor(page * (s * 0.99), t) < budget);
        }
    }
}

TEST_CASE("pages share the budget left after their global views", "[policy]") {
    CHECK(modelPageBudget(50, 1) == 49);
    CHECK(modelPageBudget(50, 2) == 24);
    CHECK(modelPageBudget(50, 3) == 15);
    CHECK(modelPageBudget(12, 12) == 1);   // only global views left: at least 1
    CHECK(modelPageBudget(12, 30) == 1);
}

TEST_CASE("model renders are at least 144 dpi", "[policy]") {
    CHECK(modelRenderScale(kA4, 364, 1) == Approx(2.0));
    CHECK(modelRenderScale(kA4, 364, 0) == Approx(2.0));
    CHECK(modelRenderScale(QSizeF(100, 100), 364, 1) == Approx(2.0));
}

TEST_CASE("the longer side is capped at tileSize × ceil(sqrt(2 budget))", "[policy]") {
    // A receipt-shaped page cannot reach 49 tiles within 10 × 364 pixels.
    const QSizeF receipt(100, 1000);
    const double s = modelRenderScale(receipt, 364, 49, qint64(1) << 40);
    CHECK(1000 * s == Approx(10 * 364).epsilon(1e-6));
    // ... but never below 144 dpi.
    CHECK(modelRenderScale(QSizeF(200, 2000), 364, 49, qint64(1) << 40) == Approx(2.0));
    CHECK(kA4.height() * modelRenderScale(kA4, 364, 49, qint64(1) << 40) <= 10 * 364 + 1e-6);
}

TEST_CASE("the pixel limit wins over everything", "[policy]") {
    const qint64 limit = 1'000'000;
    for (int budget : {1, 9, 49}) {
        const double s = modelRenderScale(kA4, 364, budget, limit);
        CHECK(kA4.width() * s * kA4.height() * s <= limit * 1.0001);
    }
}

TEST_CASE("thumbnails have a fixed height", "[policy]") {
    CHECK(kA4.height() * thumbnailScale(kA4, 400) == Approx(400));
    CHECK(1000 * thumbnailScale(QSizeF(3000, 1000), 200) == Approx(200));
}
