// Subcommand registry for leopard-cli. Each subcommand lives in its own file
// and registers itself with a static Registrar, so adding one never touches
// main.cpp:
//
//   static leopard::cli::Registrar reg("doctor", 10, [](CLI::App& parent) {
//       auto* cmd = parent.add_subcommand("doctor", "Report the runtime");
//       cmd->callback([] { ... });
//   });
//
// Callbacks report failure by throwing leopard::InputError (exit 2),
// leopard::CancelledError (exit 130) or another exception (exit 1); a
// callback may also set the exit code explicitly through setExitCode().
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace leopard::cli {

using RegisterFn = std::function<void(CLI::App&)>;

struct Registrar {
    Registrar(std::string name, int order, RegisterFn fn);
};

struct CommandEntry {
    std::string name;
    int order;
    RegisterFn fn;
};
std::vector<CommandEntry>& registry();

// Exit code for commands that finish without throwing but must not exit 0
// (e.g. `ask` where some files failed is still 0; all failing is 2).
void setExitCode(int code);
int exitCode();

// Exit codes, documented in the README ("Exit codes").
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitCancelled = 130;

}  // namespace leopard::cli
