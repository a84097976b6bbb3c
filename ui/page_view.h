// Shows one page image with zoom (Ctrl+wheel, zoomIn/zoomOut), fit-width and
// fit-page modes, and an optional overlay of the model's tile grid. It only
// displays: whoever owns it renders the page (off the GUI thread) and hands
// over images; `resolutionWanted` says when the zoom outgrew the image.
//
//   view->showPage(image, doc->pageSize(page));
//   view->setTileOverlay(plan.images[i], tileSize);   // or clearTileOverlay()
//
// GUI thread only. Compare mode links several views through zoomChanged /
// setZoom and their scroll bars.
#pragma once

#include <optional>

#include <QImage>
#include <QScrollArea>

#include "imaging/tile_plan.h"

namespace leopard::ui {

class PageView : public QScrollArea {
    Q_OBJECT
public:
    enum class FitMode { None, Width, Page };

    explicit PageView(QWidget* parent = nullptr);

    // `image` is the page rendered at some scale; `pageSize` its size at
    // scale 1 (points for PDFs, pixels for images): zoom 1 shows pageSize.
    void showPage(const QImage& image, const QSizeF& pageSize);
    void clearPage();
    bool hasPage() const { return !image_.isNull(); }
    QImage image() const { return image_; }
    QSizeF pageSize() const { return pageSize_; }

    void setTileOverlay(const imaging::ImageTilePlan& plan, int tileSize);
    void clearTileOverlay();
    bool tileOverlayShown() const { return overlayEnabled_; }
    void setTileOverlayEnabled(bool on);
    std::optional<imaging::ImageTilePlan> tilePlan() const { return plan_; }

    double zoom() const { return zoom_; }
    FitMode fitMode() const { return fit_; }
    // The device-pixel scale the page should be rendered at for the current
    // zoom (zoom × devicePixelRatio).
    double wantedRenderScale() const;

public Q_SLOTS:
    void setZoom(double zoom);  // leaves fit mode
    void zoomIn();
    void zoomOut();
    void setFitMode(leopard::ui::PageView::FitMode mode);

Q_SIGNALS:
    void zoomChanged(double zoom);
    // The image is coarser than the screen at this zoom: render again at
    // `scale` (scale 1 = pageSize).
    void resolutionWanted(double scale);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    friend class PageCanvas;
    void applyFit();
    void relayout();

    class PageCanvas* canvas_;
    QImage image_;
    QSizeF pageSize_;
    double zoom_ = 1.0;
    FitMode fit_ = FitMode::Width;
    std::optional<imaging::ImageTilePlan> plan_;
    int tileSize_ = 0;
    bool overlayEnabled_ = false;
};

}  // namespace leopard::ui
