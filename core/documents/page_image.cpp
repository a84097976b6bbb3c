#include "documents/page_image.h"

#include <algorithm>
#include <cstring>

#include <QPainter>

namespace leopard {

QImage flattenOnWhite(const QImage& image) {
    if (image.isNull() || !image.hasAlphaChannel()) return image;
    QImage out(image.size(), QImage::Format_RGB32);
    out.setDevicePixelRatio(image.devicePixelRatio());
    out.fill(Qt::white);
    QPainter painter(&out);
    painter.drawImage(0, 0, image);
    painter.end();
    return out;
}

imaging::ImageRGB toImageRGB(const QImage& image) {
    if (image.isNull()) return {};
    imaging::ImageRGB out(image.width(), image.height());
    // A band of rows at a time: a 50 MP photo (200 MB as decoded) needs no
    // second full-size RGB888 or flattened copy beside its ImageRGB. The
    // conversions are per pixel, so banding changes no value. QImage rows
    // are padded to 4 bytes; ImageRGB rows are packed.
    if (image.format() == QImage::Format_RGB888) {
        for (int y = 0; y < image.height(); ++y) std::memcpy(out.row(y), image.constScanLine(y), out.stride());
        return out;
    }
    constexpr int kBandRows = 64;
    for (int y0 = 0; y0 < image.height(); y0 += kBandRows) {
        const int rows = std::min(kBandRows, image.height() - y0);
        const QImage band =
            flattenOnWhite(image.copy(0, y0, image.width(), rows)).convertToFormat(QImage::Format_RGB888);
        for (int y = 0; y < rows; ++y) std::memcpy(out.row(y0 + y), band.constScanLine(y), out.stride());
    }
    return out;
}

QImage toQImage(const imaging::ImageRGB& image) {
    if (image.empty()) return {};
    QImage out(image.width, image.height, QImage::Format_RGB888);
    for (int y = 0; y < image.height; ++y) std::memcpy(out.scanLine(y), image.row(y), image.stride());
    return out;
}

}  // namespace leopard
