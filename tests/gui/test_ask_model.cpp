// Asking through the window with the bundled tiny model: the answer streams
// into the conversation from the model's own thread while the GUI thread's
// event loop keeps running, Stop ends generation within a token, follow-ups
// continue the conversation, and the conversation comes back after a
// restart. Needs the bundled default model (slow: it loads and runs it).
#include <QtTest>

#include "conversation_pane.h"
#include "document_model.h"
#include "documents/settings.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "util/paths.h"

using namespace leopard;
using namespace leopard::ui;

class TestAskModel : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString pdf_;
    QString model_;

    void useModel(MainWindow& w) {
        AppSettings s = w.settings();
        s.modelDir = model_;
        s.device = "cpu";
        s.dtype = "float32";
        s.maxNewTokens = 24;
        w.setSettings(s);
    }

private Q_SLOTS:
    void initTestCase() {
        test::isolateUserFiles();
        model_ = test::modelForTests();
        QVERIFY2(QFile::exists(model_ + "/config.json"),
                 qPrintable("no model at " + model_ + " (the build makes the bundled default model)"));
        pdf_ = dir_.filePath("report.pdf");
        test::writePdf(pdf_, {"Revenue 2023: 12 M", "Revenue 2024: 15 M"});
    }

    void answerStreamsFromTheWorkerThread() {
        MainWindow w;
        w.show();
        useModel(w);
        w.openFiles({pdf_});
        QTRY_VERIFY(w.documents()->documentCount() == 1 &&
                    w.documents()->state(0) == DocumentModel::State::Ready);

        std::mutex mutex;
        std::set<QThread*> textThreads;
        int pieces = 0;
        bool sawPartial = false;
        // Direct connection: runs on the emitting (worker) thread.
        connect(w.worker(), &ModelWorker::textReceived, this, [&](const QString&) {
            std::lock_guard<std::mutex> lock(mutex);
            textThreads.insert(QThread::currentThread());
        }, Qt::DirectConnection);
        // Queued to the GUI thread, after the window has shown the piece.
        connect(w.worker(), &ModelWorker::textReceived, this, [&](const QString&) {
            ++pieces;
            const ChatTurn& t = w.conversation().turns.back();
            if (t.streaming && !t.answer.empty()) sawPartial = true;
        }, Qt::QueuedConnection);
        QSignalSpy finished(&w, &MainWindow::answerFinished);

        test::StallMeter meter;
        w.ask("What was the revenue in 2024?");
        QVERIFY(w.isAsking());
        QVERIFY(finished.wait(300000));
        QVERIFY2(w.conversation().turns.back().error.isEmpty(),
                 qPrintable(w.conversation().turns.back().error));
        const ChatTurn& t = w.conversation().turns.back();
        QVERIFY(!t.streaming);
        QVERIFY(pieces > 0);
        QVERIFY(sawPartial);
        QCOMPARE(int(t.pages.size()), 2);
        QVERIFY(t.model.device == "cpu");
        QVERIFY(w.conversationPane()->renderedText().contains("What was the revenue in 2024?"));
        {
            std::lock_guard<std::mutex> lock(mutex);
            QCOMPARE(int(textThreads.size()), 1);
            QVERIFY(*textThreads.begin() == w.workerThread());
            QVERIFY(*textThreads.begin() != QThread::currentThread());
        }
        QVERIFY2(meter.ticks() > 10, "the GUI-thread timer stopped firing while the model ran");
        qInfo("longest event-loop stall while loading and answering: %lld ms (%d timer ticks, %d text pieces)",
              meter.longestStallMs(), meter.ticks(), pieces);

        // A follow-up continues the same conversation: the worker gets the
        // same conversation with the first turn, and the model reads the
        // first turn again from its KV cache instead of starting afresh.
        std::vector<AskRequest> requests;
        connect(&w, &MainWindow::askRequested, this, [&](const AskRequest& r) { requests.push_back(r); });
        const QString firstConversation = w.conversation().path;
        w.ask("And in 2023?");
        QVERIFY(finished.wait(300000));
        QCOMPARE(int(w.conversation().turns.size()), 2);
        QVERIFY(w.conversation().turns.back().error.isEmpty());
        QCOMPARE(int(requests.size()), 1);
        QCOMPARE(requests[0].conversation, firstConversation);
        QCOMPARE(int(requests[0].history.size()), 1);
        QCOMPARE(requests[0].history[0].question, std::string("What was the revenue in 2024?"));
        const AskTimings& first = w.conversation().turns[0].timings;
        const AskTimings& followUp = w.conversation().turns[1].timings;
        QVERIFY(followUp.promptTokens > first.promptTokens);
        QVERIFY2(followUp.reusedTokens > 0, "the follow-up did not reuse the conversation's KV cache");

        // Export writes the Markdown with the page thumbnails.
        QSignalSpy exported(&w, &MainWindow::exportFinished);
        const QString md = dir_.filePath("conversation.md");
        w.exportConversation(md, true);
        QVERIFY(exported.count() == 1 || exported.wait(20000));
        QCOMPARE(exported.first().at(1).toString(), QString());
        QVERIFY(QDir(dir_.filePath("conversation.assets")).entryList({"*.png"}).size() >= 2);
        w.close();
    }

    void conversationIsRestoredAfterRestart() {
        MainWindow w;
        w.restoreLastConversation();
        QCOMPARE(int(w.conversation().turns.size()), 2);
        QCOMPARE(w.conversation().turns[0].question, std::string("What was the revenue in 2024?"));
        QVERIFY(!w.conversation().turns[0].answer.empty());
        QTRY_VERIFY(w.conversationPane()->renderedText().contains("And in 2023?"));
        // Its documents come back with the pages it used.
        QTRY_VERIFY(w.documents()->documentCount() == 1 &&
                    w.documents()->state(0) == DocumentModel::State::Ready);
        QCOMPARE(w.documents()->includedPageCount(), 2);
    }

    void stopEndsGenerationWithinOneToken() {
        MainWindow w;
        useModel(w);
        w.loadModel();
        QTRY_VERIFY_WITH_TIMEOUT(w.modelReady(), 300000);

        AskRequest req;
        req.conversation = "stop-test";
        req.sources = {{pdf_, "1"}};
        req.question = "Describe the page.";
        req.maxNewTokens = 400;
        req.ignoreEndOfTurn = true;  // only Stop can end it early
        std::atomic<bool> stopRequested{false};
        std::atomic<int> afterStop{0};
        connect(w.worker(), &ModelWorker::textReceived, this, [&](const QString&) {
            if (stopRequested) ++afterStop;
        }, Qt::DirectConnection);
        bool stopped = false;
        connect(w.worker(), &ModelWorker::textReceived, this, [&](const QString&) {
            if (stopped) return;
            stopped = true;
            stopRequested = true;
            w.worker()->requestStop();
        }, Qt::QueuedConnection);
        QSignalSpy answered(w.worker(), &ModelWorker::answered);
        ModelWorker* worker = w.worker();
        QMetaObject::invokeMethod(worker, [worker, req] { worker->ask(req); });
        QVERIFY(answered.wait(300000));
        const auto result = answered.first().at(0).value<AskResult>();
        QCOMPARE(result.finishReason, FinishReason::Cancelled);
        QVERIFY(result.timings.generatedTokens < req.maxNewTokens);
        // The piece being generated when Stop came may still arrive.
        QVERIFY2(afterStop <= 1, qPrintable(QString("%1 pieces after Stop").arg(int(afterStop))));
        qInfo("tokens generated before Stop took effect: %lld of %d", (long long)result.timings.generatedTokens,
              req.maxNewTokens);
    }
};

QTEST_MAIN(TestAskModel)
#include "test_ask_model.moc"
