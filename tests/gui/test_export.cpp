// Exporting answers (Markdown with thumbnails, JSON lines, clipboard text)
// and keeping conversations on disk (one session file each, a streaming
// answer saved as partial).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "conversation_log.h"
#include "documents/notes.h"
#include "documents/session_file.h"
#include "export.h"
#include "gui_test_support.h"

using namespace leopard;
using namespace leopard::ui;

namespace {
ChatTurn turnAbout(const QString& file) {
    ChatTurn t;
    t.question = "What was the revenue in 2024?";
    t.answer = "**15 M**, up from 12 M.";
    t.pages = {{file, 2, 1, 5, 1190, 1684}};
    t.model.name = "tiny";
    t.model.device = "cpu";
    t.model.dtype = "float32";
    t.date = QDateTime(QDate(2025, 3, 1), QTime(10, 30));
    return t;
}

QString readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}
}  // namespace

class TestExport : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString pdf_;

private Q_SLOTS:
    void initTestCase() {
        test::isolateUserFiles();
        pdf_ = dir_.filePath("report.pdf");
        test::writePdf(pdf_, {"Revenue 2023: 12 M", "Revenue 2024: 15 M"});
    }

    void markdownWithThumbnails() {
        const auto doc = openDocument(pdf_);
        int lookups = 0;
        const ThumbnailLookup thumbs = [&](const QString& file, int page) {
            ++lookups;
            return file == pdf_ ? doc->render(page - 1, 0.5) : QImage();
        };
        const QString md = dir_.filePath("notes.md");
        exportTurns(md, {turnAbout(pdf_), turnAbout(pdf_)}, thumbs);
        QCOMPARE(lookups, 2);
        const QString text = readAll(md);
        QCOMPARE(text.count("What was the revenue in 2024?"), 4);  // heading + question, twice
        QVERIFY(text.contains("**15 M**, up from 12 M."));
        QVERIFY(text.contains("report.pdf, p. 2"));
        QVERIFY(text.contains("](notes.assets/"));
        const QStringList pngs = QDir(dir_.filePath("notes.assets")).entryList({"*.png"});
        QCOMPARE(pngs.size(), 2);
        const QImage thumb(dir_.filePath("notes.assets/" + pngs.first()));
        QCOMPARE(thumb.height(), kNoteThumbnailHeight);

        // Exporting again replaces the file instead of appending to it.
        exportTurns(md, {turnAbout(pdf_)}, thumbs);
        QCOMPARE(readAll(md).count("**15 M**"), 1);
    }

    void jsonLines() {
        const QString path = dir_.filePath("answers.jsonl");
        exportTurns(path, {turnAbout(pdf_)}, {});
        const QStringList lines = readAll(path).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        const QJsonObject o = QJsonDocument::fromJson(lines[0].toUtf8()).object();
        QCOMPARE(o["question"].toString(), QString("What was the revenue in 2024?"));
        QCOMPARE(o["answer"].toString(), QString("**15 M**, up from 12 M."));
        QCOMPARE(o["sources"].toArray()[0].toObject()["page"].toInt(), 2);
    }

    void clipboardMarkdownHasNoImageLinks() {
        const QString text = turnsAsMarkdown({turnAbout(pdf_)});
        QVERIFY(text.contains("**15 M**, up from 12 M."));
        QVERIFY(text.contains("report.pdf, p. 2"));
        QVERIFY(!text.contains(".assets/"));
    }

    void badTargetIsReported() {
        QVERIFY_THROWS_EXCEPTION(InputError, exportTurns("/nonexistent-folder/x.md", {turnAbout(pdf_)}, {}));
        QVERIFY_THROWS_EXCEPTION(InputError, exportTurns(dir_.filePath("x.txt"), {turnAbout(pdf_)}, {}));
    }

    void conversationRoundTrip() {
        ConversationLog log = ConversationLog::create();
        QVERIFY(log.path.startsWith(ConversationLog::folder()));
        log.sources = {{pdf_, "2"}};
        log.turns.push_back(turnAbout(pdf_));
        ChatTurn streaming = turnAbout(pdf_);
        streaming.question = "And in 2025?";
        streaming.answer = "Half an ans";
        streaming.streaming = true;  // the app was killed mid-answer
        log.turns.push_back(streaming);
        log.save();

        // It is a session leopard-cli continues.
        const SessionData s = loadSession(log.path.toStdString());
        QCOMPARE(s.turns.size(), size_t(2));
        QCOMPARE(s.turns[1].finishReason, FinishReason::Cancelled);

        const ConversationLog back = ConversationLog::load(log.path);
        QCOMPARE(back.turns.size(), size_t(2));
        QCOMPARE(back.turns[1].answer, std::string("Half an ans"));
        QCOMPARE(back.turns[1].finishReason, FinishReason::Cancelled);
        QCOMPARE(back.turns[0].pages.size(), size_t(1));
        QCOMPARE(back.turns[0].pages[0].page, 2);
        QCOMPARE(back.title(), QString("What was the revenue in 2024?"));
        const auto listed = ConversationLog::list();
        QVERIFY(std::any_of(listed.begin(), listed.end(), [&](const auto& e) { return e.path == log.path; }));
    }
};

QTEST_MAIN(TestExport)
#include "test_export.moc"
