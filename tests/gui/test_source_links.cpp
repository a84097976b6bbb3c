// Each answer lists its source pages as links; following one shows that page
// in the viewer, reopening the file when it was closed since. (That
// follow-up questions continue the conversation is checked with the model
// in test_ask_model.)
#include <QFileInfo>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QtTest>

#include "conversation_log.h"
#include "conversation_pane.h"
#include "document_model.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "page_view.h"
#include "viewer_pane.h"

using namespace leopard;
using namespace leopard::ui;

namespace {
// Every link in the pane's document with the text it is anchored on, in order.
QList<QPair<QString, QUrl>> links(QTextBrowser* browser) {
    QList<QPair<QString, QUrl>> out;
    for (QTextBlock b = browser->document()->begin(); b.isValid(); b = b.next())
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextFragment f = it.fragment();
            if (f.isValid() && f.charFormat().isAnchor())
                out.append({f.text(), QUrl(f.charFormat().anchorHref())});
        }
    return out;
}
}  // namespace

class TestSourceLinks : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString report_, other_;

private Q_SLOTS:
    void initTestCase() {
        test::isolateUserFiles();
        report_ = QFileInfo(dir_.filePath("report.pdf")).absoluteFilePath();
        other_ = QFileInfo(dir_.filePath("other.pdf")).absoluteFilePath();
        test::writePdf(report_, {"Revenue 2022: 10 M", "Revenue 2023: 12 M", "Revenue 2024: 15 M"});
        test::writePdf(other_, {"Notes", "More notes"});
    }

    void sourceLinksJumpTheViewer() {
        MainWindow w;
        w.show();
        w.openFiles({report_, other_});
        DocumentModel* m = w.documents();
        QTRY_VERIFY(m->documentCount() == 2 && m->state(0) == DocumentModel::State::Ready &&
                    m->state(1) == DocumentModel::State::Ready);

        ConversationLog log = ConversationLog::create();
        ChatTurn t;
        t.question = "How did revenue change?";
        t.answer = "From 12 M to 15 M.";
        t.pages = {{report_, 2, 1, 3, 595, 842}, {report_, 3, 2, 3, 595, 842}, {other_, 2, 3, 1, 595, 842}};
        log.turns.push_back(t);
        ConversationPane* pane = w.conversationPane();
        pane->showLog(log);
        QTRY_VERIFY(pane->renderedText().contains("From 12 M to 15 M."));

        // One link per source page, in the order the model saw them.
        QList<QPair<QString, QUrl>> pageLinks;
        for (const auto& l : links(pane->browser()))
            if (l.second.scheme() == ConversationPane::pageLink(report_, 1).scheme()) pageLinks.append(l);
        QCOMPARE(pageLinks.size(), 3);
        QCOMPARE(pageLinks[0].first, QString("report.pdf p. 2"));
        QCOMPARE(pageLinks[1].first, QString("report.pdf p. 3"));
        QCOMPARE(pageLinks[2].first, QString("other.pdf p. 2"));

        // Following a link shows that page.
        Q_EMIT pane->browser()->anchorClicked(pageLinks[1].second);
        QCOMPARE(w.viewer()->currentRow(), m->rowOf(report_));
        QCOMPARE(w.viewer()->currentPage(), 2);
        Q_EMIT pane->browser()->anchorClicked(pageLinks[2].second);
        QCOMPARE(w.viewer()->currentRow(), m->rowOf(other_));
        QCOMPARE(w.viewer()->currentPage(), 1);
        QTRY_VERIFY(w.viewer()->pageView()->hasPage());

        // A document closed since the answer is opened again.
        m->removeDocument(m->rowOf(report_));
        QCOMPARE(m->rowOf(report_), -1);
        Q_EMIT pane->browser()->anchorClicked(pageLinks[0].second);
        const int row = m->rowOf(report_);
        QVERIFY(row >= 0);
        QTRY_VERIFY(m->state(row) == DocumentModel::State::Ready);
        QTRY_COMPARE(w.viewer()->currentRow(), row);
        QTRY_COMPARE(w.viewer()->currentPage(), 1);
    }
};

QTEST_MAIN(TestSourceLinks)
#include "test_source_links.moc"
