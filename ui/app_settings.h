// The desktop application's preferences: the model folder and how questions
// are run (device, dtype, tile budget, answer length, instruction style,
// threads). Stored in the user's settings file shared with leopard-cli
// (documents/settings.h: organization "Leopard Desk", application
// "leopard"), so a model chosen in the GUI is what `leopard-cli ask` uses.
//
//   auto s = leopard::ui::AppSettings::load();
//   s.tileBudget = 30;
//   s.save();
//
// Plain value type; load() and save() open their own QSettings and may be
// called from any thread.
#pragma once

#include <QString>
#include <QStringList>

namespace leopard::ui {

struct AppSettings {
    QString modelDir;              // empty: the bundled default model
    QString device = "auto";       // "auto", "cpu", "cuda", "cuda:N"
    QString dtype = "auto";        // "auto", "float32", "bfloat16", "float16"
    int tileBudget = 50;           // tiles for one question (LEOPARD.md §3)
    int maxNewTokens = 512;
    QString instruction = "none";  // "none", "direct", "cot" (LEOPARD.md §4)
    int threads = 0;               // 0: all cores

    static AppSettings load();
    void save() const;

    // The model folder to use: modelDir, else $LEOPARD_MODEL, else the
    // bundled model (documents/settings.h resolveModel()).
    QString effectiveModelDir() const;

    bool operator==(const AppSettings& o) const;
    bool operator!=(const AppSettings& o) const { return !(*this == o); }
};

// Recently opened files, newest first, at most `limit`.
QStringList recentFiles();
void addRecentFile(const QString& path, int limit = 10);

}  // namespace leopard::ui
