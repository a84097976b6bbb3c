// Before a model is loaded: the settings dialog checks the chosen folder
// (config.json, weights, tokenizer) and says what is missing and what to do,
// and shows the memory a question will need, following the precision, tile
// budget and answer length chosen; the conversation pane shows the memory
// the selected pages will need, updated as pages are ticked. The model
// folders are made from the tiny golden model (config + weights).
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QSpinBox>
#include <QtTest>

#include "conversation_pane.h"
#include "document_model.h"
#include "documents/model_preflight.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "settings_dialog.h"

using namespace leopard;
using namespace leopard::ui;

class TestModelPreflight : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString golden_, empty_, configOnly_, noTokenizer_, complete_, pdf_;

    static void copy(const QString& from, const QString& to) {
        QFile::remove(to);
        QVERIFY2(QFile::copy(from, to), qPrintable(from + " → " + to));
    }

    QString makeFolder(const QString& name, bool weights, bool tokenizer) {
        const QString d = dir_.filePath(name);
        QDir().mkpath(d);
        copy(golden_ + "/config.json", d + "/config.json");
        if (weights) copy(golden_ + "/model.safetensors", d + "/model.safetensors");
        if (tokenizer) {
            // Only its presence is checked before loading.
            QFile f(d + "/tokenizer.json");
            f.open(QIODevice::WriteOnly);
            f.write("{}");
        }
        return d;
    }

    // The estimate's figures, without the free memory (it moves between calls).
    static QString figures(const MemoryPlan& plan) {
        const QString text = describeMemory(plan);
        return text.left(text.indexOf(" ("));
    }

    static void setModelDir(SettingsDialog& d, const QString& dir) {
        d.findChild<QLineEdit*>("modelDir")->setText(dir);
    }
    static void setDtype(SettingsDialog& d, const QString& dtype) {
        auto* box = d.findChild<QComboBox*>("dtype");
        box->setCurrentIndex(box->findData(dtype));
    }

