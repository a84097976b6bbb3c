// leopard-train: synthetic data, vocabulary, training, fine-tuning and
// merging for Leopard models. The work lives in libraries (data/, synth/,
// core/); this file parses the command line and maps errors to exit codes.
#include <algorithm>
#include <cstdio>
#include <exception>

#include "command.h"
#include "util/errors.h"

int main(int argc, char** argv) {
    using namespace leopard::train;
    CLI::App app{"leopard-train: make data for, train and fine-tune Leopard models"};
    app.require_subcommand(0, 1);
    app.set_version_flag("--version", std::string("leopard-train ") + LEOPARD_VERSION);

    auto& entries = registry();
    std::sort(entries.begin(), entries.end(),
              [](const CommandEntry& a, const CommandEntry& b) { return a.order < b.order; });
    for (const auto& e : entries) e.fn(app);

    try {
        app.parse(argc, argv);
        if (app.get_subcommands().empty()) {
            std::fputs(app.help().c_str(), stdout);
            return kExitOk;
        }
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "leopard-train: %s\n", e.what());
        return kExitBadInput;
    } catch (const leopard::CancelledError&) {
        std::fprintf(stderr, "leopard-train: cancelled\n");
        return kExitCancelled;
    } catch (const leopard::InputError& e) {
        std::fprintf(stderr, "leopard-train: %s\n", e.what());
        return kExitBadInput;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "leopard-train: error: %s\n", e.what());
        return kExitFailure;
    }
    return kExitOk;
}
