// Compare mode: several pages side by side (image 1, image 2, … in the order
// they go to the model), with linked zoom and scroll — zooming or scrolling
// one moves the others, so the same region of two screenshots stays lined
// up.
//
//   compare->setPages({{img1, size1, "image 1: a.png"}, {img2, size2, "image 2: b.png"}});
//
// GUI thread only.
#pragma once

#include <QImage>
#include <QList>
#include <QStringList>
#include <QWidget>

class QSplitter;

namespace leopard::ui {

class PageView;

class CompareView : public QWidget {
    Q_OBJECT
public:
    struct Page {
        QImage image;
        QSizeF pageSize;
        QString label;
    };

    explicit CompareView(QWidget* parent = nullptr);

    void setPages(const QList<Page>& pages);
    int count() const { return int(views_.size()); }
    PageView* view(int i) const { return views_.at(i); }
    QString label(int i) const { return labels_.at(i); }

public Q_SLOTS:
    void zoomIn();
    void zoomOut();

private:
    void link(PageView* a);

    QSplitter* splitter_;
    QList<PageView*> views_;
    QStringList labels_;
    bool syncing_ = false;  // guards against echo between linked views
};

}  // namespace leopard::ui
