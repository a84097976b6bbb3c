// Shared set-up of the CLI tests: a temporary folder with a two-page PDF and
// two PNGs, an empty config home (no user settings), and helpers to run
// `leopard-cli ask`/`compare` with the bundled placeholder model.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "test_paths.h"

namespace leopard::test {

struct CliFixture {
    TempDir dir;
    std::filesystem::path pdf = dir / "report.pdf";
    std::filesystem::path png = dir / "before.png";
    std::filesystem::path png2 = dir / "after.png";
    std::filesystem::path config = dir / "config-home";

    CliFixture() {
        makePdf(pdf, {"Finance: budget 420", "Operations: 9 sites"});
        makePng(png, 480, 300, "Theme: Light");
        makePng(png2, 480, 300, "Theme: Dark");
        std::filesystem::create_directory(config);
    }

    CliResult run(const std::vector<std::string>& args, CliOptions options = {}) const {
        if (options.configHome.empty()) options.configHome = config;
        return runCli(args, options);
    }

    // `args` + --json with short answers; parses stdout (REQUIREs success).
    nlohmann::json json(std::vector<std::string> args, CliOptions options = {}) const;
};

}  // namespace leopard::test
