#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>

#include "conversation_pane.h"
#include "documents/model_preflight.h"
#include "documents/notes.h"
#include "documents/settings.h"
#include "document_model.h"
#include "document_panel.h"
#include "engine/config.h"
#include "export.h"
#include "finetune_dialog.h"
#include "settings_dialog.h"
#include "viewer_pane.h"

namespace leopard::ui {

namespace {
constexpr const char* kGeometryKey = "window/geometry";
constexpr const char* kStateKey = "window/state";
constexpr const char* kSplitterKey = "window/splitter";
constexpr const char* kLastConversationKey = "conversations/last";
constexpr int kAutosaveMs = 2000;
}  // namespace

MainWindow::MainWindow(RuntimeReport runtimeReport, QWidget* parent)
    : QMainWindow(parent), report_(std::move(runtimeReport)), settings_(AppSettings::load()) {
    setWindowTitle(tr("Leopard Desk"));
    setAcceptDrops(true);
    documents_ = new DocumentModel(this);
    documents_->setDevicePixelRatio(devicePixelRatioF());
    panel_ = new DocumentPanel(documents_, this);
    viewer_ = new ViewerPane(documents_, this);
    conversation_ = new ConversationPane(this);
    history_ = new QListWidget(this);
    history_->setToolTip(tr("Saved conversations: double-click to reopen one"));
    leftTabs_ = new QTabWidget(this);
    leftTabs_->addTab(panel_, tr("Documents"));
    leftTabs_->addTab(history_, tr("History"));

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->addWidget(leftTabs_);
    splitter->addWidget(viewer_);
    splitter->addWidget(conversation_);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 1);
    splitter->setSizes({300, 600, 420});
    setCentralWidget(splitter);

    buildActions();
    buildStatusBar();

    // The worker lives on its own thread for the window's lifetime.
    worker_ = new ModelWorker;
    worker_->moveToThread(&workerThread_);
    connect(&workerThread_, &QThread::finished, worker_, &QObject::deleteLater);
    workerThread_.setObjectName(QStringLiteral("leopard-model"));
    workerThread_.start();
    connectWorker();

    viewer_->setTilePlanLookup([this](int row, int page) -> std::optional<std::pair<imaging::ImageTilePlan, int>> {
        if (auto p = plan_.planFor(row, page); p && plan_.tileSize > 0) return std::make_pair(*p, plan_.tileSize);
        return std::nullopt;
    });
    connect(panel_, &DocumentPanel::pageActivated, viewer_, &ViewerPane::showPage);
    connect(panel_, &DocumentPanel::openRequested, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Open documents"), QString(),
            tr("Documents and images (*.pdf *.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff *.pptx *.ppt "
               "*.odp *.docx *.doc *.odt *.xlsx *.ods);;All files (*)"));
        openFiles(files);
    });
    connect(panel_, &DocumentPanel::pasteRequested, this, &MainWindow::pasteFromClipboard);
    connect(documents_, &DocumentModel::selectionChanged, this, &MainWindow::updateSelection);
    connect(documents_, &DocumentModel::documentOpened, this, [this](int row) {
        // A reopened conversation's pages are ticked once its file is open.
        const QString path = documents_->filePath(row);
        for (auto it = pendingSelection_.begin(); it != pendingSelection_.end(); ++it) {
            if (QFileInfo(it->path).absoluteFilePath() != path) continue;
            documents_->applySelection({*it});
            pendingSelection_.erase(it);
            break;
        }
        if (!jumpFile_.isEmpty() && QFileInfo(jumpFile_).absoluteFilePath() == path) {
            // A source link followed while its document was opening.
            jumpFile_.clear();
            panel_->setCurrentPage(row, jumpPage_ - 1);
            viewer_->showPage(row, jumpPage_ - 1);
        } else if (viewer_->currentRow() < 0) {
            panel_->setCurrentPage(row, 0);
        }
    });
    connect(documents_, &DocumentModel::documentFailed, this, [this](int, const QString& message) {
        statusBar()->showMessage(message, 10000);
        showError(tr("A document could not be opened"),
                  tr("%1\n\nThe other documents stay open and usable.").arg(message));
    });
    connect(conversation_, &ConversationPane::askRequested, this, &MainWindow::ask);
    connect(conversation_, &ConversationPane::stopRequested, this, &MainWindow::stop);
    connect(conversation_, &ConversationPane::pageLinkActivated, this, [this](const QString& file, int page) {
        int row = documents_->rowOf(file);
        if (row < 0) row = documents_->addFile(file);  // reopened conversation: open it again
        if (documents_->state(row) != DocumentModel::State::Ready) {
            jumpFile_ = file;  // shown once it is open (documentOpened)
            jumpPage_ = page;
            return;
        }
        jumpFile_.clear();
        panel_->setCurrentPage(row, page - 1);
        viewer_->showPage(row, page - 1);
    });
    connect(history_, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { openConversation(item->data(Qt::UserRole).toString()); });
    autosave_.setInterval(kAutosaveMs);
    connect(&autosave_, &QTimer::timeout, this, [this] {
        if (logDirty_) saveConversation();
    });

    log_ = ConversationLog::create();
    conversation_->showLog(log_);
    refreshHistory();
    updateSelection();
    updateModelStatus();

    auto q = openUserSettings();
    restoreGeometry(q->value(kGeometryKey).toByteArray());
    restoreState(q->value(kStateKey).toByteArray());
    splitter->restoreState(q->value(kSplitterKey).toByteArray());
    if (!q->contains(kGeometryKey)) resize(1360, 820);
}

