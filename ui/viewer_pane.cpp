#include "viewer_pane.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include <QAction>
#include <QFileInfo>
#include <QLabel>
#include <QStackedWidget>
#include <QToolBar>
#include <QVBoxLayout>

#include "compare_view.h"
#include "document_model.h"
#include "page_view.h"
#include "tile_overlay.h"

namespace leopard::ui {

namespace {
// The most pixels one rendered page may have (a zoomed-in A0 poster must
// not take gigabytes).
constexpr double kMaxPixels = 40e6;
constexpr int kMaxComparedPages = 8;

QAction* makeAction(QObject* parent, const QString& text, const QKeySequence& key, const QString& icon) {
    auto* a = new QAction(QIcon::fromTheme(icon), text, parent);
    a->setShortcut(key);
    return a;
}
}  // namespace

ViewerPane::ViewerPane(DocumentModel* model, QWidget* parent) : QWidget(parent), model_(model) {
    view_ = new PageView(this);
    compare_ = new CompareView(this);
    stack_ = new QStackedWidget(this);
    stack_->addWidget(view_);
    stack_->addWidget(compare_);
    bar_ = new QToolBar(this);
    bar_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    pageLabel_ = new QLabel(this);

    prev_ = makeAction(this, tr("Previous page"), QKeySequence(Qt::Key_PageUp), "go-previous");
    next_ = makeAction(this, tr("Next page"), QKeySequence(Qt::Key_PageDown), "go-next");
    zoomIn_ = makeAction(this, tr("Zoom in"), QKeySequence::ZoomIn, "zoom-in");
    zoomOut_ = makeAction(this, tr("Zoom out"), QKeySequence::ZoomOut, "zoom-out");
    fitWidth_ = makeAction(this, tr("Fit width"), QKeySequence(Qt::CTRL | Qt::Key_1), "zoom-fit-width");
    fitPage_ = makeAction(this, tr("Fit page"), QKeySequence(Qt::CTRL | Qt::Key_2), "zoom-fit-best");
    tiles_ = makeAction(this, tr("Tile grid"), QKeySequence(Qt::CTRL | Qt::Key_T), "view-grid");
    tiles_->setCheckable(true);
    tiles_->setToolTip(tr("Show the tiles the model will see for this page (Ctrl+T)"));
    compareAct_ = makeAction(this, tr("Compare"), QKeySequence(Qt::CTRL | Qt::Key_M), "view-split-left-right");
    compareAct_->setCheckable(true);
    compareAct_->setToolTip(tr("Show the selected pages side by side, as image 1, image 2 … (Ctrl+M)"));
    for (QAction* a : {prev_, next_}) bar_->addAction(a);
    bar_->addWidget(pageLabel_);
    bar_->addSeparator();
    for (QAction* a : {zoomOut_, zoomIn_, fitWidth_, fitPage_}) bar_->addAction(a);
    bar_->addSeparator();
    bar_->addAction(tiles_);
    bar_->addAction(compareAct_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar_);
    layout->addWidget(stack_, 1);

    connect(prev_, &QAction::triggered, this, [this] { step(-1); });
    connect(next_, &QAction::triggered, this, [this] { step(+1); });
    connect(zoomIn_, &QAction::triggered, this, [this] { compareMode() ? compare_->zoomIn() : view_->zoomIn(); });
    connect(zoomOut_, &QAction::triggered, this, [this] { compareMode() ? compare_->zoomOut() : view_->zoomOut(); });
    connect(fitWidth_, &QAction::triggered, view_, [this] { view_->setFitMode(PageView::FitMode::Width); });
    connect(fitPage_, &QAction::triggered, view_, [this] { view_->setFitMode(PageView::FitMode::Page); });
    connect(tiles_, &QAction::toggled, this, [this](bool on) {
        view_->setTileOverlayEnabled(on);
        for (int i = 0; i < compare_->count(); ++i) compare_->view(i)->setTileOverlayEnabled(on);
    });
    connect(compareAct_, &QAction::toggled, this, &ViewerPane::setCompareMode);
    connect(view_, &PageView::resolutionWanted, this, [this](double scale) {
        if (row_ < 0 || scale <= renderedScale_ * 1.05) return;
        const quint64 gen = generation_;
        renderedScale_ = scale;
        render(row_, page_, scale, [this, gen](const QImage& img) {
            if (gen == generation_ && !img.isNull()) view_->showPage(img, view_->pageSize());
        });
    });
    connect(model_, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex& parent, int first, int last) {
        if (parent.isValid() || row_ < first) return;
        if (row_ <= last) {
            row_ = page_ = -1;
            ++generation_;
            view_->clearPage();
        } else {
            row_ -= last - first + 1;
        }
        updateActions();
    });
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        row_ = page_ = -1;
        ++generation_;
        view_->clearPage();
        updateActions();
    });
    updateActions();
}

void ViewerPane::setTilePlanLookup(TilePlanLookup lookup) {
    planLookup_ = std::move(lookup);
    updateOverlay();
}

bool ViewerPane::compareMode() const { return stack_->currentWidget() == compare_; }

