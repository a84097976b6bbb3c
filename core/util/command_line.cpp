#include "util/command_line.h"

#include <algorithm>
#include <cstdio>
#include <exception>

#include "util/errors.h"

namespace leopard::cli {

namespace {
int g_exitCode = kExitOk;
}

std::vector<CommandEntry>& registry() {
    static std::vector<CommandEntry> entries;
    return entries;
}

Registrar::Registrar(std::string name, int order, RegisterFn fn) {
    registry().push_back({std::move(name), order, std::move(fn)});
}

void setExitCode(int code) { g_exitCode = code; }
int exitCode() { return g_exitCode; }

int run(const std::string& program, const std::string& description, int argc, char** argv) {
    CLI::App app{description};
    app.require_subcommand(0, 1);
    app.set_version_flag("--version", program + " " + LEOPARD_VERSION);

    auto& entries = registry();
    std::stable_sort(entries.begin(), entries.end(),
                     [](const CommandEntry& a, const CommandEntry& b) { return a.order < b.order; });
    for (const auto& e : entries) e.fn(app);

    const char* name = program.c_str();
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
        std::fprintf(stderr, "%s: %s\n", name, e.what());
        return kExitBadInput;
    } catch (const CancelledError&) {
        std::fprintf(stderr, "%s: cancelled\n", name);
        return kExitCancelled;
    } catch (const InputError& e) {
        std::fprintf(stderr, "%s: %s\n", name, e.what());
        return kExitBadInput;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: error: %s\n", name, e.what());
        return kExitFailure;
    }
    return exitCode();
}

}  // namespace leopard::cli
