// Where the application finds its own data (the bundled default model,
// examples). Installed binaries look relative to their own location
// (<prefix>/bin/../share/leopard-desk); binaries run from a build tree use
// the build tree's resources. Nothing is baked in but relative paths.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace leopard {

// Folder holding the running executable (from /proc/self/exe).
std::filesystem::path executableDir();

// The application data folder: $LEOPARD_DATA_DIR if set, else
// <exe>/../share/leopard-desk if it exists (installed), else the build
// tree's resources folder.
std::filesystem::path dataDir();

// The bundled default model folder under dataDir()/models/.
std::filesystem::path bundledModelDir();

// Model resolution order shared by CLI and GUI: explicit path, then
// $LEOPARD_MODEL, then the path from the user's settings (passed in by the
// caller, who owns the settings store), then the bundled model.
std::filesystem::path resolveModelDir(const std::string& explicitPath,
                                      const std::string& settingsPath = {});

}  // namespace leopard
