// Compare mode asked about with the bundled model: two screenshots shown as
// image 1 and image 2 go to the model together, in that order — in the
// request the window sends to the worker, in the prompt the model reads
// (each "image k:" block holds as many tile placeholders as that
// screenshot's tiles) and in the answer's sources. Slow: it runs the model.
#include <QAction>
#include <QFileInfo>
#include <QPainter>
#include <QtTest>

#include "compare_view.h"
#include "document_model.h"
#include "documents/conversation.h"
#include "documents/model_handle.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "text/prompt.h"
#include "util/paths.h"
#include "viewer_pane.h"

using namespace leopard;
using namespace leopard::ui;

namespace {
int occurrences(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}
}  // namespace

class TestCompareModel : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString model_, before_, after_;

private Q_SLOTS:
    void initTestCase() {
        test::isolateUserFiles();
        model_ = test::modelForTests();
        QVERIFY2(QFile::exists(model_ + "/config.json"),
                 qPrintable("no model at " + model_ + " (the build makes the bundled default model)"));
        // Shapes far apart, so the two images get different tile counts and
        // the prompt shows which one came first.
        before_ = dir_.filePath("before.png");
        after_ = dir_.filePath("after.png");
        test::writeScreenshot(before_, {400, 400}, QColor(230, 240, 255), "Before: 12 M");
        test::writeScreenshot(after_, {2000, 400}, QColor(255, 240, 220), "After: 15 M");
    }

    void twoScreenshotsAreAskedAboutTogetherInOrder() {
        MainWindow w;
        AppSettings s = w.settings();
        s.modelDir = model_;
        s.device = "cpu";
        s.dtype = "float32";
        s.maxNewTokens = 16;
        w.setSettings(s);
        w.show();
        w.openFiles({before_, after_});
        DocumentModel* m = w.documents();
        QTRY_VERIFY(m->documentCount() == 2 && m->state(0) == DocumentModel::State::Ready &&
                    m->state(1) == DocumentModel::State::Ready);
        QTRY_VERIFY(w.viewer()->currentRow() >= 0);
        w.viewer()->compareAction()->trigger();
        QTRY_COMPARE(w.viewer()->compareView()->count(), 2);
        QCOMPARE(w.viewer()->compareView()->label(0), QString("image 1: before.png, p. 1"));
        QCOMPARE(w.viewer()->compareView()->label(1), QString("image 2: after.png, p. 1"));

        std::vector<AskRequest> requests;
        connect(&w, &MainWindow::askRequested, this, [&](const AskRequest& r) { requests.push_back(r); });
        QSignalSpy finished(&w, &MainWindow::answerFinished);
        const QString question = "What changed between image 1 and image 2?";
        w.ask(question);
        QVERIFY(finished.wait(300000));
        const ChatTurn& turn = w.conversation().turns.back();
        QVERIFY2(turn.error.isEmpty(), qPrintable(turn.error));

        // The request: both screenshots, image 1 first.
        QCOMPARE(int(requests.size()), 1);
        const AskRequest& req = requests.front();
        QCOMPARE(int(req.sources.size()), 2);
        QCOMPARE(req.sources[0].path, QFileInfo(before_).absoluteFilePath());
        QCOMPARE(req.sources[1].path, QFileInfo(after_).absoluteFilePath());

        // The answer's sources: the same two, labelled image 1 and image 2.
        QCOMPARE(int(turn.pages.size()), 2);
        QCOMPARE(turn.pages[0].file, QFileInfo(before_).absoluteFilePath());
        QCOMPARE(turn.pages[0].image, 1);
        QCOMPARE(turn.pages[1].file, QFileInfo(after_).absoluteFilePath());
        QCOMPARE(turn.pages[1].image, 2);
        QVERIFY2(turn.pages[0].modelTiles != turn.pages[1].modelTiles,
                 "the two screenshots should get different tile counts for the prompt check below to tell them apart");

        // The prompt the model read for this request: "image 1: " then its
        // tiles' placeholders, then "image 2: " and the other's.
        ModelHandle::Options opt;
        opt.device = "cpu";
        opt.dtype = "float32";
        const auto handle = ModelHandle::load(model_.toStdString(), opt);
        Conversation chat(handle);
        chat.setSources(req.sources);
        AskOptions ask;
        ask.tileBudget = req.tileBudget;
        const std::string prompt = chat.promptText(question.toStdString(), ask);
        const size_t first = prompt.find("image 1: ");
        const size_t second = prompt.find("image 2: ");
        QVERIFY(first != std::string::npos);
        QVERIFY(second != std::string::npos);
        QVERIFY(first < second);
        QCOMPARE(occurrences(prompt, "image 3: "), 0);
        const std::string placeholder = text::PromptFormat::fromModelDir(model_.toStdString()).imagePlaceholder;
        QCOMPARE(occurrences(prompt.substr(first, second - first), placeholder), turn.pages[0].modelTiles);
        QCOMPARE(occurrences(prompt.substr(second), placeholder), turn.pages[1].modelTiles);
        w.close();
    }
};

QTEST_MAIN(TestCompareModel)
#include "test_compare_model.moc"
