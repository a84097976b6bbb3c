// Draws the tile grid the model will see over a page (LEOPARD.md §3): the
// page is resized onto a grid of T×T tiles (with black padding), so each
// tile covers a rectangle of the page; this paints those rectangles, mapped
// back onto the page as it is shown, plus a label with the tile count.
//
// Pure painting over plain values: call from the GUI thread's paintEvent.
#pragma once

#include <QList>
#include <QRectF>
#include <QString>

#include "imaging/tile_plan.h"

class QPainter;

namespace leopard::ui {

// The rectangles of the grid tiles in page coordinates: `plan` was made for
// an image of plan.width × plan.height pixels, `pageRect` is where that image
// is drawn. Row-major, as the model reads them. Empty without a grid.
QList<QRectF> tileRects(const imaging::ImageTilePlan& plan, int tileSize, const QRectF& pageRect);

// "3 × 2 tiles + global view = 7 model tiles" or "global view only".
QString tileSummary(const imaging::ImageTilePlan& plan);

// Paints the grid and numbers the tiles.
void paintTileGrid(QPainter& painter, const imaging::ImageTilePlan& plan, int tileSize,
                   const QRectF& pageRect);

}  // namespace leopard::ui
