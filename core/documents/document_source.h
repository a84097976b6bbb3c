// A document the user dropped in, seen as a list of pages that can be
// rendered to images and read as text: PDFs (Poppler), images (QImageReader:
// PNG, JPEG with EXIF orientation, WebP, BMP, GIF's first frame, TIFF with
// every page of a multi-page TIFF) and office documents (PPTX, PPT, ODP,
// DOCX, ODT, XLSX …) converted to PDF by LibreOffice first.
//
//   leopard::OpenOptions opt;
//   opt.password = [](const QString& file, int attempt) -> std::optional<QString> { ... };
//   auto doc = leopard::openDocument("slides.pptx", opt);   // throws InputError
//   QImage page0 = doc->render(0, 2.0);                      // 144 dpi
//
// Errors: openDocument() and render() throw leopard::InputError
// ("<file>: <reason>") for anything wrong with the file, CancelledError when
// the token is cancelled. Each file fails on its own: callers that open
// several files catch per file and go on with the others.
//
// Thread-safety: every method of a DocumentSource may be called from any
// thread, concurrently. A PDF source serialises its calls on one mutex (a
// Poppler::Document is never used by two threads at once, as in Okular);
// for parallel rendering of one PDF, clone() it once per thread (the
// RenderService does). Image sources decode with a fresh reader per call.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QImage>
#include <QSizeF>
#include <QString>

#include "util/progress.h"

namespace leopard {

enum class DocumentKind {
    Pdf,     // a PDF file
    Image,   // a raster image (pages of a multi-page TIFF)
    Office,  // an office document, shown through its LibreOffice PDF
};

// Asks the user for the password of an encrypted PDF. `attempt` counts
// from 1; return std::nullopt to give up.
using PasswordCallback = std::function<std::optional<QString>(const QString& file, int attempt)>;

struct OpenOptions {
    PasswordCallback password;   // none: encrypted PDFs fail with "password required"
    int maxPasswordAttempts = 3;
    // Images with more pixels than this are refused before decoding
    // (decompression bombs). Default: 16384 × 16384.
    qint64 maxImagePixels = qint64(16384) * 16384;
    // LibreOffice conversion of office documents.
    QString sofficePath;         // empty: look up `soffice` on PATH
    int officeTimeoutMs = 120000;
    QString officeCacheDir;      // empty: <QStandardPaths::CacheLocation>/office-pdf
    const CancelToken* cancel = nullptr;  // checked while converting
};

class DocumentSource {
public:
    virtual ~DocumentSource() = default;

    virtual DocumentKind kind() const = 0;
    // The file the user opened (for an office document: the deck, not the
    // converted PDF).
    virtual QString filePath() const = 0;
    // Document title from its metadata, else the file name.
    virtual QString title() const = 0;
    virtual int pageCount() const = 0;
    // Page size at scale 1: points (1/72 inch) for PDFs, pixels for images
    // (after EXIF orientation).
    virtual QSizeF pageSize(int page) const = 0;
    // Renders page `page` (0-based) at `scale` (1.0 = 72 dpi for PDFs,
    // native pixels for images), on white. Throws InputError when the page
    // cannot be rendered, CancelledError when `cancel` is set (checked
    // during rendering where the back-end allows it).
    virtual QImage render(int page, double scale, const CancelToken* cancel = nullptr) const = 0;
    // The text layer of the page (empty for images and scans).
    virtual QString pageText(int page) const = 0;
    // An independent instance over the same file, for rendering on another
    // thread in parallel.
    virtual std::unique_ptr<DocumentSource> clone() const = 0;

protected:
    // Throws InputError unless 0 <= page < pageCount().
    void checkPage(int page) const;
};

// Opens `path`, choosing the back-end by content (magic bytes) and, for
// office formats that share a container (ZIP, OLE2), by extension. Throws
// InputError naming the file for anything that cannot be opened.
std::unique_ptr<DocumentSource> openDocument(const QString& path, const OpenOptions& options = {});

}  // namespace leopard
