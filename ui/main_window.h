// The Leopard Desk main window: documents and history on the left, the page
// viewer (or compare view) in the middle, the conversation on the right, a
// status bar with the model's device, dtype and speed. It wires the parts
// together and owns the model thread; the parts do the work.
//
//   leopard::ui::MainWindow w(report);
//   w.openFiles({"slides.pdf"});
//   w.show();
//
// GUI thread only. Questions and model loading run on a ModelWorker's
// thread, rendering on the documents' RenderService threads: no slot here
// waits for either.
#pragma once

#include <memory>

#include <QElapsedTimer>
#include <QMainWindow>
#include <QThread>
#include <QTimer>

#include "about_dialog.h"
#include "app_settings.h"
#include "conversation_log.h"
#include "model_worker.h"
#include "selection_plan.h"

class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace leopard {
struct ModelConfig;
}  // namespace leopard

namespace leopard::ui {

class ConversationPane;
class DocumentModel;
class DocumentPanel;
class ViewerPane;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(RuntimeReport runtimeReport = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    void openFiles(const QStringList& files);
    // Reopens the conversation saved last (and its documents), if any.
    void restoreLastConversation();
    void openConversation(const QString& path);

    DocumentModel* documents() const { return documents_; }
    DocumentPanel* documentPanel() const { return panel_; }
    ViewerPane* viewer() const { return viewer_; }
    ConversationPane* conversationPane() const { return conversation_; }
    const ConversationLog& conversation() const { return log_; }
    const SelectionPlan& selectionPlan() const { return plan_; }
    ModelWorker* worker() const { return worker_; }
    QThread* workerThread() const { return const_cast<QThread*>(&workerThread_); }
    bool modelReady() const { return modelState_ == ModelState::Ready; }
    bool isAsking() const;
    const AppSettings& settings() const { return settings_; }
    void setSettings(const AppSettings& settings);  // saves them

public Q_SLOTS:
    void ask(const QString& question);
    void stop();
    void loadModel();
    void newConversation();
    void exportConversation(const QString& path, bool wholeConversation);
    void copyAnswer();
    void pasteFromClipboard();

Q_SIGNALS:
    // To the worker (queued).
    void loadRequested(const leopard::ui::ModelRequest& request);
    void askRequested(const leopard::ui::AskRequest& request);
    // For tests and the status bar: the current answer is complete.
    void answerFinished();
    void exportFinished(const QString& path, const QString& error);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    enum class ModelState { None, Loading, Ready, Failed };

    void buildActions();
    void buildStatusBar();
    void connectWorker();
    void updateSelection();
    // The conversation pane's note: the memory the selected pages will need.
    void updateMemoryNote();
    void updateModelStatus();
    void updateRecentMenu();
    void refreshHistory();
    void saveConversation();
    void showError(const QString& title, const QString& message);
    void openSettings();
    void openFinetune();
    void exportDialog(bool wholeConversation);
    ModelRequest modelRequest() const;
    // Sends the question to the worker (the model is loaded).
    void submitQuestion(const QString& question);
    int tileSize() const;
    // The config of the model folder in the settings (read once per folder),
    // or null when it cannot be read.
    const ModelConfig* modelConfig() const;

    RuntimeReport report_;
    AppSettings settings_;
    DocumentModel* documents_;
    DocumentPanel* panel_;
    ViewerPane* viewer_;
    ConversationPane* conversation_;
    QTabWidget* leftTabs_;
    QListWidget* history_;
    QMenu* recentMenu_ = nullptr;

    QLabel* modelLabel_;
    QLabel* speedLabel_;
    QProgressBar* progress_;
    QPushButton* cancelLoad_;

    QThread workerThread_;
    ModelWorker* worker_;
    ModelState modelState_ = ModelState::None;
    ModelRequest loadedRequest_;
    ModelInfo modelInfo_;
    int modelTileSize_ = 0;
    mutable QString configDir_;  // the folder config_ was read from (before loading)
    mutable std::shared_ptr<const ModelConfig> config_;
    bool askAfterLoad_ = false;
    QString pendingQuestion_;

    ConversationLog log_;
    SelectionPlan plan_;
    std::vector<SourceSelection> pendingSelection_;  // applied once documents open
    QString jumpFile_;  // a source link followed while its document opens: shown once open
    int jumpPage_ = 0;  // 1-based
    QTimer autosave_;       // saves a streaming answer every few seconds
    bool logDirty_ = false;
};

}  // namespace leopard::ui
