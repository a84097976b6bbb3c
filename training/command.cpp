#include "command.h"

namespace leopard::train {

std::vector<CommandEntry>& registry() {
    static std::vector<CommandEntry> entries;
    return entries;
}

Registrar::Registrar(std::string name, int order, RegisterFn fn) {
    registry().push_back({std::move(name), order, std::move(fn)});
}

}  // namespace leopard::train
