#include "export.h"

#include <filesystem>

#include <QFile>
#include <QTemporaryDir>

#include "documents/notes.h"
#include "util/errors.h"

namespace leopard::ui {

namespace {

NoteEntry noteFor(const ChatTurn& t, const ThumbnailLookup& thumbnails) {
    NoteEntry e;
    e.question = t.question;
    e.answer = t.answer;
    e.finishReason = t.streaming ? FinishReason::Cancelled : t.finishReason;
    e.model = t.model;
    e.date = t.date.isValid() ? t.date : QDateTime::currentDateTime();
    for (const PageUsed& p : t.pages) {
        NoteSource s{p.file, p.page, {}};
        if (thumbnails) {
            const QImage img = thumbnails(p.file, p.page);
            if (!img.isNull()) s.thumbnail = img.scaledToHeight(kNoteThumbnailHeight, Qt::SmoothTransformation);
        }
        e.sources.push_back(std::move(s));
    }
    return e;
}

}  // namespace

void exportTurns(const QString& path, const std::vector<ChatTurn>& turns, const ThumbnailLookup& thumbnails) {
    const std::filesystem::path p = path.toStdString();
    checkNotesTarget(p);
    // An export is a new file, not an addition to an old one.
    if (QFile::exists(path) && !QFile::remove(path)) throw InputError(p.string(), "cannot replace the existing file");
    for (const ChatTurn& t : turns) appendNote(p, noteFor(t, thumbnails));
}

QString turnsAsMarkdown(const std::vector<ChatTurn>& turns) {
    QTemporaryDir dir;
    if (!dir.isValid()) throw Error("cannot create a temporary folder for the clipboard text");
    const QString path = dir.filePath(QStringLiteral("clipboard.md"));
    exportTurns(path, turns, {});
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) throw Error("cannot read back the clipboard text");
    return QString::fromUtf8(f.readAll());
}

}  // namespace leopard::ui
