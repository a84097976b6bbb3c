// Runs the built leopard-cli as a child process for the end-to-end tests:
// arguments, environment changes, captured stdout/stderr, exit status, and
// a hook that sees stdout as it streams (to send SIGINT mid-answer).
// Also makes the test documents (QPdfWriter PDFs, QImage PNGs).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace leopard::test {

struct CliResult {
    int exitCode = -1;  // 128 + signal when killed by one
    std::string out, err;
};

struct CliOptions {
    // Variables to set; std::nullopt unsets. By default the tests unset
    // LEOPARD_MODEL and point XDG_CONFIG_HOME at `configHome` so the user's
    // settings never leak in.
    std::map<std::string, std::optional<std::string>> env;
    std::filesystem::path configHome;
    // Called whenever stdout grows, with the child's pid and stdout so far.
    std::function<void(pid_t, const std::string&)> onStdout;
};

CliResult runCli(const std::vector<std::string>& args, const CliOptions& options);

// A PDF with one A5 page per text, each showing its text in large type.
void makePdf(const std::filesystem::path& path, const std::vector<std::string>& pages);
// A PNG of the given size with a coloured band and a label.
void makePng(const std::filesystem::path& path, int width, int height, const std::string& label);

std::string readText(const std::filesystem::path& path);

}  // namespace leopard::test
