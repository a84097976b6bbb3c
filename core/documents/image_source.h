// A raster image read through QImageReader: PNG, JPEG (EXIF orientation
// applied), WebP, BMP, GIF (first frame) and TIFF, where every page of a
// multi-page TIFF is a page. Sizes are checked from the header before any
// pixel is decoded, so decompression bombs are refused cheaply.
//
// Thread-safety: immutable after open(); every render() decodes with its
// own QImageReader, so concurrent calls are safe.
#pragma once

#include <vector>

#include "documents/document_source.h"

namespace leopard {

class ImageSource : public DocumentSource {
public:
    // `format` is the Qt format name chosen from the content ("png", …).
    // Throws InputError for an undecodable, empty (0×0) or oversized image.
    static std::unique_ptr<ImageSource> open(const QString& path, const QByteArray& format,
                                             const OpenOptions& options);

    DocumentKind kind() const override { return DocumentKind::Image; }
    QString filePath() const override { return path_; }
    QString title() const override;
    int pageCount() const override { return int(sizes_.size()); }
    QSizeF pageSize(int page) const override;
    // scale 1 decodes at native size; other scales decode scaled (cheap for
    // JPEG thumbnails) to round(size × scale).
    QImage render(int page, double scale, const CancelToken* cancel = nullptr) const override;
    QString pageText(int) const override { return {}; }
    std::unique_ptr<DocumentSource> clone() const override;

private:
    QString path_;
    QByteArray format_;
    qint64 maxPixels_ = 0;
    std::vector<QSize> sizes_;  // after EXIF orientation
};

}  // namespace leopard
