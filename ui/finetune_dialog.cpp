#include "finetune_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

#include "loss_plot.h"
#include "util/paths.h"

namespace leopard::ui {

namespace {
// A line edit with a "Choose…" button that opens a folder or file picker.
QWidget* pathRow(QWidget* parent, QLineEdit* edit, bool folder, const QString& filter = {}) {
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* button = new QPushButton(QObject::tr("Choose…"), row);
    layout->addWidget(edit, 1);
    layout->addWidget(button);
    QObject::connect(button, &QPushButton::clicked, row, [row, edit, folder, filter] {
        const QString p = folder ? QFileDialog::getExistingDirectory(row, QString(), edit->text())
                                 : QFileDialog::getOpenFileName(row, QString(), edit->text(), filter);
        if (!p.isEmpty()) edit->setText(p);
    });
    return row;
}
}  // namespace

FinetuneDialog::FinetuneDialog(const QString& baseModel, const std::vector<ChatTurn>& turns, QWidget* parent)
    : QDialog(parent), turns_(turns) {
    setWindowTitle(tr("Fine-tune the model"));
    model_ = new QLineEdit(baseModel, this);
    docs_ = new QLineEdit(this);
    docs_->setPlaceholderText(tr("folder with the documents the questions are about"));
    qaFile_ = new QLineEdit(this);
    qaFile_->setPlaceholderText(tr("questions and answers (JSONL), or mark answers below"));
    marked_ = new QListWidget(this);
    marked_->setMaximumHeight(110);
    for (const ChatTurn& t : turns_) {
        auto* item = new QListWidgetItem(QString::fromStdString(t.question).simplified(), marked_);
        item->setToolTip(QString::fromStdString(t.answer));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    out_ = new QLineEdit(QDir::home().filePath(QStringLiteral("leopard-finetuned")), this);
    rank_ = new QSpinBox(this);
    rank_->setRange(1, 256);
    rank_->setValue(8);
    alpha_ = new QDoubleSpinBox(this);
    alpha_->setRange(0.1, 1024);
    alpha_->setValue(16);
    dropout_ = new QDoubleSpinBox(this);
    dropout_->setRange(0, 0.9);
    dropout_->setSingleStep(0.05);
    dropout_->setValue(0.05);
    epochs_ = new QSpinBox(this);
    epochs_->setRange(1, 100);
    epochs_->setValue(3);
    lr_ = new QDoubleSpinBox(this);
    lr_->setDecimals(6);
    lr_->setRange(1e-6, 1);
    lr_->setSingleStep(1e-4);
    lr_->setValue(2e-4);

    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    plot_ = new LossPlot(this);
    log_ = new QPlainTextEdit(this);
    log_->setReadOnly(true);
    log_->setMaximumHeight(90);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setObjectName(QStringLiteral("status"));
    progress_->setObjectName(QStringLiteral("progress"));
    const std::pair<QWidget*, const char*> names[] = {
        {model_, "model"}, {docs_, "docs"},   {qaFile_, "qaFile"},   {marked_, "marked"}, {out_, "out"},
        {rank_, "rank"},   {alpha_, "alpha"}, {dropout_, "dropout"}, {epochs_, "epochs"}, {lr_, "lr"}};
    for (const auto& [widget, name] : names) widget->setObjectName(QString::fromLatin1(name));

    auto* form = new QFormLayout;
    form->addRow(tr("Base model:"), pathRow(this, model_, true));
    form->addRow(tr("Documents:"), pathRow(this, docs_, true));
    form->addRow(tr("Q/A file:"), pathRow(this, qaFile_, false, tr("Q/A pairs (*.jsonl *.json)")));
    form->addRow(tr("Good answers:"), marked_);
    form->addRow(tr("Output folder:"), pathRow(this, out_, true));
    form->addRow(tr("LoRA rank:"), rank_);
    form->addRow(tr("LoRA alpha:"), alpha_);
    form->addRow(tr("Dropout:"), dropout_);
    form->addRow(tr("Epochs:"), epochs_);
    form->addRow(tr("Learning rate:"), lr_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    startButton_ = buttons->addButton(tr("Start"), QDialogButtonBox::ActionRole);
    cancelButton_ = buttons->addButton(tr("Cancel training"), QDialogButtonBox::ActionRole);
    cancelButton_->setEnabled(false);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(progress_);
    layout->addWidget(plot_, 1);
    layout->addWidget(log_);
    layout->addWidget(status_);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(startButton_, &QPushButton::clicked, this, &FinetuneDialog::start);
    connect(cancelButton_, &QPushButton::clicked, this, &FinetuneDialog::cancel);
    connect(&process_, &QProcess::readyReadStandardOutput, this, &FinetuneDialog::readMetrics);
    connect(&process_, &QProcess::readyReadStandardError, this,
            [this] { log_->appendPlainText(QString::fromUtf8(process_.readAllStandardError()).trimmed()); });
    connect(&process_, &QProcess::finished, this, &FinetuneDialog::processFinished);
    connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart) return;
        status_->setText(tr("leopard-train could not be started: %1").arg(process_.errorString()));
        startButton_->setEnabled(true);
        cancelButton_->setEnabled(false);
    });

    if (trainerPath().isEmpty()) {
        status_->setText(tr("leopard-train is not installed (looked at $LEOPARD_TRAIN, next to this program and "
                            "on PATH): build the training target or install the leopard-desk package to fine-tune."));
        startButton_->setEnabled(false);
    }
}

FinetuneDialog::~FinetuneDialog() {
    if (isRunning()) {
        process_.kill();
        process_.waitForFinished(3000);
    }
}

