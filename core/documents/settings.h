// The user's settings file, shared by leopard-cli and the desktop app: an
// INI file at QStandardPaths' config location,
// ~/.config/Leopard Desk/leopard.ini on Linux (what QSettings in IniFormat with
// organization "Leopard Desk" and application "leopard" uses). The CLI only
// reads it; the GUI's preferences dialog writes it through openUserSettings().
//
//   auto dir = leopard::resolveModel(options.modelDir);  // --model, env, settings, bundled
//
// Thread-safety: every function opens its own QSettings, so they may be
// called from any thread; QSettings serialises access to the file itself.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <QSettings>
#include <QString>

namespace leopard {

inline constexpr const char* kSettingsOrganization = "Leopard Desk";
inline constexpr const char* kSettingsApplication = "leopard";
// Key of the model folder chosen by the user.
inline constexpr const char* kSettingsModelPathKey = "model/path";

// The user's settings store. The caller owns it.
std::unique_ptr<QSettings> openUserSettings();

// Full path of the settings file (it may not exist yet).
QString settingsFilePath();

// The model folder recorded in the settings, or empty.
QString settingsModelPath();

// The model folder to use: `explicitPath` (--model), then $LEOPARD_MODEL,
// then settingsModelPath(), then the bundled model (util/paths.h).
std::filesystem::path resolveModel(const std::string& explicitPath);

}  // namespace leopard
