// The centre of the window: the current page in a PageView (or, in compare
// mode, the selected pages side by side in a CompareView), with a tool bar
// for navigation, zoom, fit and the tile-grid overlay. Pages are rendered on
// the documents' RenderService threads; a render that finishes after the
// user moved on is dropped.
//
// GUI thread only. It reads a DocumentModel it does not own; the tile plan of
// a page comes from a callback (the main window knows the model's tile size
// and budget).
#pragma once

#include <functional>
#include <optional>

#include <QWidget>

#include "imaging/tile_plan.h"

class QAction;
class QLabel;
class QStackedWidget;
class QToolBar;

namespace leopard::ui {

class CompareView;
class DocumentModel;
class PageView;

class ViewerPane : public QWidget {
    Q_OBJECT
public:
    // The plan for page `page` (0-based) of document `row` and the tile size,
    // or nullopt when the page is not in the selection.
    using TilePlanLookup = std::function<std::optional<std::pair<imaging::ImageTilePlan, int>>(int row, int page)>;

    ViewerPane(DocumentModel* model, QWidget* parent = nullptr);

    void setTilePlanLookup(TilePlanLookup lookup);
    void showPage(int row, int page);
    int currentRow() const { return row_; }
    int currentPage() const { return page_; }
    PageView* pageView() const { return view_; }
    CompareView* compareView() const { return compare_; }
    bool compareMode() const;

    QAction* zoomInAction() const { return zoomIn_; }
    QAction* zoomOutAction() const { return zoomOut_; }
    QAction* fitWidthAction() const { return fitWidth_; }
    QAction* fitPageAction() const { return fitPage_; }
    QAction* previousAction() const { return prev_; }
    QAction* nextAction() const { return next_; }
    QAction* tileGridAction() const { return tiles_; }
    QAction* compareAction() const { return compareAct_; }

public Q_SLOTS:
    // The selection or the tile budget changed: redraw the overlay and, in
    // compare mode, the compared pages.
    void selectionChanged();
    void setCompareMode(bool on);

Q_SIGNALS:
    void pageShown(int row, int page);

private:
    // Renders on the pool; `done` gets the image (null when rendering failed).
    void render(int row, int page, double scale, std::function<void(const QImage&)> done);
    void step(int delta);
    void updateOverlay();
    void updateCompare();
    void updateActions();

    DocumentModel* model_;
    TilePlanLookup planLookup_;
    QToolBar* bar_;
    QLabel* pageLabel_;
    QStackedWidget* stack_;
    PageView* view_;
    CompareView* compare_;
    QAction *zoomIn_, *zoomOut_, *fitWidth_, *fitPage_, *prev_, *next_, *tiles_, *compareAct_;
    int row_ = -1, page_ = -1;
    quint64 generation_ = 0;  // bumps on every page change: stale renders are dropped
    quint64 compareGeneration_ = 0;
    double renderedScale_ = 0;
};

}  // namespace leopard::ui
