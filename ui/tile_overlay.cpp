#include "tile_overlay.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>

namespace leopard::ui {

QList<QRectF> tileRects(const imaging::ImageTilePlan& plan, int tileSize, const QRectF& pageRect) {
    QList<QRectF> rects;
    if (!plan.grid || !plan.bestResolution || plan.resized[0] <= 0 || plan.resized[1] <= 0)
        return rects;
    // The image was resized to `resized` and pasted at `paste` on the grid's
    // canvas; invert that to map canvas rectangles onto the shown page.
    const double sx = pageRect.width() / plan.resized[0];
    const double sy = pageRect.height() / plan.resized[1];
    const int rows = (*plan.grid)[0], cols = (*plan.grid)[1];
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const double x = (c * tileSize - plan.paste[0]) * sx;
            const double y = (r * tileSize - plan.paste[1]) * sy;
            rects.append(QRectF(pageRect.left() + x, pageRect.top() + y, tileSize * sx, tileSize * sy));
        }
    }
    return rects;
}

QString tileSummary(const imaging::ImageTilePlan& plan) {
    if (!plan.grid) return QCoreApplication::translate("TileOverlay", "global view only = 1 model tile");
    return QCoreApplication::translate("TileOverlay", "%1 × %2 tiles + global view = %3 model tiles")
        .arg((*plan.grid)[0])
        .arg((*plan.grid)[1])
        .arg(plan.modelTiles());
}

void paintTileGrid(QPainter& painter, const imaging::ImageTilePlan& plan, int tileSize,
                   const QRectF& pageRect) {
    painter.save();
    const QColor line(230, 60, 40);
    const auto rects = tileRects(plan, tileSize, pageRect);
    QFont font = painter.font();
    font.setBold(true);
    painter.setFont(font);
    for (int i = 0; i < rects.size(); ++i) {
        // The part of a tile beyond the page is black padding for the model:
        // only the part over the page is drawn (it stays within the view).
        const QRectF visible = rects[i].intersected(pageRect);
        if (visible.isEmpty()) continue;
        painter.fillRect(visible, QColor(230, 60, 40, i % 2 ? 28 : 14));
        painter.setPen(QPen(line, 2));
        painter.drawRect(visible);
        painter.setPen(line);
        painter.drawText(visible.adjusted(6, 4, -4, -4), Qt::AlignLeft | Qt::AlignTop, QString::number(i + 1));
    }
    const QString label = tileSummary(plan);
    const QFontMetricsF fm(font);
    // Bottom left: page titles, which matter most, are usually at the top.
    const QSizeF boxSize(fm.horizontalAdvance(label) + 16, fm.height() + 8);
    const QRectF box(QPointF(pageRect.left() + 8, pageRect.bottom() - boxSize.height() - 8), boxSize);
    painter.fillRect(box, QColor(0, 0, 0, 170));
    painter.setPen(Qt::white);
    painter.drawText(box, Qt::AlignCenter, label);
    painter.restore();
}

}  // namespace leopard::ui
