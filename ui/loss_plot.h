// A small line plot of training loss against step, drawn with QPainter
// (Qt Charts is not a dependency). Points are appended as metrics arrive.
//
// GUI thread only.
#pragma once

#include <QPointF>
#include <QVector>
#include <QWidget>

namespace leopard::ui {

class LossPlot : public QWidget {
    Q_OBJECT
public:
    explicit LossPlot(QWidget* parent = nullptr);

    void addPoint(double step, double loss);
    void clear();
    const QVector<QPointF>& points() const { return points_; }
    QSize sizeHint() const override { return {420, 200}; }

protected:
    void paintEvent(QPaintEvent*) override;

private:
    QVector<QPointF> points_;
};

}  // namespace leopard::ui
