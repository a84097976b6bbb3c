// The command-line front of leopard-cli and leopard-train: a registry of
// subcommands and one main loop that maps errors to the documented exit
// codes. Each subcommand lives in its own file and registers itself with a
// static Registrar, so adding one never touches main():
//
//   static leopard::cli::Registrar reg("doctor", 10, [](CLI::App& parent) {
//       auto* cmd = parent.add_subcommand("doctor", "Report the runtime");
//       cmd->callback([] { ... });
//   });
//   int main(int argc, char** argv) { return leopard::cli::run("leopard-cli", "…", argc, argv); }
//
// Subcommands are listed in `order`. A callback reports failure by throwing
// leopard::InputError (exit 2), leopard::CancelledError (exit 130) or another
// exception (exit 1); it may also set the exit code through setExitCode().
//
// Thread-safety: registration happens during static initialisation and
// run() on the main thread; nothing here is for other threads.
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
// (e.g. `ask` interrupted by Ctrl-C after the partial answer was kept).
void setExitCode(int code);
int exitCode();

// Exit codes, documented in the README ("Exit codes").
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitCancelled = 130;

// Builds the application from the registry, parses argv, runs the chosen
// subcommand (help when none) and returns the exit code. Error lines on
// stderr start with "<program>: ".
int run(const std::string& program, const std::string& description, int argc, char** argv);

}  // namespace leopard::cli
