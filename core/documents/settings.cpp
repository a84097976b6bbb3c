#include "documents/settings.h"

#include "util/paths.h"

namespace leopard {

std::unique_ptr<QSettings> openUserSettings() {
    // IniFormat in the user scope is the native format on Linux and keeps the
    // same readable file on the other platforms.
    return std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope,
                                       QString::fromUtf8(kSettingsOrganization),
                                       QString::fromUtf8(kSettingsApplication));
}

QString settingsFilePath() { return openUserSettings()->fileName(); }

QString settingsModelPath() {
    return openUserSettings()->value(QString::fromUtf8(kSettingsModelPathKey)).toString();
}

std::filesystem::path resolveModel(const std::string& explicitPath) {
    return resolveModelDir(explicitPath, settingsModelPath().toStdString());
}

}  // namespace leopard
