#include "page_view.h"

#include <algorithm>
#include <cmath>

#include <QPainter>
#include <QResizeEvent>
#include <QScrollBar>
#include <QWheelEvent>

#include "tile_overlay.h"

namespace leopard::ui {

namespace {
constexpr double kMinZoom = 0.1;
constexpr double kMaxZoom = 8.0;
constexpr double kZoomStep = 1.25;
constexpr int kMargin = 12;
}  // namespace

// The scrolled widget: paints the page at the view's zoom, then the overlay.
class PageCanvas : public QWidget {
public:
    explicit PageCanvas(PageView* view) : QWidget(view), view_(view) {}

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.fillRect(rect(), palette().color(QPalette::Dark));
        if (view_->image_.isNull()) return;
        const QRectF page(kMargin, kMargin, view_->pageSize_.width() * view_->zoom_,
                          view_->pageSize_.height() * view_->zoom_);
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        p.drawImage(page, view_->image_);
        if (view_->overlayEnabled_ && view_->plan_)
            paintTileGrid(p, *view_->plan_, view_->tileSize_, page);
    }

private:
    PageView* view_;
};

PageView::PageView(QWidget* parent) : QScrollArea(parent), canvas_(new PageCanvas(this)) {
    setWidget(canvas_);
    setWidgetResizable(false);
    setAlignment(Qt::AlignCenter);
    setBackgroundRole(QPalette::Dark);
    relayout();
}

void PageView::showPage(const QImage& image, const QSizeF& pageSize) {
    const bool sizeChanged = pageSize != pageSize_;
    image_ = image;
    pageSize_ = pageSize;
    if (sizeChanged) applyFit();
    relayout();
}

void PageView::clearPage() {
    image_ = QImage();
    pageSize_ = QSizeF();
    plan_.reset();
    relayout();
}

void PageView::setTileOverlay(const imaging::ImageTilePlan& plan, int tileSize) {
    plan_ = plan;
    tileSize_ = tileSize;
    canvas_->update();
}

void PageView::clearTileOverlay() {
    plan_.reset();
    canvas_->update();
}

void PageView::setTileOverlayEnabled(bool on) {
    overlayEnabled_ = on;
    canvas_->update();
}

double PageView::wantedRenderScale() const { return zoom_ * devicePixelRatioF(); }

void PageView::setZoom(double zoom) {
    fit_ = FitMode::None;
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    if (std::abs(zoom - zoom_) < 1e-9) return;
    zoom_ = zoom;
    relayout();
    Q_EMIT zoomChanged(zoom_);
}

void PageView::zoomIn() { setZoom(zoom_ * kZoomStep); }
void PageView::zoomOut() { setZoom(zoom_ / kZoomStep); }

void PageView::setFitMode(FitMode mode) {
    fit_ = mode;
    applyFit();
    relayout();
}

void PageView::applyFit() {
    if (fit_ == FitMode::None || pageSize_.isEmpty()) return;
    const QSize area = maximumViewportSize() - QSize(2 * kMargin + 2, 2 * kMargin + 2);
    // Leave room for the vertical scroll bar a fitted-to-width page has.
    const double w = (area.width() - (fit_ == FitMode::Width ? verticalScrollBar()->sizeHint().width() : 0)) /
                     pageSize_.width();
    const double h = area.height() / pageSize_.height();
    const double z = std::clamp(fit_ == FitMode::Width ? w : std::min(w, h), kMinZoom, kMaxZoom);
    if (std::abs(z - zoom_) > 1e-9) {
        zoom_ = z;
        Q_EMIT zoomChanged(zoom_);
    }
}

void PageView::relayout() {
    const QSize s = pageSize_.isEmpty() ? QSize(0, 0)
                                        : QSize(int(std::ceil(pageSize_.width() * zoom_)) + 2 * kMargin,
                                                int(std::ceil(pageSize_.height() * zoom_)) + 2 * kMargin);
    canvas_->resize(s);
    canvas_->update();
    // Ask for a sharper image when the screen shows more pixels than we have.
    if (!image_.isNull() && image_.width() < 0.9 * pageSize_.width() * wantedRenderScale())
        Q_EMIT resolutionWanted(wantedRenderScale());
}

void PageView::resizeEvent(QResizeEvent* event) {
    QScrollArea::resizeEvent(event);
    if (fit_ != FitMode::None) {
        applyFit();
        relayout();
    }
}

void PageView::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ControlModifier) {
        if (event->angleDelta().y() > 0) zoomIn();
        else if (event->angleDelta().y() < 0) zoomOut();
        event->accept();
        return;
    }
    QScrollArea::wheelEvent(event);
}

}  // namespace leopard::ui
