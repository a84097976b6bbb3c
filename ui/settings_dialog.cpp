#include "settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>

namespace leopard::ui {

namespace {
QComboBox* combo(QWidget* parent, const QList<QPair<QString, QString>>& items, const QString& current) {
    auto* box = new QComboBox(parent);
    for (const auto& [label, value] : items) box->addItem(label, value);
    const int i = box->findData(current);
    if (i >= 0) {
        box->setCurrentIndex(i);
    } else {
        box->addItem(current, current);  // a value typed into the settings file by hand
        box->setCurrentIndex(box->count() - 1);
    }
    return box;
}
}  // namespace

SettingsDialog::SettingsDialog(const AppSettings& s, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Settings"));
    modelDir_ = new QLineEdit(s.modelDir, this);
    modelDir_->setObjectName(QStringLiteral("modelDir"));
    modelDir_->setPlaceholderText(tr("bundled default model"));
    modelDir_->setClearButtonEnabled(true);
    auto* browse = new QPushButton(tr("Choose…"), this);
    auto* modelRow = new QHBoxLayout;
    modelRow->addWidget(modelDir_, 1);
    modelRow->addWidget(browse);
    modelStatus_ = new QLabel(this);
    modelStatus_->setWordWrap(true);
    modelStatus_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    memory_ = new QLabel(this);
    memory_->setWordWrap(true);
    memory_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    device_ = combo(this, {{tr("Automatic (GPU if available)"), "auto"}, {tr("CPU"), "cpu"}, {tr("CUDA GPU"), "cuda"}},
                    s.device);
    device_->setObjectName(QStringLiteral("device"));
    dtype_ = combo(this,
                   {{tr("Automatic"), "auto"}, {"float32", "float32"}, {"bfloat16", "bfloat16"}, {"float16", "float16"}},
                   s.dtype);
    dtype_->setObjectName(QStringLiteral("dtype"));
    tileBudget_ = new QSpinBox(this);
    tileBudget_->setObjectName(QStringLiteral("tileBudget"));
    tileBudget_->setRange(1, 400);
    tileBudget_->setValue(s.tileBudget);
    tileBudget_->setToolTip(tr("Vision tiles shared by all pages of one question (Leopard: 50). More tiles keep more "
                               "detail and need more memory and time."));
    maxNewTokens_ = new QSpinBox(this);
    maxNewTokens_->setObjectName(QStringLiteral("maxNewTokens"));
    maxNewTokens_->setRange(1, 8192);
    maxNewTokens_->setValue(s.maxNewTokens);
    instruction_ = combo(this,
                         {{tr("None (free-form chat)"), "none"},
                          {tr("Direct (a word or phrase)"), "direct"},
                          {tr("Step by step"), "cot"}},
                         s.instruction);
    threads_ = new QSpinBox(this);
    threads_->setRange(0, std::max(1, QThread::idealThreadCount() * 2));
    threads_->setSpecialValueText(tr("all cores (%1)").arg(QThread::idealThreadCount()));
    threads_->setValue(s.threads);

    auto* form = new QFormLayout;
    form->addRow(tr("Model folder:"), modelRow);
    form->addRow(QString(), modelStatus_);
    form->addRow(tr("Memory needed:"), memory_);
    form->addRow(tr("Device:"), device_);
    form->addRow(tr("Precision:"), dtype_);
    form->addRow(tr("Tile budget:"), tileBudget_);
    form->addRow(tr("Longest answer (tokens):"), maxNewTokens_);
    form->addRow(tr("Instruction:"), instruction_);
    form->addRow(tr("Threads:"), threads_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Model folder"), modelDir_->text());
        if (!dir.isEmpty()) modelDir_->setText(dir);
    });
    connect(modelDir_, &QLineEdit::textChanged, this, &SettingsDialog::validateModel);
    connect(device_, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateEstimate);
    connect(dtype_, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateEstimate);
    connect(tileBudget_, &QSpinBox::valueChanged, this, &SettingsDialog::updateEstimate);
    connect(maxNewTokens_, &QSpinBox::valueChanged, this, &SettingsDialog::updateEstimate);
    validateModel();
}

void SettingsDialog::validateModel() {
    AppSettings probe;
    probe.modelDir = modelDir_->text().trimmed();
    const QString dir = probe.effectiveModelDir();
    const ModelFolderCheck check = checkModelFolder(dir);
    config_ = check.config;
    if (check.ok()) {
        modelStatus_->setText(tr("✔ %1").arg(dir));
        modelStatus_->setStyleSheet({});
    } else {
        config_.reset();
        modelStatus_->setText(tr("✘ %1").arg(check.problem));
        modelStatus_->setStyleSheet(QStringLiteral("color: #c0392b;"));
    }
    updateEstimate();
}

void SettingsDialog::updateEstimate() {
    plan_.reset();
    memory_->setStyleSheet({});
    if (!config_) {
        memory_->setText(tr("(shown once the model folder is complete)"));
        return;
    }
    try {
        plan_ = planMemory(*config_, device_->currentData().toString().toStdString(),
                           dtype_->currentData().toString().toStdString(), tileBudget_->value(),
                           maxNewTokens_->value());
    } catch (const std::exception& e) {
        memory_->setText(tr("✘ %1").arg(QString::fromUtf8(e.what())));
        memory_->setStyleSheet(QStringLiteral("color: #c0392b;"));
        return;
    }
    memory_->setText(tr("For a question using all %n tile(s) and an answer of up to %1 tokens: %2", nullptr,
                        int(plan_->tiles))
                         .arg(plan_->answerTokens)
                         .arg(describeMemory(*plan_)));
    if (!plan_->fits() || !plan_->fitsContext()) memory_->setStyleSheet(QStringLiteral("color: #c0392b;"));
}

QString SettingsDialog::modelStatusText() const { return modelStatus_->text(); }
QString SettingsDialog::memoryText() const { return plan_ ? memory_->text() : QString(); }

AppSettings SettingsDialog::settings() const {
    AppSettings s;
    s.modelDir = modelDir_->text().trimmed();
    s.device = device_->currentData().toString();
    s.dtype = dtype_->currentData().toString();
    s.tileBudget = tileBudget_->value();
    s.maxNewTokens = maxNewTokens_->value();
    s.instruction = instruction_->currentData().toString();
    s.threads = threads_->value();
    return s;
}

}  // namespace leopard::ui
