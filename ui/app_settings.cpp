#include "app_settings.h"

#include <memory>

#include <QSettings>

#include "documents/settings.h"

namespace leopard::ui {

namespace {
// Keys besides kSettingsModelPathKey, which leopard-cli also reads.
constexpr const char* kDevice = "model/device";
constexpr const char* kDtype = "model/dtype";
constexpr const char* kTileBudget = "ask/tile_budget";
constexpr const char* kMaxNewTokens = "ask/max_new_tokens";
constexpr const char* kInstruction = "ask/instruction";
constexpr const char* kThreads = "runtime/threads";
constexpr const char* kRecent = "files/recent";
}  // namespace

AppSettings AppSettings::load() {
    auto q = openUserSettings();
    AppSettings s;
    s.modelDir = q->value(kSettingsModelPathKey, s.modelDir).toString();
    s.device = q->value(kDevice, s.device).toString();
    s.dtype = q->value(kDtype, s.dtype).toString();
    s.tileBudget = q->value(kTileBudget, s.tileBudget).toInt();
    s.maxNewTokens = q->value(kMaxNewTokens, s.maxNewTokens).toInt();
    s.instruction = q->value(kInstruction, s.instruction).toString();
    s.threads = q->value(kThreads, s.threads).toInt();
    return s;
}

void AppSettings::save() const {
    auto q = openUserSettings();
    q->setValue(kSettingsModelPathKey, modelDir);
    q->setValue(kDevice, device);
    q->setValue(kDtype, dtype);
    q->setValue(kTileBudget, tileBudget);
    q->setValue(kMaxNewTokens, maxNewTokens);
    q->setValue(kInstruction, instruction);
    q->setValue(kThreads, threads);
    q->sync();
}

QString AppSettings::effectiveModelDir() const {
    return QString::fromStdString(resolveModel(modelDir.toStdString()).string());
}

bool AppSettings::operator==(const AppSettings& o) const {
    return modelDir == o.modelDir && device == o.device && dtype == o.dtype &&
           tileBudget == o.tileBudget && maxNewTokens == o.maxNewTokens &&
           instruction == o.instruction && threads == o.threads;
}

QStringList recentFiles() { return openUserSettings()->value(kRecent).toStringList(); }

void addRecentFile(const QString& path, int limit) {
    auto q = openUserSettings();
    QStringList list = q->value(kRecent).toStringList();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > limit) list.removeLast();
    q->setValue(kRecent, list);
}

}  // namespace leopard::ui