MainWindow::~MainWindow() {
    worker_->requestStop();
    worker_->cancelLoad();
    workerThread_.quit();
    workerThread_.wait();
}

// --- set-up ----------------------------------------------------------------

void MainWindow::buildActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(QIcon::fromTheme("document-open"), tr("&Open…"));
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, panel_, &DocumentPanel::openRequested);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    QAction* paste = file->addAction(QIcon::fromTheme("edit-paste"), tr("&Paste Screenshot"));
    paste->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    connect(paste, &QAction::triggered, this, &MainWindow::pasteFromClipboard);
    file->addSeparator();
    QAction* newChat = file->addAction(QIcon::fromTheme("document-new"), tr("&New Conversation"));
    newChat->setShortcut(QKeySequence::New);
    connect(newChat, &QAction::triggered, this, &MainWindow::newConversation);
    QAction* exportAnswer = file->addAction(tr("&Export Answer…"));
    exportAnswer->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(exportAnswer, &QAction::triggered, this, [this] { exportDialog(false); });
    QAction* exportAll = file->addAction(QIcon::fromTheme("document-save-as"), tr("Export &Conversation…"));
    exportAll->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(exportAll, &QAction::triggered, this, [this] { exportDialog(true); });
    QAction* copy = file->addAction(QIcon::fromTheme("edit-copy"), tr("Cop&y Answer as Markdown"));
    copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    connect(copy, &QAction::triggered, this, &MainWindow::copyAnswer);
    file->addSeparator();
    QAction* quit = file->addAction(QIcon::fromTheme("application-exit"), tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addActions({viewer_->previousAction(), viewer_->nextAction()});
    view->addSeparator();
    view->addActions({viewer_->zoomInAction(), viewer_->zoomOutAction(), viewer_->fitWidthAction(),
                      viewer_->fitPageAction()});
    view->addSeparator();
    view->addActions({viewer_->tileGridAction(), viewer_->compareAction()});

    QMenu* model = menuBar()->addMenu(tr("&Model"));
    QAction* load = model->addAction(tr("&Load Model"));
    load->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(load, &QAction::triggered, this, &MainWindow::loadModel);
    QAction* prefs = model->addAction(QIcon::fromTheme("preferences-system"), tr("&Settings…"));
    prefs->setShortcut(QKeySequence::Preferences);
    if (prefs->shortcut().isEmpty()) prefs->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    connect(prefs, &QAction::triggered, this, &MainWindow::openSettings);
    QAction* finetune = model->addAction(tr("&Fine-tune…"));
    connect(finetune, &QAction::triggered, this, &MainWindow::openFinetune);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(QIcon::fromTheme("help-about"), tr("&About Leopard Desk"));
    connect(about, &QAction::triggered, this, [this] { AboutDialog(report_, this).exec(); });
    updateRecentMenu();
}

void MainWindow::buildStatusBar() {
    modelLabel_ = new QLabel(this);
    speedLabel_ = new QLabel(this);
    progress_ = new QProgressBar(this);
    progress_->setMaximumWidth(220);
    progress_->setTextVisible(true);
    progress_->hide();
    cancelLoad_ = new QPushButton(tr("Cancel"), this);
    cancelLoad_->hide();
    connect(cancelLoad_, &QPushButton::clicked, this, [this] { worker_->cancelLoad(); });
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancelLoad_);
    statusBar()->addPermanentWidget(speedLabel_);
    statusBar()->addPermanentWidget(modelLabel_);
}

