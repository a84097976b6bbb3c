#include "documents/page_image.h"

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
    const QImage rgb = flattenOnWhite(image).convertToFormat(QImage::Format_RGB888);
    imaging::ImageRGB out(rgb.width(), rgb.height());
    // QImage rows are padded to 4 bytes; ImageRGB rows are packed.
    for (int y = 0; y < rgb.height(); ++y) std::memcpy(out.row(y), rgb.constScanLine(y), out.stride());
    return out;
}

QImage toQImage(const imaging::ImageRGB& image) {
    if (image.empty()) return {};
    QImage out(image.width, image.height, QImage::Format_RGB888);
    for (int y = 0; y < image.height; ++y) std::memcpy(out.scanLine(y), image.row(y), image.stride());
    return out;
}

}  // namespace leopard
