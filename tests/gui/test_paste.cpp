// Pasting from the clipboard (File ▸ Paste Screenshot): a screenshot becomes
// a document — saved as a PNG under the app's data folder with its pixels
// intact, opened like any image and ticked for the next question — pasting
// the same screenshot again does not add it twice, copied files open as
// documents, and text alone adds nothing and says so.
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QMimeData>
#include <QStandardPaths>
#include <QStatusBar>
#include <QtTest>

#include "document_model.h"
#include "gui_test_support.h"
#include "main_window.h"

using namespace leopard;
using namespace leopard::ui;

namespace {
QAction* pasteAction(MainWindow& w) {
    for (QAction* a : w.findChildren<QAction*>())
        if (a->text() == MainWindow::tr("&Paste Screenshot")) return a;
    return nullptr;
}
}  // namespace

class TestPaste : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private Q_SLOTS:
    void initTestCase() { test::isolateUserFiles(); }

    void screenshotBecomesADocument() {
        MainWindow w;
        w.show();
        QImage shot(320, 200, QImage::Format_RGB32);
        shot.fill(QColor(20, 120, 200));
        for (int y = 0; y < 100; ++y)
            for (int x = 0; x < 160; ++x) shot.setPixel(x, y, qRgb(250, 200, 10));
        QApplication::clipboard()->setImage(shot);

        QAction* paste = pasteAction(w);
        QVERIFY(paste);
        QCOMPARE(paste->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
        paste->trigger();

        DocumentModel* m = w.documents();
        QCOMPARE(m->documentCount(), 1);
        QTRY_VERIFY(m->state(0) == DocumentModel::State::Ready);
        const QString path = m->filePath(0);
        const QString pasted = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/pasted/";
        QVERIFY2(path.startsWith(pasted), qPrintable(path));
        QVERIFY(path.endsWith(".png"));
        QCOMPARE(QImage(path).convertToFormat(QImage::Format_RGB32), shot);
        QCOMPARE(m->pageCount(0), 1);
        QCOMPARE(m->source(0)->pageSize(0), QSizeF(320, 200));
        // It goes to the next question like any opened file.
        const std::vector<SourceSelection> sel = m->selection();
        QCOMPARE(int(sel.size()), 1);
        QCOMPARE(sel[0].path, path);

        // The same screenshot again: still one document.
        w.pasteFromClipboard();
        QCOMPARE(m->documentCount(), 1);

        // Another screenshot: a second document.
        QImage other = shot.mirrored(true, false);
        QApplication::clipboard()->setImage(other);
        w.pasteFromClipboard();
        QCOMPARE(m->documentCount(), 2);
        QTRY_VERIFY(m->state(1) == DocumentModel::State::Ready);
        QVERIFY(m->filePath(1) != path);
        QCOMPARE(QImage(m->filePath(1)).convertToFormat(QImage::Format_RGB32), other);
    }

    void copiedFilesOpenAndTextDoesNot() {
        MainWindow w;
        w.show();
        const QString png = dir_.filePath("copied.png");
        QImage img(64, 48, QImage::Format_RGB32);
        img.fill(Qt::white);
        QVERIFY(img.save(png));

        auto* files = new QMimeData;  // the clipboard takes ownership
        files->setUrls({QUrl::fromLocalFile(png)});
        QApplication::clipboard()->setMimeData(files);
        w.pasteFromClipboard();
        QCOMPARE(w.documents()->documentCount(), 1);
        QCOMPARE(w.documents()->filePath(0), QFileInfo(png).absoluteFilePath());

        QApplication::clipboard()->setText("just some text");
        w.pasteFromClipboard();
        QCOMPARE(w.documents()->documentCount(), 1);
        QCOMPARE(w.statusBar()->currentMessage(), MainWindow::tr("The clipboard holds no image or file."));
    }
};

QTEST_MAIN(TestPaste)
#include "test_paste.moc"
