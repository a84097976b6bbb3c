// A PDF read through Poppler-Qt6: antialiasing for graphics and text, text
// hinting off (Poppler's default and Okular's: hinting distorts glyph shapes
// at the high resolutions used for model input), white paper.
//
// Thread-safety: all calls are serialised on one mutex per instance, so a
// Poppler::Document is never used by two threads at once. clone() opens a
// second Poppler::Document on the same file (and password) for rendering in
// parallel.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "documents/document_source.h"

namespace Poppler {
class Document;
}

namespace leopard {

class PdfSource : public DocumentSource {
public:
    // Opens the PDF at `pdfPath`. `displayPath` is the file named in errors
    // and returned by filePath() (the office document a PDF was converted
    // from); empty means `pdfPath`. Throws InputError for a corrupt,
    // encrypted-without-password or page-less PDF.
    static std::unique_ptr<PdfSource> open(const QString& pdfPath, const OpenOptions& options,
                                           const QString& displayPath = {},
                                           DocumentKind kind = DocumentKind::Pdf);
    ~PdfSource() override;

    DocumentKind kind() const override { return kind_; }
    QString filePath() const override { return displayPath_; }
    QString title() const override { return title_; }
    int pageCount() const override { return int(sizes_.size()); }
    QSizeF pageSize(int page) const override;
    QImage render(int page, double scale, const CancelToken* cancel = nullptr) const override;
    QString pageText(int page) const override;
    std::unique_ptr<DocumentSource> clone() const override;

private:
    PdfSource() = default;
    void init(std::unique_ptr<Poppler::Document> doc);

    mutable std::mutex mutex_;  // guards doc_
    std::unique_ptr<Poppler::Document> doc_;
    QString pdfPath_;
    QString displayPath_;
    QByteArray password_;  // the password that unlocked it, for clone()
    DocumentKind kind_ = DocumentKind::Pdf;
    QString title_;
    std::vector<QSizeF> sizes_;  // points, read once at open
};

}  // namespace leopard
