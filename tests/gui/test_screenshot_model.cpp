// Makes the README's screenshot: the main window with a slide deck open, the
// tile grid shown over the current page and an answer from the bundled
// model. Writes $LEOPARD_SCREENSHOT (docs/screenshot.png when run by
// scripts), else a file in the temporary folder. Slow: it runs the model.
#include <QPainter>
#include <QPdfWriter>
#include <QtTest>

#include "document_model.h"
#include "document_panel.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "util/paths.h"
#include "viewer_pane.h"

using namespace leopard;
using namespace leopard::ui;

namespace {
// Two 16:9 slides: a bar chart with labelled values, and bullet points.
void writeDeck(const QString& path) {
    QPdfWriter pdf(path);
    pdf.setPageSize(QPageSize(QSizeF(960, 540), QPageSize::Point));
    pdf.setPageMargins({0, 0, 0, 0});
    pdf.setResolution(72);
    QPainter p(&pdf);
    QFont title;
    title.setPointSize(30);
    title.setBold(true);
    QFont body;
    body.setPointSize(18);
    p.setFont(title);
    p.drawText(QRect(50, 30, 860, 60), Qt::AlignLeft, "Revenue by quarter, 2024");
    const int values[] = {42, 55, 61, 78};
    const char* labels[] = {"Q1", "Q2", "Q3", "Q4"};
    p.setFont(body);
    for (int i = 0; i < 4; ++i) {
        const int h = values[i] * 4;
        const QRect bar(120 + i * 200, 470 - h, 120, h);
        p.fillRect(bar, QColor(40, 110, 200));
        p.drawText(QRect(bar.left(), bar.top() - 34, bar.width(), 30), Qt::AlignCenter,
                   QString("%1 M€").arg(values[i]));
        p.drawText(QRect(bar.left(), 478, bar.width(), 30), Qt::AlignCenter, labels[i]);
    }
    pdf.newPage();
    p.setFont(title);
    p.drawText(QRect(50, 30, 860, 60), Qt::AlignLeft, "Highlights");
    p.setFont(body);
    p.drawText(QRect(70, 120, 820, 380), Qt::TextWordWrap,
               "• Q4 revenue reached 78 M€, the best quarter so far\n"
               "• Growth of 86 % from Q1 to Q4\n• Two new regions opened in Q3");
}
}  // namespace

class TestScreenshot : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { test::isolateUserFiles(); }

    void mainWindowWithAnAnswer() {
        const QString model = test::modelForTests();
        QVERIFY2(QFile::exists(model + "/config.json"), "no bundled model to answer with (the build makes it)");
        QTemporaryDir dir;
        const QString deck = dir.filePath("quarterly-review.pdf");
        writeDeck(deck);

        MainWindow w;
        AppSettings s = w.settings();
        s.modelDir = model;
        s.maxNewTokens = 48;
        w.setSettings(s);
        w.resize(1440, 860);
        w.show();
        w.openFiles({deck});
        QTRY_VERIFY(w.documents()->documentCount() == 1 &&
                    w.documents()->state(0) == DocumentModel::State::Ready);
        w.documentPanel()->setCurrentPage(0, 0);
        w.viewer()->tileGridAction()->setChecked(true);
        QSignalSpy finished(&w, &MainWindow::answerFinished);
        w.ask("Which quarter had the highest revenue, and how much was it?");
        QVERIFY(finished.wait(300000));
        QVERIFY(!w.conversation().turns.back().answer.empty());
        // Let thumbnails and the full-resolution page arrive.
        QTRY_VERIFY(!w.documents()->thumbnail(0, 1).isNull());
        QTest::qWait(800);

        const QString out = qEnvironmentVariable("LEOPARD_SCREENSHOT", dir.filePath("screenshot.png"));
        const QImage shot = w.grab().toImage();
        QVERIFY(shot.width() >= 1000);
        QVERIFY(shot.save(out));
        qInfo("screenshot written to %s", qPrintable(out));
    }
};

QTEST_MAIN(TestScreenshot)
#include "test_screenshot_model.moc"
