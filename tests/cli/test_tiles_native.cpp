// Large images through the whole pipeline (`leopard-cli tiles`: decode,
// render policy, plan, PIL-exact resampling) against the reference's plans
// and tiles (tests/data/native-size/tiles.json, made by
// scripts/reference_native_tiles.py from the synthetic pattern of
// native_pattern.h): 12-50 MP images are planned from their native size and
// resampled once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_fixture.h"
#include "imaging/png_io.h"
#include "native_pattern.h"

using namespace leopard::test;

namespace {

nlohmann::json readJson(const std::filesystem::path& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("tiles of 12-50 MP images equal the reference's within one level", "[tiles][native-size][slow]") {
    const auto expected = readJson(nativeSizeDir() / "tiles.json");
    const int tile = expected.at("tile").get<int>();
    REQUIRE(expected.at("cases").size() > 0);
    for (size_t k = 0; k < expected.at("cases").size(); ++k) {
        const auto& c = expected["cases"][k];
        INFO("case " << k << ": " << c.at("sizes_wh").dump());
        CliFixture f;
        std::vector<std::string> args = {"tiles", "--tile", std::to_string(tile), "--out", (f.dir / "out").string()};
        const auto sizes = c.at("sizes_wh").get<std::vector<std::array<int, 2>>>();
        for (size_t i = 0; i < sizes.size(); ++i) {
            const auto path = f.dir / ("image" + std::to_string(i) + ".png");
            leopard::imaging::writePng(path, nativePattern(sizes[i][0], sizes[i][1]));
            args.push_back(path.string());
        }
        const CliResult r = f.run(args);
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        const auto plan = readJson(f.dir / "out" / "plan.json");
        CHECK(plan.at("budget") == c.at("plan").at("budget"));
        REQUIRE(plan.at("images").size() == sizes.size());
        for (size_t i = 0; i < sizes.size(); ++i) {
            INFO("image " << i);
            const auto& mine = plan["images"][i];
            CHECK(mine.at("size").get<std::array<int, 2>>() == sizes[i]);  // native: nothing shrunk first
            CHECK(mine.at("render_scale").get<double>() == 1.0);
            for (const auto& [key, value] : c["plan"]["images"][i].items()) {
                INFO(key);
                CHECK(mine.at(key).dump() == value.dump());
            }
        }
        for (const auto& want : c.at("tiles")) {
            const size_t image = want.at("image").get<size_t>(), index = want.at("index").get<size_t>();
            const auto name = want.at("file").get<std::string>();
            INFO(name);
            const auto& files = plan["images"][image].at("tile_files");
            REQUIRE(index < files.size());
            const auto mine = leopard::imaging::readPng(f.dir / "out" / files[index].get<std::string>());
            const auto ref = leopard::imaging::readPng(nativeSizeDir() / name);
            REQUIRE(mine.width == ref.width);
            REQUIRE(mine.height == ref.height);
            int maxDiff = 0;
            size_t exact = 0;
            for (size_t p = 0; p < ref.pixels.size(); ++p) {
                const int d = std::abs(int(mine.pixels[p]) - int(ref.pixels[p]));
                maxDiff = std::max(maxDiff, d);
                exact += d == 0;
            }
            std::printf("%-22s max |d| %d, exact %.4f %%\n", name.c_str(), maxDiff,
                        100.0 * double(exact) / double(ref.pixels.size()));
            CHECK(maxDiff <= 1);
        }
    }
}
