// Fine-tuning a model on the user's documents with LoRA: runs
// `leopard-train finetune` as a child process (nothing of training runs in
// the GUI process) with a progress bar, a live loss plot from its JSON-lines
// metrics on stdout ({"step": …, "loss": …, "progress": 0..1}) and Cancel;
// when it is done, offers to use the fine-tuned model.
//
// The Q/A pairs come from a JSONL file the user picks, or from answers of
// the conversation the user marked as good (written to a JSONL file: files,
// pages, question, answer per line).
//
// GUI thread only; the process is killed when the dialog closes.
#pragma once

#include <vector>

#include <QDialog>
#include <QProcess>

#include "conversation_log.h"

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace leopard::ui {

class LossPlot;

class FinetuneDialog : public QDialog {
    Q_OBJECT
public:
    // `baseModel`: the folder to fine-tune; `turns`: answers the user may
    // mark as good Q/A pairs.
    FinetuneDialog(const QString& baseModel, const std::vector<ChatTurn>& turns, QWidget* parent = nullptr);
    ~FinetuneDialog() override;

    // The leopard-train executable: $LEOPARD_TRAIN when set (another build,
    // tests), else next to this program, else on PATH; empty when not
    // installed.
    static QString trainerPath();
    // The arguments of the finetune run for the current fields. The fields
    // carry object names (model, docs, qaFile, out, rank, alpha, dropout,
    // epochs, lr) for tests and accessibility tools.
    QStringList arguments(const QString& qaFile) const;
    // The fine-tuned model folder, once training succeeded and the user
    // chose to use it; else empty.
    QString modelToLoad() const { return modelToLoad_; }
    bool isRunning() const;
    LossPlot* lossPlot() const { return plot_; }

public Q_SLOTS:
    void start();
    void cancel();

Q_SIGNALS:
    void finishedTraining(bool ok);

private:
    QString writeMarkedPairs(QString* error) const;
    void readMetrics();
    void processFinished(int exitCode, QProcess::ExitStatus status);

    std::vector<ChatTurn> turns_;
    QLineEdit* model_;
    QLineEdit* docs_;
    QLineEdit* qaFile_;
    QListWidget* marked_;
    QLineEdit* out_;
    QSpinBox* rank_;
    QDoubleSpinBox* alpha_;
    QDoubleSpinBox* dropout_;
    QSpinBox* epochs_;
    QDoubleSpinBox* lr_;
    QProgressBar* progress_;
    LossPlot* plot_;
    QPlainTextEdit* log_;
    QLabel* status_;
    QPushButton* startButton_;
    QPushButton* cancelButton_;
    QProcess process_;
    QByteArray pending_;
    QString modelToLoad_;
};

}  // namespace leopard::ui
