#include "util/paths.h"

#include <cstdlib>
#include <system_error>

namespace leopard {
namespace fs = std::filesystem;

fs::path executableDir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::current_path() : exe.parent_path();
}

fs::path dataDir() {
    if (const char* env = std::getenv("LEOPARD_DATA_DIR"); env && *env) return fs::path(env);
    std::error_code ec;
    const fs::path installed = executableDir().parent_path() / LEOPARD_DATA_RELDIR;
    if (fs::is_directory(installed, ec)) return installed;
    return fs::path(LEOPARD_BUILD_DIR) / "resources";
}

fs::path bundledModelDir() { return dataDir() / "models" / "default"; }

fs::path resolveModelDir(const std::string& explicitPath, const std::string& settingsPath) {
    if (!explicitPath.empty()) return fs::path(explicitPath);
    if (const char* env = std::getenv("LEOPARD_MODEL"); env && *env) return fs::path(env);
    if (!settingsPath.empty()) return fs::path(settingsPath);
    return bundledModelDir();
}

}  // namespace leopard
