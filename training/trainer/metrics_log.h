// The training metrics log: one JSON object per line appended to
// metrics.jsonl ({"step","loss","lr","samples_per_s","tokens_per_s",…} and
// eval lines {"step","eval":{category: accuracy}}), and the loss curve drawn
// into a PNG (imaging/png_io.h) — hand-drawn because no Debian C++ library
// plots without a GUI toolkit, and the trainer must stay Qt-free.
//
// Thread-compatible: one writer per file.
#pragma once

#include <filesystem>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace leopard::training {

class MetricsLog {
public:
    // Appends to `file` (created when missing); truncate=true starts afresh.
    MetricsLog(std::filesystem::path file, bool truncate);
    void append(const nlohmann::json& line);
    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
};

// (step, loss) points of a metrics.jsonl (lines without "loss" are skipped).
std::vector<std::pair<double, double>> readLossPoints(const std::filesystem::path& metricsJsonl);

// Draws the points as a line chart (axes, light grid, loss on a linear axis)
// into a width × height PNG, atomically. Throws InputError when it cannot write.
void writeLossCurvePng(const std::filesystem::path& png, const std::vector<std::pair<double, double>>& points,
                       int width = 640, int height = 360);

}  // namespace leopard::training
