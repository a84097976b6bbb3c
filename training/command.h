// Subcommand registry for leopard-train, the same pattern as leopard-cli's
// (app/cli/command.h): each subcommand is one file under commands/ (Qt-free,
// builds in the engine-only configuration) or commands/qt/ (needs Qt, e.g.
// `synth`) and registers itself with a static Registrar:
//
//   static leopard::train::Registrar reg("train", 20, [](CLI::App& parent) {
//       auto* cmd = parent.add_subcommand("train", "Train a model from a config");
//       cmd->callback([] { ... });
//   });
//
// Callbacks report failure by throwing leopard::InputError (exit 2),
// leopard::CancelledError (exit 130) or another exception (exit 1).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace leopard::train {

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

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitCancelled = 130;

}  // namespace leopard::train
