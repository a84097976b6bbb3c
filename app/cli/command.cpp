#include "command.h"

namespace leopard::cli {

std::vector<CommandEntry>& registry() {
    static std::vector<CommandEntry> entries;
    return entries;
}

Registrar::Registrar(std::string name, int order, RegisterFn fn) {
    registry().push_back({std::move(name), order, std::move(fn)});
}

namespace {
int g_exitCode = kExitOk;
}
void setExitCode(int code) { g_exitCode = code; }
int exitCode() { return g_exitCode; }

}  // namespace leopard::cli
