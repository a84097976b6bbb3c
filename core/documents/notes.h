// Notes: each answered question appended to a notes file the user keeps.
//
// Markdown (.md, .markdown): one entry per question — the question, the
// answer, the model, the date and the sources as "file, p. N" — with small
// PNG thumbnails of the pages saved in a folder beside the notes file
// (notes.md → notes.assets/) and linked relatively, so the file renders in
// Obsidian, Joplin or any Markdown viewer. JSON (.json, .jsonl): the same
// fields as one JSON object per line.
//
//   leopard::checkNotesTarget(path);         // before running the model
//   ...
//   leopard::NoteEntry e = leopard::noteFromResult(question, result, thumbnails);
//   leopard::appendNote(path, e);
//
// Appending never corrupts an existing file: the old content and the new
// entry are written to a temporary file that is renamed over the old one
// (util/atomic_file.h).
//
// Thread-safety: functions are reentrant; two threads (or processes)
// appending to the same file at once may lose one entry, never corrupt it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <QDateTime>
#include <QImage>
#include <QString>

#include "documents/ask_types.h"

namespace leopard {

enum class NotesFormat { Markdown, JsonLines };

struct NoteSource {
    QString file;
    int page = 1;       // 1-based
    QImage thumbnail;   // optional: saved into the assets folder when set
};

struct NoteEntry {
    std::string question;
    std::string answer;
    FinishReason finishReason = FinishReason::EndOfTurn;  // Cancelled: marked as partial
    ModelInfo model;
    QDateTime date;  // local time of the answer
    std::vector<NoteSource> sources;
};

// Thumbnails are scaled to this height (pixels) by noteFromResult().
inline constexpr int kNoteThumbnailHeight = 160;

// The format for `path` by its extension. Throws InputError for any other.
NotesFormat notesFormatFor(const std::filesystem::path& path);

// Throws InputError unless `path` can be appended to: a known extension, an
// existing writable folder, and (when it exists) a writable regular file.
// Call it before the model runs so a bad path costs nothing.
void checkNotesTarget(const std::filesystem::path& path);

// The assets folder of a notes file: <folder>/<stem>.assets.
std::filesystem::path notesAssetsDir(const std::filesystem::path& notesPath);

// An entry for `result`; `pageImages[i]` (optional, may be shorter) is the
// rendered image of result.pages[i], scaled down to kNoteThumbnailHeight.
NoteEntry noteFromResult(const std::string& question, const AskResult& result,
                         const std::vector<QImage>& pageImages = {});

// Appends `entry` to `path` (created if missing), writing its thumbnails to
// notesAssetsDir(path). Throws InputError for an unusable path, Error when
// the disk is full (the old file is then unchanged).
void appendNote(const std::filesystem::path& path, const NoteEntry& entry);

}  // namespace leopard
