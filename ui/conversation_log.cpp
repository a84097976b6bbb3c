#include "conversation_log.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStandardPaths>

#include "documents/page_spec.h"
#include "documents/session_file.h"

namespace leopard::ui {

namespace {
// Any explicit page number is accepted when the page count is unknown.
constexpr int kNoPageLimit = 1 << 20;
}  // namespace

QString ConversationLog::folder() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/conversations";
}

ConversationLog ConversationLog::create() {
    QDir().mkpath(folder());
    ConversationLog log;
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    for (;;) {
        log.path = folder() + "/" + stamp + "-" +
                   QString::number(QRandomGenerator::global()->bounded(0x10000), 16).rightJustified(4, '0') +
                   ".json";
        if (!QFileInfo::exists(log.path)) break;
    }
    return log;
}

ConversationLog ConversationLog::load(const QString& path) {
    const SessionData s = loadSession(path.toStdString());
    ConversationLog log;
    log.path = path;
    log.sources = s.sources;
    log.model = s.model;
    const QDateTime date = QFileInfo(path).lastModified();
    std::vector<PageUsed> pages;
    int image = 1;
    for (const auto& src : s.sources) {
        // Without opening the file its page count is unknown: only explicit
        // page lists (what the GUI writes) give links.
        if (src.pages.empty() || src.pages == "all" || src.pages.back() == '-') continue;
        try {
            for (int p : parsePageSpec(src.pages, kNoPageLimit, src.path.toStdString()))
                pages.push_back({src.path, p + 1, image++, 0, 0, 0});
        } catch (const std::exception&) {
            // A selection the CLI wrote by hand: no links for it.
        }
    }
    for (const Turn& t : s.turns) {
        ChatTurn c;
        c.question = t.question;
        c.answer = t.answer;
        c.finishReason = t.finishReason;
        c.pages = pages;
        c.model.dir = s.model;
        c.model.name = QFileInfo(s.model).fileName();
        c.date = date;
        log.turns.push_back(std::move(c));
    }
    return log;
}

void ConversationLog::save() const {
    SessionData s;
    s.sources = sources;
    s.model = model;
    for (const ChatTurn& t : turns) {
        if (!t.error.isEmpty() && t.answer.empty()) continue;  // nothing to continue from
        s.turns.push_back({t.question, t.answer, t.streaming ? FinishReason::Cancelled : t.finishReason});
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    saveSession(path.toStdString(), s);
}

QString ConversationLog::title() const {
    if (turns.empty()) return QObject::tr("New conversation");
    return QString::fromStdString(turns.front().question).section('\n', 0, 0);
}

QList<ConversationLog::Entry> ConversationLog::list() {
    QList<Entry> out;
    const QFileInfoList files =
        QDir(folder()).entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Time);
    for (const QFileInfo& f : files) {
        try {
            const SessionData s = loadSession(f.absoluteFilePath().toStdString());
            if (s.turns.empty()) continue;
            out.append({f.absoluteFilePath(),
                        QString::fromStdString(s.turns.front().question).section('\n', 0, 0),
                        f.lastModified(), int(s.turns.size())});
        } catch (const std::exception&) {
            // Not a session (or half-written by another program): not listed.
        }
    }
    return out;
}

}  // namespace leopard::ui
