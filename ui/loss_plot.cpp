#include "loss_plot.h"

#include <algorithm>

#include <QPainter>
#include <QPainterPath>

namespace leopard::ui {

LossPlot::LossPlot(QWidget* parent) : QWidget(parent) {
    setMinimumHeight(140);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void LossPlot::addPoint(double step, double loss) {
    points_.append({step, loss});
    update();
}

void LossPlot::clear() {
    points_.clear();
    update();
}

void LossPlot::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm = fontMetrics();
    const QRectF area = QRectF(rect()).adjusted(fm.horizontalAdvance(QStringLiteral("00.000")) + 8, 8, -8,
                                                -fm.height() - 6);
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(area);
    if (points_.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter, tr("loss appears here while training runs"));
        return;
    }
    double x0 = points_.front().x(), x1 = x0, y0 = points_.front().y(), y1 = y0;
    for (const QPointF& pt : points_) {
        x0 = std::min(x0, pt.x());
        x1 = std::max(x1, pt.x());
        y0 = std::min(y0, pt.y());
        y1 = std::max(y1, pt.y());
    }
    if (x1 == x0) x1 = x0 + 1;
    if (y1 == y0) y1 = y0 + 1e-6;
    auto map = [&](const QPointF& pt) {
        return QPointF(area.left() + (pt.x() - x0) / (x1 - x0) * area.width(),
                       area.bottom() - (pt.y() - y0) / (y1 - y0) * area.height());
    };
    QPainterPath path(map(points_.front()));
    for (const QPointF& pt : points_) path.lineTo(map(pt));
    p.setPen(QPen(palette().color(QPalette::Highlight), 2));
    p.drawPath(path);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRectF(0, area.top() - 2, area.left() - 4, fm.height()), Qt::AlignRight, QString::number(y1, 'f', 3));
    p.drawText(QRectF(0, area.bottom() - fm.height() + 2, area.left() - 4, fm.height()), Qt::AlignRight,
               QString::number(y0, 'f', 3));
    p.drawText(QRectF(area.left(), area.bottom() + 2, area.width(), fm.height()), Qt::AlignRight,
               tr("step %1").arg(x1));
}

}  // namespace leopard::ui
