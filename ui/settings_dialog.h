// Preferences: the model folder (with a folder picker, a check of what is
// in it and the memory a question will need), device, dtype, tile budget,
// answer length, instruction style and threads. Edits an AppSettings value;
// the caller saves it.
//
// The folder is checked as soon as it is chosen or typed
// (documents/model_preflight.h: config.json, weights, tokenizer), and the
// memory estimate — weights + KV cache + activations for a question using
// the whole tile budget — follows the folder, device, precision, budget and
// answer length, all before OK is pressed.
//
// GUI thread only. The check reads config files and weight-file headers
// only (milliseconds).
#pragma once

#include <optional>

#include <QDialog>

#include "app_settings.h"
#include "documents/model_preflight.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace leopard::ui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(const AppSettings& settings, QWidget* parent = nullptr);

    AppSettings settings() const;

    // What is shown under the model folder: "✔ folder" or "✘ problem and
    // what to do"; and the memory estimate (empty while the folder is not
    // usable).
    QString modelStatusText() const;
    QString memoryText() const;
    // The estimate shown; nullopt when the folder is not usable or the
    // device cannot be used.
    const std::optional<MemoryPlan>& memoryPlan() const { return plan_; }

private:
    void validateModel();   // the folder changed
    void updateEstimate();  // the folder, device, precision, budget or answer length changed

    std::optional<ModelConfig> config_;  // of the chosen folder, when it is complete
    std::optional<MemoryPlan> plan_;
    QLineEdit* modelDir_;
    QLabel* modelStatus_;
    QLabel* memory_;
    QComboBox* device_;
    QComboBox* dtype_;
    QSpinBox* tileBudget_;
    QSpinBox* maxNewTokens_;
    QComboBox* instruction_;
    QSpinBox* threads_;
};

}  // namespace leopard::ui
