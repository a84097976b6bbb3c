// Conversions between Qt's QImage (what sources render) and the toolkit-free
// imaging::ImageRGB (what the tile pipeline consumes). Transparent pixels
// are composited on white, as a page is printed on white paper.
//
// Thread-safety: pure functions; QImage is implicitly shared and safe to
// read from several threads.
#pragma once

#include <QImage>

#include "imaging/image.h"

namespace leopard {

// `image` composited on opaque white, in a format without alpha
// (Format_RGB32 or Format_RGB888). Opaque images are returned as they are.
QImage flattenOnWhite(const QImage& image);

// A deep copy of `image` as packed RGB8 (alpha composited on white).
imaging::ImageRGB toImageRGB(const QImage& image);

// A deep copy of `image` as a Format_RGB888 QImage (for writing PNGs with Qt).
QImage toQImage(const imaging::ImageRGB& image);

}  // namespace leopard
