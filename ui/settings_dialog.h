// Preferences: the model folder (with a folder picker and a check of what is
// in it), device, dtype, tile budget, answer length, instruction style and
// threads. Edits an AppSettings value; the caller saves it.
//
// GUI thread only. The folder check reads config files only (milliseconds).
#pragma once

#include <functional>

#include <QDialog>

#include "app_settings.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace leopard::ui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    // `checkModel` returns an empty string for a usable folder, else the
    // sentence saying what is wrong (MainWindow passes the model handle's
    // check).
    using ModelCheck = std::function<QString(const QString& dir)>;

    SettingsDialog(const AppSettings& settings, ModelCheck checkModel, QWidget* parent = nullptr);

    AppSettings settings() const;

private:
    void validateModel();

    ModelCheck checkModel_;
    QLineEdit* modelDir_;
    QLabel* modelStatus_;
    QComboBox* device_;
    QComboBox* dtype_;
    QSpinBox* tileBudget_;
    QSpinBox* maxNewTokens_;
    QComboBox* instruction_;
    QSpinBox* threads_;
};

}  // namespace leopard::ui
