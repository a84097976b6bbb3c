#include "about_dialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace leopard::ui {

AboutDialog::AboutDialog(const RuntimeReport& report, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("About Leopard Desk"));
    auto* icon = new QLabel(this);
    icon->setPixmap(QApplication::windowIcon().pixmap(64, 64));
    auto* text = new QLabel(
        tr("<h2>Leopard Desk %1</h2>"
           "<p>Ask questions about slides, scans, reports and screenshots with the Leopard vision-language "
           "model, on your own computer.</p>")
            .arg(QStringLiteral(LEOPARD_VERSION)),
        this);
    text->setWordWrap(true);
    auto* table = new QTableWidget(int(report.size()), 2, this);
    table->setHorizontalHeaderLabels({tr("Component"), tr("Version / state")});
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (size_t i = 0; i < report.size(); ++i) {
        table->setItem(int(i), 0, new QTableWidgetItem(QString::fromStdString(report[i].first)));
        table->setItem(int(i), 1, new QTableWidgetItem(QString::fromStdString(report[i].second)));
    }
    table->resizeColumnToContents(0);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addWidget(text, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(table, 1);
    layout->addWidget(buttons);
    resize(560, 420);
}

}  // namespace leopard::ui