private Q_SLOTS:
    void initTestCase() {
        test::isolateUserFiles();
        golden_ = QString(LEOPARD_GOLDEN_DIR) + "/tiny-leopard";
        QVERIFY2(QFile::exists(golden_ + "/model.safetensors"), "tests/data/golden/tiny-leopard/model.safetensors is missing");
        empty_ = dir_.filePath("empty");
        QDir().mkpath(empty_);
        configOnly_ = makeFolder("config-only", false, false);
        noTokenizer_ = makeFolder("no-tokenizer", true, false);
        complete_ = makeFolder("complete", true, true);
        pdf_ = dir_.filePath("report.pdf");
        test::writePdf(pdf_, {"Revenue 2023: 12 M", "Revenue 2024: 15 M"});
    }

    void settingsDialogSaysWhatIsMissing() {
        AppSettings s;
        s.modelDir = empty_;
        SettingsDialog d(s);
        QVERIFY(d.modelStatusText().startsWith("✘"));
        QVERIFY2(d.modelStatusText().contains("config.json"), qPrintable(d.modelStatusText()));
        QVERIFY(!d.memoryPlan());
        QVERIFY(d.memoryText().isEmpty());

        setModelDir(d, dir_.filePath("does-not-exist"));
        QVERIFY2(d.modelStatusText().contains("no such folder"), qPrintable(d.modelStatusText()));

        setModelDir(d, configOnly_);
        QVERIFY2(d.modelStatusText().contains("no weights found"), qPrintable(d.modelStatusText()));
        QVERIFY(d.modelStatusText().contains("Copy the model's weights"));
        QVERIFY(!d.memoryPlan());

        setModelDir(d, noTokenizer_);
        QVERIFY2(d.modelStatusText().contains("no tokenizer.json or tokenizer.model"), qPrintable(d.modelStatusText()));
        QVERIFY(!d.memoryPlan());

        // A broken config names the field.
        const QString broken = makeFolder("broken-config", true, true);
        QFile f(broken + "/config.json");
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(R"({"architectures": ["LlavaForConditionalGeneration"], "image_token_index": 1,
                    "vision_config": {}, "text_config": {}})");
        f.close();
        setModelDir(d, broken);
        QVERIFY2(d.modelStatusText().contains("missing field"), qPrintable(d.modelStatusText()));

        setModelDir(d, complete_);
        QCOMPARE(d.modelStatusText(), QString("✔ %1").arg(complete_));
        QVERIFY(d.memoryPlan());
        // The settings the user picks are kept whatever the folder.
        QCOMPARE(d.settings().modelDir, complete_);
    }

    void settingsDialogEstimateFollowsTheChoices() {
        const ModelConfig config = loadModelConfig(complete_.toStdString());
        const int64_t parameters = countParameters(config).total();
        AppSettings s;
        s.modelDir = complete_;
        s.device = "cpu";
        s.dtype = "float32";
        s.tileBudget = 10;
        s.maxNewTokens = 100;
        SettingsDialog d(s);
        QVERIFY(d.memoryPlan());
        MemoryPlan plan = *d.memoryPlan();
        QCOMPARE(plan.memory.weightBytes, parameters * 4);
        QCOMPARE(plan.tiles, int64_t(10));
        QCOMPARE(plan.contextTokens, 10 * config.tokensPerTile() + 100);
        QCOMPARE(plan.memory.kvCacheBytes, kvCacheBytes(config.text, plan.contextTokens, 4));
        QVERIFY2(d.memoryText().contains(figures(plan)), qPrintable(d.memoryText()));
        QVERIFY(d.memoryText().contains("float32") || d.memoryText().contains("f32"));
        const QString f32Text = d.memoryText();

        setDtype(d, "bfloat16");
        plan = *d.memoryPlan();
        QCOMPARE(plan.memory.weightBytes, parameters * 2);
        QCOMPARE(plan.memory.kvCacheBytes, kvCacheBytes(config.text, plan.contextTokens, 2));
        QVERIFY(d.memoryText() != f32Text);

        d.findChild<QSpinBox*>("tileBudget")->setValue(20);
        QCOMPARE(d.memoryPlan()->contextTokens, 20 * config.tokensPerTile() + 100);
        d.findChild<QSpinBox*>("maxNewTokens")->setValue(300);
        QCOMPARE(d.memoryPlan()->contextTokens, 20 * config.tokensPerTile() + 300);
        QCOMPARE(d.memoryPlan()->memory.kvCacheBytes,
                 kvCacheBytes(config.text, 20 * config.tokensPerTile() + 300, 2));
        QVERIFY(d.memoryText().contains(figures(*d.memoryPlan())));

        // More positions than the model reads: said so, with what to do.
        d.findChild<QSpinBox*>("maxNewTokens")->setValue(int(config.text.max_position_embeddings) + 1);
        QVERIFY(!d.memoryPlan()->fitsContext());
        QVERIFY2(d.memoryText().contains("select fewer pages or lower the tile budget"), qPrintable(d.memoryText()));
    }

    void conversationNoteFollowsTheSelection() {
        MainWindow w;
        AppSettings s = w.settings();
        s.modelDir = complete_;
        s.device = "cpu";
        s.dtype = "float32";
        // One tile for the question: each selected page keeps only its
        // global view (LEOPARD.md §3), so the tile count is the page count.
        s.tileBudget = 1;
        s.maxNewTokens = 64;
        w.setSettings(s);
        w.show();
        const ModelConfig config = loadModelConfig(complete_.toStdString());
        // What the note must say for the window's current selection plan.
        auto expected = [&] {
            return figures(planMemory(config, "cpu", "float32", w.selectionPlan().modelTiles(), 64));
        };
        // Nothing selected: the model and the answer alone.
        QVERIFY2(w.conversationPane()->note().contains(expected()), qPrintable(w.conversationPane()->note()));

        w.openFiles({pdf_});
        QTRY_VERIFY(w.documents()->documentCount() == 1 &&
                    w.documents()->state(0) == DocumentModel::State::Ready);
        QTRY_COMPARE(w.documents()->includedPageCount(), 2);
        const int twoPages = w.selectionPlan().modelTiles();
        QCOMPARE(twoPages, 2);
        const QString twoPageNote = w.conversationPane()->note();
        QVERIFY2(twoPageNote.contains(expected()), qPrintable(twoPageNote));

        w.documents()->setIncluded(0, 1, false);
        const int onePage = w.selectionPlan().modelTiles();
        QCOMPARE(onePage, 1);
        QVERIFY(w.conversationPane()->note() != twoPageNote);
        QVERIFY2(w.conversationPane()->note().contains(expected()), qPrintable(w.conversationPane()->note()));

        // A different precision in the settings changes it too.
        s.dtype = "bfloat16";
        w.setSettings(s);
        QVERIFY2(w.conversationPane()->note().contains(figures(planMemory(config, "cpu", "bfloat16", onePage, 64))),
                 qPrintable(w.conversationPane()->note()));
    }
};

QTEST_MAIN(TestModelPreflight)
#include "test_model_preflight.moc"
