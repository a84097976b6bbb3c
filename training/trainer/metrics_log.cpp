#include "trainer/metrics_log.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "imaging/png_io.h"
#include "util/errors.h"

namespace leopard::training {

MetricsLog::MetricsLog(std::filesystem::path file, bool truncate) : file_(std::move(file)) {
    std::ofstream out(file_, truncate ? std::ios::trunc : std::ios::app);
    if (!out) throw InputError(file_.string(), "cannot write");
}

void MetricsLog::append(const nlohmann::json& line) {
    std::ofstream out(file_, std::ios::app);
    out << line.dump() << '\n';
    out.flush();
    if (!out) throw Error(file_.string() + ": cannot append (disk full?)");
}

std::vector<std::pair<double, double>> readLossPoints(const std::filesystem::path& metricsJsonl) {
    std::vector<std::pair<double, double>> points;
    std::ifstream in(metricsJsonl);
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (j.is_object() && j.contains("loss") && j.contains("step"))
            points.emplace_back(j["step"].get<double>(), j["loss"].get<double>());
    }
    return points;
}

namespace {

struct Canvas {
    imaging::ImageRGB image;
    void dot(int x, int y, uint8_t r, uint8_t g, uint8_t b) {
        if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
        uint8_t* p = image.row(y) + 3 * x;
        p[0] = r, p[1] = g, p[2] = b;
    }
    // Bresenham.
    void line(int x0, int y0, int x1, int y1, uint8_t r, uint8_t g, uint8_t b) {
        const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0);
        const int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
        for (int err = dx + dy;;) {
            dot(x0, y0, r, g, b);
            dot(x0, y0 + 1, r, g, b);   // 2 px thick
            if (x0 == x1 && y0 == y1) break;
            const int e2 = 2 * err;
            if (e2 >= dy) err += dy, x0 += sx;
            if (e2 <= dx) err += dx, y0 += sy;
        }
    }
};

}  // namespace

void writeLossCurvePng(const std::filesystem::path& png, const std::vector<std::pair<double, double>>& points,
                       int width, int height) {
    Canvas c{imaging::ImageRGB(width, height)};
    std::fill(c.image.pixels.begin(), c.image.pixels.end(), uint8_t{255});
    const int left = 40, right = width - 10, top = 10, bottom = height - 30;
    for (int i = 0; i <= 4; ++i) {   // grid: quarters of the loss range
        const int y = top + (bottom - top) * i / 4;
        c.line(left, y, right, y, 225, 225, 225);
    }
    c.line(left, top, left, bottom, 0, 0, 0);
    c.line(left, bottom, right, bottom, 0, 0, 0);
    if (points.size() >= 2) {
        double x0 = points.front().first, x1 = points.back().first, lo = 0, hi = 0;
        for (const auto& [s, l] : points) hi = std::max(hi, l);
        if (hi <= lo) hi = lo + 1;
        if (x1 <= x0) x1 = x0 + 1;
        auto px = [&](double s) { return left + static_cast<int>(std::lround((s - x0) / (x1 - x0) * (right - left))); };
        auto py = [&](double l) { return bottom - static_cast<int>(std::lround((l - lo) / (hi - lo) * (bottom - top))); };
        for (size_t i = 1; i < points.size(); ++i)
            c.line(px(points[i - 1].first), py(points[i - 1].second), px(points[i].first), py(points[i].second), 30, 90,
                   200);
    }
    auto tmp = png;
    tmp += ".tmp";
    imaging::writePng(tmp, c.image);
    std::filesystem::rename(tmp, png);
}

}  // namespace leopard::training
