// Compare mode without a model: the selected screenshots appear side by side
// as image 1, image 2 in the order the question will send them (the
// selection), zooming one zooms the others and scrolling one scrolls the
// others to the same relative place. The model's side (the request and the
// prompt hold the two images in that order) is test_compare_model.
#include <QAction>
#include <QFileInfo>
#include <QPainter>
#include <QScrollBar>
#include <QtTest>

#include "compare_view.h"
#include "document_model.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "page_view.h"
#include "viewer_pane.h"

using namespace leopard;
using namespace leopard::ui;

class TestCompare : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString before_, after_;

private Q_SLOTS:
    void initTestCase() {
        test::isolateUserFiles();
        before_ = dir_.filePath("before.png");
        after_ = dir_.filePath("after.png");
        test::writeScreenshot(before_, {800, 600}, QColor(230, 240, 255), "Before: 12 M");
        test::writeScreenshot(after_, {1000, 500}, QColor(255, 240, 220), "After: 15 M");
    }

    void selectedScreenshotsAreImageOneAndTwoWithLinkedZoomAndScroll() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openFiles({before_, after_});
        DocumentModel* m = w.documents();
        QTRY_VERIFY(m->documentCount() == 2 && m->state(0) == DocumentModel::State::Ready &&
                    m->state(1) == DocumentModel::State::Ready);
        QTRY_VERIFY(w.viewer()->currentRow() >= 0);  // the first page is shown once open

        w.viewer()->compareAction()->trigger();
        QVERIFY(w.viewer()->compareMode());
        CompareView* compare = w.viewer()->compareView();
        QTRY_COMPARE(compare->count(), 2);
        QCOMPARE(compare->label(0), QString("image 1: before.png, p. 1"));
        QCOMPARE(compare->label(1), QString("image 2: after.png, p. 1"));
        QTRY_VERIFY(compare->view(0)->hasPage() && compare->view(1)->hasPage());
        // Each column shows its own screenshot (pages at scale 1 are pixels).
        QCOMPARE(compare->view(0)->pageSize(), QSizeF(800, 600));
        QCOMPARE(compare->view(1)->pageSize(), QSizeF(1000, 500));

        // The order shown is the order the question sends.
        const std::vector<SourceSelection> sel = m->selection();
        QCOMPARE(int(sel.size()), 2);
        QCOMPARE(sel[0].path, QFileInfo(before_).absoluteFilePath());
        QCOMPARE(sel[1].path, QFileInfo(after_).absoluteFilePath());

        // Linked zoom.
        compare->view(0)->setZoom(3.0);
        QCOMPARE(compare->view(1)->zoom(), 3.0);
        compare->view(1)->setZoom(2.5);
        QCOMPARE(compare->view(0)->zoom(), 2.5);

        // Linked scroll, as a fraction of each view's range.
        QScrollBar* v0 = compare->view(0)->verticalScrollBar();
        QScrollBar* v1 = compare->view(1)->verticalScrollBar();
        QTRY_VERIFY(v0->maximum() > 0 && v1->maximum() > 0);
        v0->setValue(v0->maximum() / 2);
        const double fraction = double(v0->value()) / v0->maximum();
        QVERIFY(std::abs(v1->value() - fraction * v1->maximum()) <= 1.0);
        QScrollBar* h1 = compare->view(1)->horizontalScrollBar();
        QScrollBar* h0 = compare->view(0)->horizontalScrollBar();
        QTRY_VERIFY(h0->maximum() > 0 && h1->maximum() > 0);
        h1->setValue(h1->maximum());
        QCOMPARE(h0->value(), h0->maximum());

        // Unticking a page takes it out of the comparison.
        m->setIncluded(0, 0, false);
        QTRY_COMPARE(compare->count(), 1);
        QCOMPARE(compare->label(0), QString("image 1: after.png, p. 1"));
    }
};

QTEST_MAIN(TestCompare)
#include "test_compare.moc"
