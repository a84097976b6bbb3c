// The documents panel: the opened documents with their pages as thumbnails
// and checkboxes (which pages the next question uses), buttons to open,
// paste, remove, select all or none, and a live line with the pages and
// model tiles the selection uses against the tile budget. Accepts files
// dropped from the file manager.
//
// GUI thread only. It views a DocumentModel it does not own.
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeView;

namespace leopard::ui {

class DocumentModel;

class DocumentPanel : public QWidget {
    Q_OBJECT
public:
    DocumentPanel(DocumentModel* model, QWidget* parent = nullptr);

    QTreeView* view() const { return view_; }
    // The budget line, e.g. "3 pages · 27 / 50 model tiles".
    void setBudgetText(const QString& text, bool overBudget);
    QString budgetText() const;
    // The document row and page (0-based, -1 for a document row) under the
    // current item; row -1 when nothing is current.
    std::pair<int, int> currentPage() const;
    void setCurrentPage(int row, int page);

Q_SIGNALS:
    void openRequested();
    void pasteRequested();
    void pageActivated(int row, int page);  // page 0-based

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    DocumentModel* model_;
    QTreeView* view_;
    QLabel* budget_;
};

}  // namespace leopard::ui
