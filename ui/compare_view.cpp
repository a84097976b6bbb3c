#include "compare_view.h"

#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QVBoxLayout>

#include "page_view.h"

namespace leopard::ui {

CompareView::CompareView(QWidget* parent) : QWidget(parent), splitter_(new QSplitter(Qt::Horizontal, this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter_);
}

void CompareView::setPages(const QList<Page>& pages) {
    // Columns are rebuilt: a comparison has a handful of pages. The lists are
    // emptied first: deleting a column can move the other views' scroll bars,
    // whose linked handlers walk views_ and must not meet a deleted view.
    views_.clear();
    labels_.clear();
    while (splitter_->count() > 0) delete splitter_->widget(0);
    for (const Page& p : pages) {
        auto* column = new QWidget(splitter_);
        auto* label = new QLabel(p.label, column);
        label->setAlignment(Qt::AlignCenter);
        label->setToolTip(p.label);
        auto* view = new PageView(column);
        view->setFitMode(PageView::FitMode::Width);
        view->showPage(p.image, p.pageSize);
        auto* layout = new QVBoxLayout(column);
        layout->setContentsMargins(2, 2, 2, 2);
        layout->addWidget(label);
        layout->addWidget(view, 1);
        splitter_->addWidget(column);
        views_.append(view);
        labels_.append(p.label);
        link(view);
    }
}

void CompareView::link(PageView* a) {
    connect(a, &PageView::zoomChanged, this, [this, a](double z) {
        if (syncing_ || a->fitMode() != PageView::FitMode::None) return;
        syncing_ = true;
        for (PageView* b : views_)
            if (b != a) b->setZoom(z);
        syncing_ = false;
    });
    // Scroll positions are linked as fractions: pages of different sizes stay
    // on the same relative region.
    for (Qt::Orientation o : {Qt::Horizontal, Qt::Vertical}) {
        QScrollBar* bar = o == Qt::Horizontal ? a->horizontalScrollBar() : a->verticalScrollBar();
        connect(bar, &QScrollBar::valueChanged, this, [this, bar, a, o](int v) {
            if (syncing_) return;
            syncing_ = true;
            const double f = bar->maximum() > 0 ? double(v) / bar->maximum() : 0.0;
            for (PageView* b : views_) {
                if (b == a) continue;
                QScrollBar* other = o == Qt::Horizontal ? b->horizontalScrollBar() : b->verticalScrollBar();
                other->setValue(int(f * other->maximum() + 0.5));
            }
            syncing_ = false;
        });
    }
}

void CompareView::zoomIn() {
    if (!views_.isEmpty()) views_.front()->setZoom(views_.front()->zoom() * 1.25);
}

void CompareView::zoomOut() {
    if (!views_.isEmpty()) views_.front()->setZoom(views_.front()->zoom() / 1.25);
}

}  // namespace leopard::ui