void ViewerPane::render(int row, int page, double scale, std::function<void(const QImage&)> done) {
    const auto renderer = model_->renderer(row);
    if (!renderer) return;
    const QSizeF size = renderer->document().pageSize(page);
    scale = std::min(scale, std::sqrt(kMaxPixels / std::max(1.0, size.width() * size.height())));
    // Errors show as a missing image: the documents panel reports broken files.
    RenderService::whenReady(renderer->render(page, scale), this,
                             [done = std::move(done)](const QImage& image, const QString&) { done(image); });
}

void ViewerPane::showPage(int row, int page) {
    if (row < 0 || row >= model_->documentCount() || !model_->source(row)) return;
    page = std::clamp(page, 0, std::max(0, model_->pageCount(row) - 1));
    if (compareMode()) setCompareMode(false);
    if (row == row_ && page == page_ && view_->hasPage()) return;
    row_ = row;
    page_ = page;
    const quint64 gen = ++generation_;
    const QSizeF size = model_->source(row)->pageSize(page);
    // Until the page is rendered, show its thumbnail stretched (if there is
    // one) so navigation feels immediate.
    const QImage thumb = model_->thumbnail(row, page);
    if (!thumb.isNull()) view_->showPage(thumb, size);
    renderedScale_ = std::max(view_->wantedRenderScale(), 1.0);
    render(row, page, renderedScale_, [this, gen, size](const QImage& img) {
        if (gen == generation_ && !img.isNull()) view_->showPage(img, size);
    });
    updateOverlay();
    updateActions();
    Q_EMIT pageShown(row, page);
}

void ViewerPane::step(int delta) {
    if (row_ < 0) return;
    int row = row_, page = page_ + delta;
    // Walk across document boundaries, skipping documents that failed.
    while (row >= 0 && row < model_->documentCount()) {
        if (page >= 0 && page < model_->pageCount(row)) {
            showPage(row, page);
            return;
        }
        row += delta;
        if (row < 0 || row >= model_->documentCount()) return;
        page = delta > 0 ? 0 : model_->pageCount(row) - 1;
    }
}

void ViewerPane::selectionChanged() {
    updateOverlay();
    if (compareMode()) updateCompare();
}

void ViewerPane::updateOverlay() {
    const auto plan = planLookup_ && row_ >= 0 ? planLookup_(row_, page_) : std::nullopt;
    if (plan) view_->setTileOverlay(plan->first, plan->second);
    else view_->clearTileOverlay();
    tiles_->setToolTip(plan ? tr("Tile grid (Ctrl+T): %1").arg(tileSummary(plan->first))
                            : tr("This page is not in the selection: the model will not see it (Ctrl+T)"));
}

void ViewerPane::setCompareMode(bool on) {
    compareAct_->setChecked(on);
    stack_->setCurrentWidget(on ? static_cast<QWidget*>(compare_) : view_);
    if (on) updateCompare();
    updateActions();
}

void ViewerPane::updateCompare() {
    const quint64 gen = ++compareGeneration_;
    struct Item {
        int row, page;
    };
    QList<Item> items;
    for (int r = 0; r < model_->documentCount() && items.size() < kMaxComparedPages; ++r)
        for (int p = 0; p < model_->pageCount(r) && items.size() < kMaxComparedPages; ++p)
            if (model_->isIncluded(r, p)) items.append({r, p});
    // Every compared page is rendered first, then the columns are built at
    // once, so the linked views start from the same state.
    auto pages = std::make_shared<QList<CompareView::Page>>();
    auto left = std::make_shared<int>(int(items.size()));
    for (int i = 0; i < items.size(); ++i) {
        const auto [row, page] = items[i];
        const QString label = tr("image %1: %2, p. %3")
                                  .arg(i + 1)
                                  .arg(QFileInfo(model_->filePath(row)).fileName())
                                  .arg(page + 1);
        pages->append({QImage(), model_->source(row)->pageSize(page), label});
        render(row, page, 1.5 * devicePixelRatioF(), [this, gen, pages, left, i, items](const QImage& img) {
            if (gen != compareGeneration_) return;
            (*pages)[i].image = img;
            if (--*left > 0) return;
            compare_->setPages(*pages);
            for (int k = 0; k < compare_->count(); ++k) {
                const auto plan = planLookup_ ? planLookup_(items[k].row, items[k].page) : std::nullopt;
                if (plan) compare_->view(k)->setTileOverlay(plan->first, plan->second);
                compare_->view(k)->setTileOverlayEnabled(tiles_->isChecked());
            }
        });
    }
    if (items.isEmpty()) compare_->setPages({});
}

void ViewerPane::updateActions() {
    const bool has = row_ >= 0;
    prev_->setEnabled(has && !compareMode() && (page_ > 0 || row_ > 0));
    next_->setEnabled(has && !compareMode() &&
                      (page_ + 1 < model_->pageCount(row_) || row_ + 1 < model_->documentCount()));
    for (QAction* a : {fitWidth_, fitPage_}) a->setEnabled(!compareMode());
    pageLabel_->setText(has ? tr(" %1 / %2 ").arg(page_ + 1).arg(model_->pageCount(row_)) : QString());
}

}  // namespace leopard::ui
