// Tile planning against the reference's own allocation (golden
// tiling/allocation.json, made by Leopard's allocate_patches,
// select_best_resolution and resize_and_pad_image).
#include <catch2/catch.hpp>

#include <fstream>

#include "imaging/tile_plan.h"
#include "test_paths.h"
#include "util/errors.h"

using leopard::imaging::planTiles;

namespace {

nlohmann::json readJson(const std::filesystem::path& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
}

// Every question of an allocation file (tests/data/golden/tiling/allocation.json's
// layout) planned by planTiles equals the reference's plan, field by field.
void checkAllocationFile(const std::filesystem::path& path) {
    const auto golden = readJson(path);
    const int tile = golden.at("tile").get<int>();
    const int totalBudget = golden.at("total_budget").get<int>();
    const auto& cases = golden.at("cases");
    REQUIRE(cases.size() > 0);
    for (size_t k = 0; k < cases.size(); ++k) {
        const auto& c = cases[k];
        const auto sizes = c.at("sizes_wh").get<std::vector<std::array<int, 2>>>();
        INFO("case " << k << ": " << c.at("sizes_wh").dump());
        const auto plan = planTiles(sizes, tile, totalBudget);
        const auto mine = leopard::imaging::toJson(plan);
        CHECK(mine.at("budget") == c.at("budget"));
        REQUIRE(mine.at("images").size() == c.at("images").size());
        for (size_t i = 0; i < sizes.size(); ++i) {
            INFO("image " << i);
            CHECK(mine["images"][i].dump() == c.at("images")[i].dump());
        }
    }
}

}  // namespace

TEST_CASE("tile plans match the reference allocation exactly", "[tile_plan]") {
    checkAllocationFile(leopard::test::goldenDir() / "tiling" / "allocation.json");
}

TEST_CASE("tile plans of 12-50 MP images, alone and mixed, match the reference's", "[tile_plan]") {
    // scripts/reference_native_tiles.py: the reference's own functions on
    // native sizes (phone photos, 5K/6K screenshots, panoramas, 2-8 images).
    checkAllocationFile(leopard::test::nativeSizeDir() / "plans.json");
}

TEST_CASE("a budget of zero or less gives every image one global view", "[tile_plan]") {
    for (int images : {50, 51, 60}) {
        std::vector<std::array<int, 2>> sizes(images, {3000, 2000});
        const auto plan = planTiles(sizes, 364, 50);
        CHECK(plan.budget == 50 - images);
        CHECK(plan.totalModelTiles() == images);
        CHECK(plan.tilesPerImage() == std::vector<int>(images, 1));
        for (const auto& img : plan.images) {
            CHECK_FALSE(img.grid.has_value());
            CHECK(img.tiles == 0);
        }
    }
}

TEST_CASE("allocation rounds halves to even and drops single tiles", "[tile_plan]") {
    // 910/364 = 2.5 exactly → 2 (Python round), so 2·2 = 4 tiles on a 2×2 grid.
    const auto half = planTiles({{910, 910}}, 364);
    CHECK(half.images[0].allocated == 4);
    // 1274/364 = 3.5 → 4.
    CHECK(planTiles({{1274, 364}}, 364).images[0].allocated == 4);
    // A tile-sized image: one tile would repeat the global view → none.
    const auto single = planTiles({{400, 300}}, 364);
    CHECK(single.images[0].allocated == 0);
    CHECK(single.tilesPerImage() == std::vector<int>{1});
}

TEST_CASE("scaled allocations stay within the budget", "[tile_plan]") {
    const auto plan = planTiles({{4000, 4000}, {4000, 4000}, {3000, 1000}}, 364, 50);
    int allocated = 0, tiles = 0;
    for (const auto& img : plan.images) {
        allocated += img.allocated;
        tiles += img.tiles;
        CHECK(img.tiles <= img.allocated);
    }
    CHECK(allocated <= plan.budget);
    CHECK(tiles <= plan.budget);
    CHECK(plan.totalModelTiles() == tiles + 3);
}

TEST_CASE("empty sizes and tile sizes are input errors", "[tile_plan]") {
    CHECK_THROWS_AS(planTiles({{0, 10}}, 364), leopard::InputError);
    CHECK_THROWS_AS(planTiles({{10, 10}}, 0), leopard::InputError);
}
