// The project's tiles against the reference's: golden tiling/tiles.json lists
// source PNGs and, in model order, the global views and tiles the reference
// (PIL BICUBIC) made from them.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "imaging/png_io.h"
#include "imaging/tiles.h"
#include "test_paths.h"

using namespace leopard::imaging;

TEST_CASE("tiles match the reference's PIL tiles", "[tiles][golden]") {
    const auto dir = leopard::test::goldenDir() / "tiling";
    std::ifstream in(dir / "tiles.json");
    REQUIRE(in.good());
    const auto golden = nlohmann::json::parse(in);
    const int tile = golden.at("tile").get<int>();
    REQUIRE(golden.at("cases").size() > 0);

    for (size_t k = 0; k < golden.at("cases").size(); ++k) {
        const auto& c = golden["cases"][k];
        std::vector<ImageRGB> images;
        std::vector<std::array<int, 2>> sizes;
        for (const auto& name : c.at("images")) {
            images.push_back(readPng(dir / name.get<std::string>()));
            sizes.push_back({images.back().width, images.back().height});
        }
        const auto plan = planTiles(sizes, tile, 50);
        CHECK(toJson(plan).dump() == c.at("plan").dump());

        std::vector<ImageRGB> mine;
        for (size_t i = 0; i < images.size(); ++i)
            for (auto& t : makeTiles(images[i], plan.images[i], tile)) mine.push_back(std::move(t));
        const auto& expected = c.at("tiles_in_order");
        REQUIRE(mine.size() == expected.size());

        for (size_t t = 0; t < mine.size(); ++t) {
            const auto name = expected[t].get<std::string>();
            const ImageRGB want = readPng(dir / name);
            INFO(name);
            REQUIRE(mine[t].width == want.width);
            REQUIRE(mine[t].height == want.height);
            double sum = 0;
            size_t within2 = 0, exact = 0;
            int maxDiff = 0;
            for (size_t i = 0; i < want.pixels.size(); ++i) {
                const int d = std::abs(int(mine[t].pixels[i]) - int(want.pixels[i]));
                sum += d;
                within2 += d <= 2;
                exact += d == 0;
                maxDiff = std::max(maxDiff, d);
            }
            const double n = static_cast<double>(want.pixels.size());
            const double meanAbs = sum / n, fracWithin2 = within2 / n;
            std::printf("case %zu %-24s mean|d| %.4f  within±2 %.4f%%  exact %.4f%%  max %d\n", k, name.c_str(),
                        meanAbs, 100 * fracWithin2, 100 * exact / n, maxDiff);
            CHECK(meanAbs <= 0.5);
            CHECK(fracWithin2 >= 0.999);
        }
    }
}
