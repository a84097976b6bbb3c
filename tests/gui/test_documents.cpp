// The documents side of the window: opening by drag-and-drop, thumbnails
// rendered off the GUI thread while the event loop keeps running, page
// selection driving the tile count and the viewer's tile grid, and a
// broken document failing alone.
#include <QApplication>
#include <QMimeData>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTreeView>
#include <QUrl>
#include <QtTest>

#include "document_model.h"
#include "document_panel.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "page_view.h"
#include "test_paths.h"
#include "viewer_pane.h"

using namespace leopard;
using namespace leopard::ui;

class TestDocuments : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString pdf_, png_, broken_;

private Q_SLOTS:
    void initTestCase() {
        test::isolateUserFiles();
        pdf_ = dir_.filePath("report.pdf");
        test::writePdf(pdf_, {"Revenue 2023: 12 M", "Revenue 2024: 15 M", "Outlook"});
        png_ = dir_.filePath("screen.png");
        QImage img(1280, 720, QImage::Format_RGB32);
        img.fill(Qt::white);
        QVERIFY(img.save(png_));
        broken_ = dir_.filePath("broken.pdf");
        QFile f(broken_);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("%PDF-1.7\nthis is not really a PDF");
    }

    void dropOpensFiles() {
        MainWindow w;
        w.show();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(pdf_), QUrl::fromLocalFile(png_)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        enter.ignore();
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        drop.ignore();
        QApplication::sendEvent(&w, &drop);
        QVERIFY(drop.isAccepted());
        DocumentModel* m = w.documents();
        QCOMPARE(m->documentCount(), 2);
        QTRY_VERIFY(m->state(0) == DocumentModel::State::Ready && m->state(1) == DocumentModel::State::Ready);
        QCOMPARE(m->pageCount(0), 3);
        QCOMPARE(m->pageCount(1), 1);
        QCOMPARE(m->rowCount(m->documentIndex(0)), 3);
        // The same file dropped again is not opened twice.
        QApplication::sendEvent(&w, &drop);
        QCOMPARE(m->documentCount(), 2);
    }

    void thumbnailsRenderOffTheGuiThread() {
        MainWindow w;
        w.show();
        auto record = std::make_shared<test::ThreadRecordingSource::Record>();
        w.documents()->addSource(std::make_shared<test::ThreadRecordingSource>(openDocument(pdf_), record));
        QTreeView* view = w.documentPanel()->view();
        view->expandAll();
        test::StallMeter meter;
        // Painting the rows asks for their thumbnails; they arrive later.
        QTRY_VERIFY_WITH_TIMEOUT(w.documents()->thumbnailsRendered() >= 3, 20000);
        for (int p = 0; p < 3; ++p) QVERIFY(!w.documents()->thumbnail(0, p).isNull());
        QVERIFY(record->renders >= 3);
        {
            std::lock_guard<std::mutex> lock(record->mutex);
            QVERIFY(!record->threads.count(QThread::currentThread()));
        }
        QVERIFY2(meter.ticks() > 0, "the GUI-thread timer never fired while thumbnails rendered");
        qInfo("longest event-loop stall while rendering thumbnails: %lld ms (%d timer ticks)",
              meter.longestStallMs(), meter.ticks());
    }

    void selectionChangesTileCount() {
        MainWindow w;
        w.show();
        // The tile size comes from the model's config (the golden tiny model).
        AppSettings s = w.settings();
        s.modelDir = QString::fromStdString((test::goldenDir() / "tiny-leopard").string());
        w.setSettings(s);
        w.openFiles({pdf_});
        DocumentModel* m = w.documents();
        QTRY_VERIFY(m->state(0) == DocumentModel::State::Ready);
        QVERIFY(w.selectionPlan().tileSize > 0);
        const SelectionPlan all = w.selectionPlan();
        QCOMPARE(all.pages(), 3);
        QVERIFY(all.modelTiles() > 3);
        QVERIFY(all.modelTiles() <= all.budget);
        const QString before = w.documentPanel()->budgetText();
        QVERIFY(before.contains(QString::number(all.modelTiles())));

        m->setIncluded(0, 1, false);
        m->setIncluded(0, 2, false);
        const SelectionPlan one = w.selectionPlan();
        QCOMPARE(one.pages(), 1);
        // Alone, the page gets the tiles the other two gave up.
        QVERIFY(one.planFor(0, 0)->modelTiles() > all.planFor(0, 0)->modelTiles());
        QVERIFY(!one.planFor(0, 1).has_value());
        QVERIFY(w.documentPanel()->budgetText() != before);
        QCOMPARE(m->selection().size(), size_t(1));
        QCOMPARE(m->selection()[0].pages, std::string("1"));

        // The viewer overlays the grid of an included page, none for an
        // excluded one.
        w.viewer()->showPage(0, 0);
        QVERIFY(w.viewer()->pageView()->tilePlan().has_value());
        QCOMPARE(w.viewer()->pageView()->tilePlan()->modelTiles(), one.modelTiles());
        w.viewer()->showPage(0, 1);
        QVERIFY(!w.viewer()->pageView()->tilePlan().has_value());

        m->setAllIncluded(false);
        QCOMPARE(w.selectionPlan().pages(), 0);
        m->setAllIncluded(true);
        QCOMPARE(w.selectionPlan().modelTiles(), all.modelTiles());
    }

    void overlayPlanIsTheQuestionsPlan() {
        // 364 px tiles (a config.json of the tiny model with the released
        // tile size): three A4 pages share the budget, so each page's share
        // decides its render scale. The overlay's plan must be the one a
        // question gets: pages rendered for modelPageBudget's share and
        // planned from the rendered size.
        QTemporaryDir dir;
        QFile in(QString::fromStdString((test::goldenDir() / "tiny-leopard" / "config.json").string()));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QString config = QString::fromUtf8(in.readAll());
        QVERIFY(config.contains(QRegularExpression("\"image_size\":\\s*56")));
        config.replace(QRegularExpression("\"image_size\":\\s*56"), "\"image_size\": 364");
        QFile out(dir.filePath("config.json"));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(config.toUtf8());
        out.close();

        MainWindow w;
        w.show();
        AppSettings s = w.settings();
        s.modelDir = dir.path();
        w.setSettings(s);
        w.openFiles({pdf_});
        DocumentModel* m = w.documents();
        QTRY_VERIFY(m->state(0) == DocumentModel::State::Ready);
        const SelectionPlan plan = w.selectionPlan();
        QCOMPARE(plan.tileSize, 364);
        QCOMPARE(plan.pages(), 3);
        const int share = modelPageBudget(plan.budget, plan.pages());
        std::vector<std::array<int, 2>> sizes;
        for (int p = 0; p < 3; ++p) {
            const QImage img = waitForImage(m->renderer(0)->renderForModel(p, plan.tileSize, share));
            sizes.push_back({img.width(), img.height()});
            // planned from the size the question renders, not another share's
            QCOMPARE(plan.plan.images[size_t(p)].width, img.width());
            QCOMPARE(plan.plan.images[size_t(p)].height, img.height());
        }
        QCOMPARE(QString::fromStdString(imaging::toJson(imaging::planTiles(sizes, plan.tileSize, plan.budget)).dump()),
                 QString::fromStdString(imaging::toJson(plan.plan).dump()));
    }

    void failingDocumentLeavesOthersUsable() {
        MainWindow w;
        w.show();
        QSignalSpy failed(w.documents(), &DocumentModel::documentFailed);
        w.openFiles({broken_, png_});
        DocumentModel* m = w.documents();
        QTRY_VERIFY(m->state(0) != DocumentModel::State::Opening && m->state(1) != DocumentModel::State::Opening);
        QCOMPARE(m->state(0), DocumentModel::State::Failed);
        QCOMPARE(failed.count(), 1);
        QVERIFY(m->errorText(0).contains("broken.pdf"));
        QVERIFY(m->data(m->documentIndex(0), Qt::DisplayRole).toString().contains("failed"));
        QCOMPARE(m->state(1), DocumentModel::State::Ready);
        // Only the good document goes to the model.
        QCOMPARE(m->selection().size(), size_t(1));
        QVERIFY(m->selection()[0].path.endsWith("screen.png"));
        QTRY_VERIFY(!m->thumbnail(1, 0).isNull());
    }

    void pageSpecsAreCompact() {
        QCOMPARE(pageSpecOf({1, 2, 3, 7}), std::string("1-3,7"));
        QCOMPARE(pageSpecOf({2}), std::string("2"));
        QCOMPARE(pageSpecOf({1, 3, 4}), std::string("1,3-4"));
    }
};

QTEST_MAIN(TestDocuments)
#include "test_documents.moc"
