// The About box: version, what the application is, and the runtime facts
// `leopard-cli doctor` prints (Qt, Poppler, LibTorch, BLAS, device, CPU …).
//
// GUI thread only.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <QDialog>

namespace leopard::ui {

using RuntimeReport = std::vector<std::pair<std::string, std::string>>;

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    AboutDialog(const RuntimeReport& report, QWidget* parent = nullptr);
};

}  // namespace leopard::ui