void MainWindow::connectWorker() {
    connect(this, &MainWindow::loadRequested, worker_, &ModelWorker::load);
    connect(this, &MainWindow::askRequested, worker_, &ModelWorker::ask);
    connect(worker_, &ModelWorker::loadProgress, this, [this](qint64 done, qint64 total, const QString& detail) {
        progress_->setRange(0, total > 0 ? 1000 : 0);
        if (total > 0) progress_->setValue(int(1000 * done / total));
        progress_->setFormat(tr("Loading %p%"));
        statusBar()->showMessage(tr("Loading the model… %1").arg(detail));
    });
    connect(worker_, &ModelWorker::loaded, this, [this](const ModelInfo& info, int tileSize) {
        modelState_ = ModelState::Ready;
        modelInfo_ = info;
        modelTileSize_ = tileSize;
        progress_->hide();
        cancelLoad_->hide();
        statusBar()->showMessage(tr("Model %1 loaded").arg(info.name), 5000);
        updateModelStatus();
        updateSelection();
        if (askAfterLoad_) {
            askAfterLoad_ = false;
            submitQuestion(pendingQuestion_);
        }
    });
    connect(worker_, &ModelWorker::loadFailed, this, [this](const QString& message, bool cancelled) {
        modelState_ = cancelled ? ModelState::None : ModelState::Failed;
        progress_->hide();
        cancelLoad_->hide();
        askAfterLoad_ = false;
        conversation_->setBusy(false);
        updateModelStatus();
        if (cancelled) {
            statusBar()->showMessage(tr("Loading cancelled"), 5000);
        } else {
            showError(tr("The model could not be loaded"),
                      tr("%1\n\nChoose a complete model folder (config.json, weights, tokenizer) in "
                         "Model ▸ Settings.")
                          .arg(message));
        }
    });
    connect(worker_, &ModelWorker::askProgress, this, [this](const QString& stage, qint64 done, qint64 total) {
        if (stage == QLatin1String("generating")) {
            progress_->hide();
            return;
        }
        progress_->show();
        progress_->setRange(0, total > 0 ? int(total) : 0);
        progress_->setValue(int(done));
        progress_->setFormat(tr("%1 %v/%m").arg(stage));
    });
    connect(worker_, &ModelWorker::textReceived, this, [this](const QString& piece) {
        if (log_.turns.empty() || !log_.turns.back().streaming) return;
        log_.turns.back().answer += piece.toStdString();
        logDirty_ = true;
        conversation_->showLog(log_);
    });
    connect(worker_, &ModelWorker::speed, this,
            [this](double tps) { speedLabel_->setText(tr("%1 tokens/s").arg(tps, 0, 'f', 1)); });
    connect(worker_, &ModelWorker::answered, this, [this](const AskResult& r) {
        if (log_.turns.empty()) return;
        ChatTurn& t = log_.turns.back();
        t.answer = r.answer;
        t.finishReason = r.finishReason;
        t.pages = r.pages;
        t.model = r.model;
        t.timings = r.timings;
        t.streaming = false;
        t.date = QDateTime::currentDateTime();
        log_.model = r.model.dir;
        for (const std::string& w : r.warnings) statusBar()->showMessage(QString::fromStdString(w), 10000);
        speedLabel_->setText(tr("%1 tokens/s").arg(r.timings.tokensPerSecond, 0, 'f', 1));
        progress_->hide();
        autosave_.stop();
        saveConversation();
        conversation_->showLog(log_);
        conversation_->setBusy(false);
        refreshHistory();
        Q_EMIT answerFinished();
    });
    connect(worker_, &ModelWorker::askFailed, this, [this](const QString& message) {
        if (!log_.turns.empty()) {
            ChatTurn& t = log_.turns.back();
            t.streaming = false;
            t.error = message;
        }
        progress_->hide();
        autosave_.stop();
        saveConversation();
        conversation_->showLog(log_);
        conversation_->setBusy(false);
        Q_EMIT answerFinished();
    });
}

// --- documents -------------------------------------------------------------

void MainWindow::openFiles(const QStringList& files) {
    for (const QString& f : files) {
        documents_->addFile(f);
        addRecentFile(QFileInfo(f).absoluteFilePath());
    }
    if (!files.isEmpty()) leftTabs_->setCurrentWidget(panel_);
    updateRecentMenu();
}

