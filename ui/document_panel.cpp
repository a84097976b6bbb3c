#include "document_panel.h"

#include <algorithm>
#include <functional>

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include "document_model.h"

namespace leopard::ui {

DocumentPanel::DocumentPanel(DocumentModel* model, QWidget* parent) : QWidget(parent), model_(model) {
    view_ = new QTreeView(this);
    view_->setModel(model_);
    view_->setHeaderHidden(true);
    view_->setIconSize(QSize(DocumentModel::kThumbnailEdge, DocumentModel::kThumbnailEdge));
    // Page rows give their size (SizeHintRole) without a thumbnail, so the
    // view asks only the visible rows for their decoration: thumbnails are
    // rendered lazily, as rows scroll into view.
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view_->setDragDropMode(QAbstractItemView::DropOnly);
    view_->setAcceptDrops(true);
    view_->setDropIndicatorShown(true);
    setAcceptDrops(true);

    auto tool = [this](const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        return b;
    };
    QToolButton* open = tool(tr("Open…"), tr("Open documents or images (Ctrl+O)"));
    QToolButton* paste = tool(tr("Paste"), tr("Paste a screenshot from the clipboard (Ctrl+Shift+V)"));
    QToolButton* remove = tool(tr("Remove"), tr("Close the selected documents (Del)"));
    QToolButton* all = tool(tr("All"), tr("Use every page"));
    QToolButton* none = tool(tr("None"), tr("Use no page"));
    budget_ = new QLabel(this);
    budget_->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    for (QToolButton* b : {open, paste, remove}) buttons->addWidget(b);
    buttons->addStretch();
    buttons->addWidget(all);
    buttons->addWidget(none);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(view_, 1);
    layout->addWidget(budget_);

    connect(open, &QToolButton::clicked, this, &DocumentPanel::openRequested);
    connect(paste, &QToolButton::clicked, this, &DocumentPanel::pasteRequested);
    connect(all, &QToolButton::clicked, model_, [this] { model_->setAllIncluded(true); });
    connect(none, &QToolButton::clicked, model_, [this] { model_->setAllIncluded(false); });
    connect(remove, &QToolButton::clicked, this, [this] {
        QList<int> rows;
        for (const QModelIndex& i : view_->selectionModel()->selectedIndexes())
            if (i.data(DocumentModel::IsDocumentRole).toBool()) rows << i.row();
        std::sort(rows.begin(), rows.end(), std::greater<int>());
        for (int r : rows) model_->removeDocument(r);
    });
    connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex&) {
        const auto [row, page] = currentPage();
        if (row >= 0) Q_EMIT pageActivated(row, std::max(page, 0));
    });
    // A document that finished opening shows its pages.
    connect(model_, &DocumentModel::documentOpened, this,
            [this](int row) { view_->expand(model_->documentIndex(row)); });
}

void DocumentPanel::setBudgetText(const QString& text, bool overBudget) {
    budget_->setText(text);
    budget_->setStyleSheet(overBudget ? QStringLiteral("color: #c0392b;") : QString());
}

QString DocumentPanel::budgetText() const { return budget_->text(); }

std::pair<int, int> DocumentPanel::currentPage() const {
    const QModelIndex i = view_->currentIndex();
    if (!i.isValid()) return {-1, -1};
    if (i.data(DocumentModel::IsDocumentRole).toBool()) return {i.row(), -1};
    return {i.parent().row(), i.row()};
}

void DocumentPanel::setCurrentPage(int row, int page) {
    const QModelIndex i = page >= 0 ? model_->pageIndex(row, page) : model_->documentIndex(row);
    if (!i.isValid()) return;
    view_->setCurrentIndex(i);
    view_->scrollTo(i);
}

void DocumentPanel::dragEnterEvent(QDragEnterEvent* event) {
    if (!localFilesFrom(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void DocumentPanel::dropEvent(QDropEvent* event) {
    const QStringList files = localFilesFrom(event->mimeData());
    for (const QString& f : files) model_->addFile(f);
    if (!files.isEmpty()) event->acceptProposedAction();
}

}  // namespace leopard::ui
