// Exporting answers: to a Markdown notes file with page thumbnails, to JSON
// lines, or to the clipboard as Markdown — through documents/notes.h, so an
// export looks exactly like `leopard-cli ask --notes`.
//
//   exportTurns("/home/me/answers.md", {log.turns[2]}, thumbnailsFor);
//
// Reentrant functions; call from the GUI thread (thumbnails come from the
// caller, already rendered, so nothing here renders).
#pragma once

#include <functional>
#include <vector>

#include <QImage>
#include <QString>

#include "conversation_log.h"

namespace leopard::ui {

// A small image of `page` (1-based) of `file`, or a null image.
using ThumbnailLookup = std::function<QImage(const QString& file, int page)>;

// Writes `turns` to `path` (.md/.markdown: Markdown with thumbnails in
// <stem>.assets/; .json/.jsonl: one JSON object per line), replacing an
// existing file. Throws InputError with a readable message on failure.
void exportTurns(const QString& path, const std::vector<ChatTurn>& turns, const ThumbnailLookup& thumbnails);

// The Markdown of `turns` as the notes file would hold it, without
// thumbnails (for the clipboard).
QString turnsAsMarkdown(const std::vector<ChatTurn>& turns);

}  // namespace leopard::ui
