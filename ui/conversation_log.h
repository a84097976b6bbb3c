// The desktop app's record of one conversation: its sources and its turns,
// with what the GUI shows besides the text (the pages each answer used, the
// model, timings). Saved as a Leopard session file (documents/session_file.h)
// — one file per conversation under AppDataLocation/conversations — so a
// conversation started in the GUI continues with
// `leopard-cli ask --session FILE`, and the other way round.
//
//   ConversationLog log = ConversationLog::create();
//   log.turns.push_back(turn);
//   log.save();                               // atomic (temp file + rename)
//   for (auto& e : ConversationLog::list()) ...
//
// Plain value type; save()/load() are reentrant (do them from one thread at
// a time per file: the GUI thread).
#pragma once

#include <vector>

#include <QDateTime>
#include <QList>
#include <QString>

#include "documents/ask_types.h"

namespace leopard::ui {

struct ChatTurn {
    std::string question;  // UTF-8
    std::string answer;    // UTF-8; grows while streaming
    FinishReason finishReason = FinishReason::EndOfTurn;
    bool streaming = false;       // generation still running
    std::vector<PageUsed> pages;  // what the model saw for this answer
    ModelInfo model;
    AskTimings timings;
    QDateTime date;
    QString error;  // set when asking failed
};

struct ConversationLog {
    QString path;  // its file (created by create())
    std::vector<SourceSelection> sources;
    std::vector<ChatTurn> turns;
    QString model;

    // A new, empty conversation with a fresh file name (not written yet).
    static ConversationLog create();
    // Reads a saved conversation. The pages of each restored answer are the
    // conversation's sources (the session file keeps one selection). Throws
    // InputError for a file that is not a session.
    static ConversationLog load(const QString& path);
    // Writes the session file atomically; a turn still streaming is stored
    // as partial ("cancelled") so a crash keeps what was generated. Throws
    // InputError/Error when the folder cannot be written.
    void save() const;

    QString title() const;  // the first question's first line

    // Where conversations live: <AppDataLocation>/conversations.
    static QString folder();
    struct Entry {
        QString path;
        QString title;
        QDateTime modified;
        int turns = 0;
    };
    // Saved conversations, newest first; unreadable files are skipped.
    static QList<Entry> list();
};

}  // namespace leopard::ui
