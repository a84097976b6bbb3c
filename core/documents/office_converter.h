// Converts office documents (PPTX, PPT, ODP, DOCX, ODT, XLSX, …) to PDF with
// LibreOffice, `soffice --headless --convert-to pdf`, and keeps the result
// in a cache keyed by the SHA-256 of the file's content, so a deck is
// converted once however often it is asked about.
//
// LibreOffice runs with a private user profile under the cache folder (a
// running desktop LibreOffice is never touched), in its own process group,
// and is killed with its children when the timeout passes or the cancel
// token is set. Conversions within one process run one at a time (they
// share the profile).
//
// Thread-safety: convertOfficeToPdf() may be called from any thread.
#pragma once

#include <QString>

#include "documents/document_source.h"

namespace leopard {

// The cache folder used when OpenOptions::officeCacheDir is empty.
QString defaultOfficeCacheDir();

// Returns the path of the PDF made from `path`, converting it if the cache
// has none. Throws InputError naming the file when LibreOffice is missing
// (naming the Debian package), cannot convert it, or times out;
// CancelledError when options.cancel is set.
QString convertOfficeToPdf(const QString& path, const OpenOptions& options);

}  // namespace leopard