QString FinetuneDialog::trainerPath() {
    const QString configured = qEnvironmentVariable("LEOPARD_TRAIN");
    if (!configured.isEmpty()) return QFileInfo(configured).isExecutable() ? configured : QString();
    const QString local = QString::fromStdString((executableDir() / "leopard-train").string());
    if (QFileInfo(local).isExecutable()) return local;
    return QStandardPaths::findExecutable(QStringLiteral("leopard-train"));
}

bool FinetuneDialog::isRunning() const { return process_.state() != QProcess::NotRunning; }

QStringList FinetuneDialog::arguments(const QString& qaFile) const {
    return {QStringLiteral("finetune"),
            QStringLiteral("--model"), model_->text(),
            QStringLiteral("--data"), qaFile,
            QStringLiteral("--docs"), docs_->text(),
            // The adapter goes into a subfolder; the output folder itself
            // becomes a model folder with the adapter merged in, which the
            // app loads like any other.
            QStringLiteral("--out"), QDir(out_->text()).filePath(QStringLiteral("adapter")),
            QStringLiteral("--merged-out"), out_->text(),
            QStringLiteral("--rank"), QString::number(rank_->value()),
            QStringLiteral("--alpha"), QString::number(alpha_->value()),
            QStringLiteral("--dropout"), QString::number(dropout_->value()),
            QStringLiteral("--epochs"), QString::number(epochs_->value()),
            QStringLiteral("--lr"), QString::number(lr_->value(), 'g', 6),
            QStringLiteral("--metrics-jsonl")};
}

QString FinetuneDialog::writeMarkedPairs(QString* error) const {
    QByteArray data;
    for (int i = 0; i < marked_->count(); ++i) {
        if (marked_->item(i)->checkState() != Qt::Checked) continue;
        const ChatTurn& t = turns_[size_t(i)];
        // One line per pair: the files with their pages, as SourceSelection.
        QJsonArray files, pages;
        QStringList seen;
        for (const PageUsed& p : t.pages) {
            int k = int(seen.indexOf(p.file));
            if (k < 0) {
                seen << p.file;
                files.append(p.file);
                pages.append(QJsonArray());
                k = int(seen.size()) - 1;
            }
            QJsonArray list = pages[k].toArray();
            list.append(p.page);
            pages[k] = list;
        }
        const QJsonObject o{{"files", files},
                            {"pages", pages},
                            {"question", QString::fromStdString(t.question)},
                            {"answer", QString::fromStdString(t.answer)}};
        data += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    }
    if (data.isEmpty()) return {};
    const QString path = QDir(out_->text()).filePath(QStringLiteral("marked-answers.jsonl"));
    QDir().mkpath(out_->text());
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
        *error = tr("%1: cannot be written (%2)").arg(path, f.errorString());
        return {};
    }
    return path;
}

void FinetuneDialog::start() {
    const QString exe = trainerPath();
    if (exe.isEmpty()) return;
    QString error;
    QString qa = qaFile_->text().trimmed();
    if (qa.isEmpty()) qa = writeMarkedPairs(&error);
    if (qa.isEmpty()) {
        status_->setText(error.isEmpty() ? tr("Choose a Q/A file or mark at least one good answer.") : error);
        return;
    }
    if (!QFileInfo(docs_->text()).isDir()) {
        status_->setText(tr("Choose the folder of documents the questions are about."));
        return;
    }
    plot_->clear();
    progress_->setValue(0);
    log_->clear();
    pending_.clear();
    status_->setText(tr("Training…"));
    startButton_->setEnabled(false);
    cancelButton_->setEnabled(true);
    process_.start(exe, arguments(qa));
}

void FinetuneDialog::cancel() {
    if (!isRunning()) return;
    status_->setText(tr("Cancelling…"));
    process_.terminate();  // leopard-train stops cleanly on SIGTERM; kill if it does not
    QTimer::singleShot(5000, this, [this] {
        if (isRunning()) process_.kill();
    });
}

void FinetuneDialog::readMetrics() {
    pending_ += process_.readAllStandardOutput();
    int nl;
    while ((nl = int(pending_.indexOf('\n'))) >= 0) {
        const QByteArray line = pending_.left(nl).trimmed();
        pending_.remove(0, nl + 1);
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.isEmpty()) {
            if (!line.isEmpty()) log_->appendPlainText(QString::fromUtf8(line));
            continue;
        }
        if (o.contains("step") && o.contains("loss")) plot_->addPoint(o["step"].toDouble(), o["loss"].toDouble());
        if (o.contains("progress")) progress_->setValue(int(o["progress"].toDouble() * progress_->maximum()));
    }
}

void FinetuneDialog::processFinished(int exitCode, QProcess::ExitStatus status) {
    readMetrics();
    startButton_->setEnabled(true);
    cancelButton_->setEnabled(false);
    const bool ok = status == QProcess::NormalExit && exitCode == 0;
    Q_EMIT finishedTraining(ok);
    if (!ok) {
        status_->setText(status == QProcess::CrashExit ? tr("Training stopped.")
                                                       : tr("Training failed (exit code %1): see the log above.")
                                                             .arg(exitCode));
        return;
    }
    progress_->setValue(progress_->maximum());
    status_->setText(tr("Done: the fine-tuned model is in %1.").arg(out_->text()));
    if (QMessageBox::question(this, tr("Fine-tuning finished"),
                              tr("Use the fine-tuned model in %1 from now on?").arg(out_->text())) ==
        QMessageBox::Yes) {
        modelToLoad_ = out_->text();
        accept();
    }
}

}  // namespace leopard::ui