void MainWindow::pasteFromClipboard() {
    const QMimeData* data = QApplication::clipboard()->mimeData();
    if (!data) return;
    if (data->hasImage()) {
        const QImage image = qvariant_cast<QImage>(data->imageData());
        if (documents_->addImage(image) < 0) showError(tr("Paste"), tr("The pasted image could not be saved."));
        return;
    }
    const QStringList files = localFilesFrom(data);
    if (files.isEmpty()) {
        statusBar()->showMessage(tr("The clipboard holds no image or file."), 5000);
        return;
    }
    openFiles(files);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!localFilesFrom(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QStringList files = localFilesFrom(event->mimeData());
    if (files.isEmpty()) return;
    openFiles(files);
    event->acceptProposedAction();
}

const ModelConfig* MainWindow::modelConfig() const {
    const QString dir = settings_.effectiveModelDir();
    if (dir != configDir_) {
        configDir_ = dir;
        config_.reset();
        try {
            config_ = std::make_shared<const ModelConfig>(loadModelConfig(dir.toStdString()));
        } catch (const std::exception&) {
            // Reported by the settings dialog's check and by loading.
        }
    }
    return config_.get();
}

int MainWindow::tileSize() const {
    if (modelState_ == ModelState::Ready && modelTileSize_ > 0) return modelTileSize_;
    // Before loading, the tile size comes from the chosen model's config.
    const ModelConfig* config = modelConfig();
    return config ? int(config->vision.image_size) : 0;
}

void MainWindow::updateSelection() {
    plan_ = planSelection(*documents_, tileSize(), settings_.tileBudget);
    QString text;
    if (plan_.pages() == 0) {
        text = tr("No page selected: tick the pages the question is about.");
    } else if (plan_.tileSize <= 0) {
        text = tr("%n page(s) selected (tile count unknown: no model config)", nullptr, plan_.pages());
    } else {
        text = tr("%n page(s) · %1 / %2 model tiles", nullptr, plan_.pages())
                   .arg(plan_.modelTiles())
                   .arg(plan_.budget);
        if (plan_.overBudget())
            text += tr(" — more pages than tiles: each page gets only its global view; select fewer pages");
    }
    panel_->setBudgetText(text, plan_.overBudget());
    viewer_->selectionChanged();
    updateMemoryNote();
}

void MainWindow::updateMemoryNote() {
    const ModelConfig* config = modelConfig();
    if (!config) {
        conversation_->setNote(tr("Memory needed: unknown, %1 has no readable config.json (see Model ▸ Settings).")
                                   .arg(settings_.effectiveModelDir()));
        return;
    }
    try {
        const MemoryPlan memory = planMemory(*config, settings_.device.toStdString(), settings_.dtype.toStdString(),
                                             plan_.modelTiles(), settings_.maxNewTokens);
        conversation_->setNote(tr("Memory for %n tile(s) and an answer of up to %1 tokens: %2", nullptr,
                                  int(memory.tiles))
                                   .arg(memory.answerTokens)
                                   .arg(describeMemory(memory)));
    } catch (const std::exception& e) {
        conversation_->setNote(tr("Memory needed: unknown (%1)").arg(QString::fromUtf8(e.what())));
    }
}

// --- model -----------------------------------------------------------------

ModelRequest MainWindow::modelRequest() const {
    return {settings_.effectiveModelDir(), settings_.device, settings_.dtype};
}

void MainWindow::loadModel() {
    if (modelState_ == ModelState::Loading) return;
    if (isAsking() && !askAfterLoad_) return;  // not while the model answers
    const ModelRequest req = modelRequest();
    modelState_ = ModelState::Loading;
    loadedRequest_ = req;
    progress_->setRange(0, 0);
    progress_->setFormat(tr("Loading"));
    progress_->show();
    cancelLoad_->show();
    QString weights;
    if (const ModelConfig* config = modelConfig()) {
        try {
            const MemoryPlan memory = planMemory(*config, req.device.toStdString(), req.dtype.toStdString(), 0, 0);
            weights = tr(" (weights: %1 in %2)")
                          .arg(QLocale().formattedDataSize(memory.memory.weightBytes, 1, QLocale::DataSizeSIFormat),
                               QString::fromStdString(memory.dtype));
        } catch (const std::exception&) {
            // Loading reports a bad device or dtype.
        }
    }
    statusBar()->showMessage(tr("Loading the model from %1%2…").arg(req.dir, weights));
    updateModelStatus();
    Q_EMIT loadRequested(req);
}

void MainWindow::updateModelStatus() {
    switch (modelState_) {
    case ModelState::Ready:
        modelLabel_->setText(tr("%1 · %2 · %3")
                                 .arg(modelInfo_.name, QString::fromStdString(modelInfo_.device),
                                      QString::fromStdString(modelInfo_.dtype)));
        break;
    case ModelState::Loading: modelLabel_->setText(tr("loading the model…")); break;
    case ModelState::Failed: modelLabel_->setText(tr("model not loaded (see Model ▸ Settings)")); break;
    case ModelState::None: modelLabel_->setText(tr("no model loaded")); break;
    }
}

bool MainWindow::isAsking() const { return conversation_->isBusy(); }

void MainWindow::ask(const QString& question) {
    if (question.trimmed().isEmpty() || isAsking()) return;
    if (documents_->selection().empty()) {
        conversation_->setNote(tr("Open a document and tick at least one page first: the question is about the "
                                  "selected pages."));
        return;
    }
    updateMemoryNote();
    const bool needLoad = modelState_ != ModelState::Ready || loadedRequest_.dir != modelRequest().dir ||
                          loadedRequest_.device != settings_.device || loadedRequest_.dtype != settings_.dtype;
    conversation_->setBusy(true);
    if (needLoad) {
        // Load first (the same worker queue), then ask when it is there.
        askAfterLoad_ = true;
        pendingQuestion_ = question;
        if (modelState_ != ModelState::Loading) {
            modelState_ = ModelState::None;
            loadModel();
        }
        return;
    }
    submitQuestion(question);
}

void MainWindow::submitQuestion(const QString& question) {
    AskRequest req;
    req.conversation = log_.path;
    req.sources = documents_->selection();
    for (const ChatTurn& t : log_.turns)
        if (t.error.isEmpty()) req.history.push_back({t.question, t.answer, t.finishReason});
    req.question = question;
    req.tileBudget = settings_.tileBudget;
    req.maxNewTokens = settings_.maxNewTokens;
    req.instruction = settings_.instruction;

    ChatTurn turn;
    turn.question = question.toStdString();
    turn.streaming = true;
    turn.date = QDateTime::currentDateTime();
    turn.model = modelInfo_;
    log_.turns.push_back(turn);
    log_.sources = req.sources;
    conversation_->clearQuestion();
    conversation_->showLog(log_);
    saveConversation();
    autosave_.start();
    Q_EMIT askRequested(req);
}

void MainWindow::stop() {
    if (modelState_ == ModelState::Loading) worker_->cancelLoad();
    worker_->requestStop();
}

// --- conversations ---------------------------------------------------------

void MainWindow::saveConversation() {
    logDirty_ = false;
    if (log_.turns.empty()) return;
    try {
        log_.save();
        openUserSettings()->setValue(kLastConversationKey, log_.path);
    } catch (const std::exception& e) {
        statusBar()->showMessage(tr("The conversation could not be saved: %1").arg(QString::fromUtf8(e.what())),
                                 10000);
    }
}

void MainWindow::newConversation() {
    if (isAsking()) return;
    saveConversation();
    log_ = ConversationLog::create();
    conversation_->showLog(log_);
}

void MainWindow::openConversation(const QString& path) {
    if (isAsking()) return;
    ConversationLog log;
    try {
        log = ConversationLog::load(path);
    } catch (const std::exception& e) {
        showError(tr("The conversation could not be opened"), QString::fromUtf8(e.what()));
        return;
    }
    saveConversation();
    log_ = log;
    // Its documents come back with the pages it used.
    pendingSelection_.clear();
    for (const SourceSelection& s : log_.sources) {
        const int row = documents_->rowOf(QFileInfo(s.path).absoluteFilePath());
        if (row >= 0 && documents_->state(row) == DocumentModel::State::Ready) {
            documents_->applySelection({s});
        } else {
            pendingSelection_.push_back(s);
            documents_->addFile(s.path);
        }
    }
    conversation_->showLog(log_);
    openUserSettings()->setValue(kLastConversationKey, log_.path);
}

void MainWindow::restoreLastConversation() {
    const QString last = openUserSettings()->value(kLastConversationKey).toString();
    if (!last.isEmpty() && QFileInfo::exists(last)) openConversation(last);
}

void MainWindow::refreshHistory() {
    history_->clear();
    for (const ConversationLog::Entry& e : ConversationLog::list()) {
        auto* item = new QListWidgetItem(
            tr("%1\n%2 · %n question(s)", nullptr, e.turns).arg(e.title, QLocale().toString(e.modified, QLocale::ShortFormat)),
            history_);
        item->setData(Qt::UserRole, e.path);
        item->setToolTip(e.path);
    }
}

// --- export ----------------------------------------------------------------

void MainWindow::exportDialog(bool wholeConversation) {
    if (log_.turns.empty()) {
        statusBar()->showMessage(tr("Nothing to export yet: ask a question first."), 5000);
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        this, wholeConversation ? tr("Export conversation") : tr("Export answer"), QString(),
        tr("Markdown with thumbnails (*.md);;JSON lines (*.jsonl *.json)"));
    if (!path.isEmpty()) exportConversation(path, wholeConversation);
}

void MainWindow::exportConversation(const QString& path, bool wholeConversation) {
    std::vector<ChatTurn> turns;
    if (wholeConversation) {
        turns = log_.turns;
    } else if (const int i = conversation_->selectedTurn(); i >= 0) {
        turns.push_back(log_.turns[size_t(i)]);
    }
    // Thumbnails are rendered first (on the render threads); the file is
    // written when the last one is in.
    struct Job {
        QHash<QString, QImage> images;
        int left = 1;  // +1 until every request is out
    };
    auto job = std::make_shared<Job>();
    auto finish = [this, job, path, turns] {
        if (--job->left > 0) return;
        QString error;
        try {
            exportTurns(path, turns, [job](const QString& file, int page) {
                return job->images.value(file + '#' + QString::number(page));
            });
            statusBar()->showMessage(tr("Exported to %1").arg(path), 5000);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
            showError(tr("Export failed"), error);
        }
        Q_EMIT exportFinished(path, error);
    };
    for (const ChatTurn& t : turns) {
        for (const PageUsed& p : t.pages) {
            const QString key = p.file + '#' + QString::number(p.page);
            const int row = documents_->rowOf(p.file);
            if (job->images.contains(key) || row < 0 || !documents_->renderer(row)) continue;
            job->images.insert(key, QImage());
            ++job->left;
            RenderService::whenReady(documents_->renderer(row)->thumbnail(p.page - 1, kNoteThumbnailHeight), this,
                                     [job, key, finish](const QImage& image, const QString&) {
                                         job->images[key] = image;
                                         finish();
                                     });
        }
    }
    finish();
}

void MainWindow::copyAnswer() {
    const int i = conversation_->selectedTurn();
    if (i < 0) return;
    try {
        QApplication::clipboard()->setText(turnsAsMarkdown({log_.turns[size_t(i)]}));
        statusBar()->showMessage(tr("Answer copied as Markdown"), 3000);
    } catch (const std::exception& e) {
        showError(tr("Copy failed"), QString::fromUtf8(e.what()));
    }
}

// --- dialogs ---------------------------------------------------------------

void MainWindow::setSettings(const AppSettings& s) {
    settings_ = s;
    settings_.save();
    updateSelection();
}

void MainWindow::openSettings() {
    SettingsDialog dialog(settings_, this);
    if (dialog.exec() != QDialog::Accepted) return;
    const AppSettings before = settings_;
    setSettings(dialog.settings());
    if (settings_.threads != before.threads)
        statusBar()->showMessage(tr("The number of threads takes effect when Leopard Desk restarts."), 8000);
}

void MainWindow::openFinetune() {
    FinetuneDialog dialog(settings_.effectiveModelDir(), log_.turns, this);
    if (dialog.exec() == QDialog::Accepted && !dialog.modelToLoad().isEmpty()) {
        AppSettings s = settings_;
        s.modelDir = dialog.modelToLoad();
        setSettings(s);
        modelState_ = ModelState::None;
        loadModel();
    }
}

void MainWindow::updateRecentMenu() {
    recentMenu_->clear();
    const QStringList files = recentFiles();
    for (const QString& f : files) {
        QAction* a = recentMenu_->addAction(QFileInfo(f).fileName());
        a->setToolTip(f);
        connect(a, &QAction::triggered, this, [this, f] { openFiles({f}); });
    }
    recentMenu_->setEnabled(!files.isEmpty());
}

void MainWindow::showError(const QString& title, const QString& message) {
    // Window-modal and non-blocking: the event loop (rendering, streaming)
    // goes on while the message is shown.
    statusBar()->showMessage(message, 10000);
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    worker_->requestStop();
    saveConversation();
    auto q = openUserSettings();
    q->setValue(kGeometryKey, saveGeometry());
    q->setValue(kStateKey, saveState());
    q->setValue(kSplitterKey, static_cast<QSplitter*>(centralWidget())->saveState());
    event->accept();
}

}  // namespace leopard::ui
