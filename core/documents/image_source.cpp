#include "documents/image_source.h"

#include <cmath>

#include <QFileInfo>
#include <QImageReader>

#include "documents/page_image.h"
#include "util/errors.h"

namespace leopard {

namespace {

std::string str(const QString& s) { return s.toStdString(); }

bool swapsAxes(QImageIOHandler::Transformations t) { return t & QImageIOHandler::TransformationRotate90; }

// A reader set up the same way for probing and decoding: EXIF orientation
// applied, and Qt's own allocation limit as a second guard behind ours.
void configure(QImageReader& reader, qint64 maxPixels) {
    reader.setAutoTransform(true);
    const qint64 mib = (maxPixels * 4) / (1024 * 1024) + 1;
    reader.setAllocationLimit(int(std::min<qint64>(mib, std::numeric_limits<int>::max())));
}

}  // namespace

std::unique_ptr<ImageSource> ImageSource::open(const QString& path, const QByteArray& format,
                                               const OpenOptions& options) {
    std::unique_ptr<ImageSource> src(new ImageSource);
    src->path_ = path;
    src->format_ = format;
    src->maxPixels_ = options.maxImagePixels;

    QImageReader reader(path, format);
    configure(reader, src->maxPixels_);
    // Only TIFF pages are pages; the other frames of a GIF or WebP are
    // animation, of which the first frame stands for the image.
    const int count = format == "tiff" ? std::max(1, reader.imageCount()) : 1;
    for (int i = 0; i < count; ++i) {
        if (i > 0 && !reader.jumpToImage(i))
            throw InputError(str(path), "TIFF page " + std::to_string(i + 1) + " cannot be read");
        // size() reads only the header: nothing is decoded before the checks.
        QSize size = reader.size();
        if (!size.isValid())
            throw InputError(str(path), "not a readable " + format.toUpper().toStdString() + " image (" +
                                            str(reader.errorString()) + ")");
        if (size.isEmpty()) throw InputError(str(path), "the image is empty (0×0 pixels)");
        const qint64 pixels = qint64(size.width()) * size.height();
        if (pixels > src->maxPixels_)
            throw InputError(str(path), "the image is " + std::to_string(size.width()) + "×" +
                                            std::to_string(size.height()) + " pixels, above the limit of " +
                                            std::to_string(src->maxPixels_) +
                                            " pixels (refused as a possible decompression bomb)");
        if (swapsAxes(reader.transformation())) size.transpose();
        src->sizes_.push_back(size);
    }
    return src;
}

QString ImageSource::title() const { return QFileInfo(path_).fileName(); }

QSizeF ImageSource::pageSize(int page) const {
    checkPage(page);
    return QSizeF(sizes_[size_t(page)]);
}

QImage ImageSource::render(int page, double scale, const CancelToken* cancel) const {
    checkPage(page);
    if (!(scale > 0)) throw InputError(str(path_), "render scale must be positive");
    if (cancel) cancel->throwIfCancelled();
    QImageReader reader(path_, format_);
    configure(reader, maxPixels_);
    if (page > 0 && !reader.jumpToImage(page))
        throw InputError(str(path_), "TIFF page " + std::to_string(page + 1) + " cannot be read");
    const QSize shown = sizes_[size_t(page)];
    QSize target = shown;
    if (scale != 1.0) {
        target = QSize(std::max(1, int(std::lround(shown.width() * scale))),
                       std::max(1, int(std::lround(shown.height() * scale))));
        // The scaled size applies to the stored pixels, before the EXIF
        // rotation that autoTransform performs afterwards.
        reader.setScaledSize(swapsAxes(reader.transformation()) ? target.transposed() : target);
    }
    QImage image = reader.read();
    if (image.isNull())
        throw InputError(str(path_), "the image cannot be decoded (" + str(reader.errorString()) + ")");
    if (cancel) cancel->throwIfCancelled();
    if (image.size() != target) image = image.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    return flattenOnWhite(image);
}

std::unique_ptr<DocumentSource> ImageSource::clone() const { return std::make_unique<ImageSource>(*this); }

}  // namespace leopard
