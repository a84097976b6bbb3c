// The model's own thread: a long-lived QObject that loads the model and runs
// questions, driven by queued signals from the GUI and answering with
// signals (text pieces as they are generated, progress, the final result).
// Nothing here runs on the GUI thread, so the window stays responsive while
// loading or generating.
//
//   auto* thread = new QThread;
//   auto* worker = new ModelWorker;            // no parent: it moves threads
//   worker->moveToThread(thread);
//   connect(window, &Window::ask, worker, &ModelWorker::ask);  // queued
//   worker->requestStop();                      // from the GUI thread, any time
//
// Stop: requestStop() sets an atomic flag the engine checks between tokens,
// so generation ends within one token; the answer so far arrives through
// `answered` with stop reason "cancelled". cancelLoad() likewise cancels a
// load between tensors.
//
// Thread-safety: slots run on the worker's thread (call them through queued
// connections or QMetaObject::invokeMethod); requestStop() and cancelLoad()
// may be called from any thread.
#pragma once

#include <memory>
#include <vector>

#include <QMetaType>
#include <QObject>
#include <QString>

#include "documents/ask_types.h"
#include "util/progress.h"

namespace leopard {
class Conversation;
class ModelHandle;
}  // namespace leopard

namespace leopard::ui {

// Which model to load and how.
struct ModelRequest {
    QString dir;
    QString device = "auto";
    QString dtype = "auto";
};

// One question of a conversation.
struct AskRequest {
    QString conversation;  // identifies the conversation (its file)
    std::vector<SourceSelection> sources;
    // Earlier turns, used when the worker has not seen this conversation
    // yet (one reopened from history) to rebuild its context.
    std::vector<Turn> history;
    QString question;
    int tileBudget = 50;
    int maxNewTokens = 512;
    QString instruction = "none";
    bool ignoreEndOfTurn = false;  // generate to maxNewTokens (tests, benchmarks)
};

class ModelWorker : public QObject {
    Q_OBJECT
public:
    ModelWorker();
    ~ModelWorker() override;

    void requestStop();  // any thread
    void cancelLoad();   // any thread

public Q_SLOTS:
    void load(const leopard::ui::ModelRequest& request);
    void ask(const leopard::ui::AskRequest& request);
    // Forgets the conversation's context (its KV cache).
    void forget(const QString& conversation);

Q_SIGNALS:
    void loadProgress(qint64 done, qint64 total, const QString& detail);
    void loaded(const leopard::ModelInfo& info, int tileSize);
    void loadFailed(const QString& message, bool cancelled);
    // stage: "rendering", "encoding", "prefill", "decoding".
    void askProgress(const QString& stage, qint64 done, qint64 total);
    void textReceived(const QString& piece);
    void speed(double tokensPerSecond);
    void answered(const leopard::AskResult& result);
    void askFailed(const QString& message);

private:
    std::shared_ptr<const ModelHandle> model_;
    std::unique_ptr<Conversation> conversation_;
    QString conversationId_;
    CancelToken stop_;
    CancelToken loadCancel_;
};

}  // namespace leopard::ui

Q_DECLARE_METATYPE(leopard::ui::ModelRequest)
Q_DECLARE_METATYPE(leopard::ui::AskRequest)
Q_DECLARE_METATYPE(leopard::ModelInfo)
Q_DECLARE_METATYPE(leopard::AskResult)
