// Preferences and window state survive a restart: written through the
// settings dialog's value type and the window, read back by a new window
// (the user's settings file, shared with leopard-cli).
#include <QtTest>

#include "app_settings.h"
#include "documents/settings.h"
#include "gui_test_support.h"
#include "main_window.h"

using namespace leopard;
using namespace leopard::ui;

class TestSettings : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { test::isolateUserFiles(); }

    void settingsPersistAcrossRestart() {
        // Test mode keeps the real user's settings out of reach.
        QVERIFY(settingsFilePath().contains(".qttest"));
        AppSettings changed;
        changed.modelDir = "/opt/models/leopard-llava";
        changed.device = "cpu";
        changed.dtype = "bfloat16";
        changed.tileBudget = 24;
        changed.maxNewTokens = 300;
        changed.instruction = "cot";
        changed.threads = 3;
        QRect geometry;
        {
            MainWindow w;
            w.show();
            w.setSettings(changed);
            w.setGeometry(120, 80, 900, 640);
            geometry = w.geometry();
            w.close();  // saves the window state
        }
        const AppSettings read = AppSettings::load();
        QVERIFY(read == changed);
        // leopard-cli reads the same model folder.
        QCOMPARE(settingsModelPath(), changed.modelDir);
        MainWindow again;
        QVERIFY(again.settings() == changed);
        QCOMPARE(again.size(), geometry.size());
    }

    void recentFilesAreNewestFirst() {
        addRecentFile("/tmp/a.pdf");
        addRecentFile("/tmp/b.pdf");
        addRecentFile("/tmp/a.pdf");
        const QStringList recent = recentFiles();
        QCOMPARE(recent.value(0), QString("/tmp/a.pdf"));
        QCOMPARE(recent.value(1), QString("/tmp/b.pdf"));
        QCOMPARE(recent.count("/tmp/a.pdf"), 1);
        for (int i = 0; i < 20; ++i) addRecentFile(QString("/tmp/%1.pdf").arg(i), 10);
        QCOMPARE(recentFiles().size(), 10);
    }
};

QTEST_MAIN(TestSettings)
#include "test_settings.moc"
