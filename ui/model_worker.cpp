#include "model_worker.h"

#include <QDir>

#include "documents/conversation.h"
#include "documents/model_handle.h"

namespace leopard::ui {

namespace {
AnswerStyle styleFor(const QString& name) {
    if (name == QLatin1String("direct")) return AnswerStyle::Direct;
    if (name == QLatin1String("cot")) return AnswerStyle::Cot;
    return AnswerStyle::Free;
}

// One readable sentence for the user: core's messages already name the file.
QString messageOf(const std::exception& e) { return QString::fromUtf8(e.what()); }

// Registered once, before the first queued signal carries these types.
const int kRegistered = [] {
    qRegisterMetaType<ModelRequest>();
    qRegisterMetaType<AskRequest>();
    qRegisterMetaType<ModelInfo>();
    qRegisterMetaType<AskResult>();
    return 0;
}();
}  // namespace

ModelWorker::ModelWorker() { (void)kRegistered; }

ModelWorker::~ModelWorker() = default;

void ModelWorker::requestStop() { stop_.cancel(); }

void ModelWorker::cancelLoad() { loadCancel_.cancel(); }

void ModelWorker::load(const ModelRequest& request) {
    loadCancel_.reset();
    conversation_.reset();
    conversationId_.clear();
    model_.reset();  // free the old weights before reading new ones
    ModelHandle::Options opt;
    opt.device = request.device.toStdString();
    opt.dtype = request.dtype.toStdString();
    opt.cancel = loadCancel_;
    opt.progress = [this](const Progress& p) {
        Q_EMIT loadProgress(p.done, p.total, QString::fromStdString(p.detail));
        return !loadCancel_.cancelled();
    };
    try {
        model_ = ModelHandle::load(QDir(request.dir).absolutePath().toStdString(), opt);
        Q_EMIT loaded(model_->info(), model_->tileSize());
    } catch (const CancelledError&) {
        Q_EMIT loadFailed(tr("Loading was cancelled."), true);
    } catch (const std::exception& e) {
        Q_EMIT loadFailed(messageOf(e), false);
    }
}

void ModelWorker::forget(const QString& conversation) {
    if (conversation == conversationId_) {
        conversation_.reset();
        conversationId_.clear();
    }
}

void ModelWorker::ask(const AskRequest& request) {
    // A stop pressed before this question started must not cancel it; one
    // pressed from now on must (requestStop() runs on the GUI thread).
    stop_.reset();
    if (!model_) {
        Q_EMIT askFailed(tr("No model is loaded."));
        return;
    }
    try {
        // One conversation at a time keeps its KV cache; switching
        // conversations rebuilds the context from the saved turns.
        if (!conversation_ || conversationId_ != request.conversation) {
            conversation_ = std::make_unique<Conversation>(model_);
            conversation_->setTurns(request.history);
            conversationId_ = request.conversation;
        }
        if (conversation_->sources() != request.sources) conversation_->setSources(request.sources);

        AskOptions opt;
        opt.tileBudget = request.tileBudget;
        opt.maxNewTokens = request.maxNewTokens;
        opt.style = styleFor(request.instruction);
        opt.ignoreEndOfTurn = request.ignoreEndOfTurn;
        opt.cancel = stop_;
        AskCallbacks cb;
        cb.onText = [this](const std::string& piece) { Q_EMIT textReceived(QString::fromStdString(piece)); };
        cb.progress = [this](const Progress& p) {
            if (p.stage == "generating") {
                // detail is "12.3 tokens/s"
                bool ok = false;
                const double tps = QString::fromStdString(p.detail).section(' ', 0, 0).toDouble(&ok);
                if (ok) Q_EMIT speed(tps);
            }
            Q_EMIT askProgress(QString::fromStdString(p.stage), p.done, p.total);
            return !stop_.cancelled();
        };
        const AskResult result = conversation_->ask(request.question.toStdString(), opt, cb);
        Q_EMIT answered(result);
    } catch (const CancelledError&) {
        Q_EMIT askFailed(tr("Stopped before the answer began."));
    } catch (const std::exception& e) {
        Q_EMIT askFailed(messageOf(e));
    }
}

}  // namespace leopard::ui
