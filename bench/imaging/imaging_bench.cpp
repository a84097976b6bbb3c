// Measures how fast images become Leopard tiles on this machine:
//   planning only, planning + resampling (makeTiles), and the whole
//   prepareTiles (plan, resample, normalize into one float batch).
//
//   leopard-imaging-bench                       # one 2000x1500 page, budget 50
//   leopard-imaging-bench --width 1240 --height 1754 --images 4 --seconds 5
#include <chrono>
#include <ctime>
#include <cstdio>
#include <functional>

#include <CLI/CLI.hpp>

#include "imaging/tiles.h"

using namespace leopard::imaging;
using Clock = std::chrono::steady_clock;

namespace {

// A page-like picture: white paper, dark "text lines" of varying density and
// a coloured figure, so resampling sees edges rather than flat colour.
ImageRGB syntheticPage(int w, int h, unsigned seed) {
    ImageRGB img(w, h);
    unsigned state = seed;
    for (int y = 0; y < h; ++y) {
        uint8_t* row = img.row(y);
        const bool textLine = (y / 12) % 2 == 0 && y % 12 < 9;
        for (int x = 0; x < w; ++x) {
            state = state * 1664525u + 1013904223u;
            uint8_t v = 245;
            if (textLine && ((state >> 24) & 3) == 0) v = 30;
            row[3 * x + 0] = v;
            row[3 * x + 1] = v;
            row[3 * x + 2] = v;
            if (x > w / 2 && y > h / 2 && y < h / 2 + h / 5) {
                row[3 * x + 0] = static_cast<uint8_t>(x * 255 / w);
                row[3 * x + 2] = static_cast<uint8_t>(y * 255 / h);
            }
        }
    }
    return img;
}

struct Timing {
    int runs = 0;
    double wall = 0;  // seconds
    double cpu = 0;   // process CPU seconds: a fairer figure on a shared, busy machine
};

// Runs body repeatedly for about `seconds` of wall-clock time.
Timing timeIt(double seconds, const std::function<void()>& body) {
    Timing t;
    const auto start = Clock::now();
    const std::clock_t cpuStart = std::clock();
    do {
        body();
        ++t.runs;
        t.wall = std::chrono::duration<double>(Clock::now() - start).count();
    } while (t.wall < seconds);
    t.cpu = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
    return t;
}

void printRate(const char* what, const Timing& t, int tilesPerRun) {
    const double tiles = static_cast<double>(t.runs) * tilesPerRun;
    std::printf("%-24s %8.1f tiles/s  (%.1f ms/question; %.1f tiles per CPU-second)\n", what, tiles / t.wall,
                1e3 * t.wall / t.runs, tiles / t.cpu);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Leopard tile planning + resampling benchmark"};
    int width = 2000, height = 1500, images = 1, tile = 364, budget = 50;
    double seconds = 3.0;
    app.add_option("--width", width, "page width in pixels")->check(CLI::PositiveNumber);
    app.add_option("--height", height, "page height in pixels")->check(CLI::PositiveNumber);
    app.add_option("--images", images, "images in the question")->check(CLI::PositiveNumber);
    app.add_option("--tile", tile, "tile size (the vision config's image_size)")->check(CLI::PositiveNumber);
    app.add_option("--budget", budget, "total tile budget of the question");
    app.add_option("--seconds", seconds, "time per measurement")->check(CLI::PositiveNumber);
    CLI11_PARSE(app, argc, argv);

    std::vector<ImageRGB> pages;
    std::vector<std::array<int, 2>> sizes;
    for (int i = 0; i < images; ++i) {
        pages.push_back(syntheticPage(width, height, 7u + static_cast<unsigned>(i)));
        sizes.push_back({width, height});
    }
    const TilePlan plan = planTiles(sizes, tile, budget);
    const int tilesPerRun = plan.totalModelTiles();
    std::printf("input: %d image(s) of %dx%d, tile %d, budget %d -> %d tiles per question (grid %s)\n", images,
                width, height, tile, budget, tilesPerRun, toJson(plan)["images"][0]["grid"].dump().c_str());

    const Timing planning = timeIt(seconds / 3, [&] { (void)planTiles(sizes, tile, budget); });
    std::printf("%-24s %8.1f plans/s  (%.2f us/plan)\n", "planning:", planning.runs / planning.wall,
                1e6 * planning.wall / planning.runs);
    printRate("planning + resampling:", timeIt(seconds, [&] {
                  const TilePlan p = planTiles(sizes, tile, budget);
                  for (size_t i = 0; i < pages.size(); ++i) (void)makeTiles(pages[i], p.images[i], tile);
              }),
              tilesPerRun);
    printRate("prepareTiles (+ norm.):", timeIt(seconds, [&] { (void)prepareTiles(pages, tile, budget); }),
              tilesPerRun);
    return 0;
}
