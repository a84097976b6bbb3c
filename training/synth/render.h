// Draws a synthetic Document with QPainter — into a QImage for training
// data, or onto any paint device (QPdfWriter pages for the examples) with the
// same layout. Every text goes through a fitting step: the font shrinks until
// the text fits its box; a text that cannot fit at a readable size makes the
// page fail (the caller draws a new style), so no answer is ever clipped.
//
// Needs a QGuiApplication (fonts). Functions are reentrant; a QPainter is
// not shared between threads.
#pragma once

#include <string>

#include <QPainter>

#include "synth/content.h"
#include "synth/page.h"
#include "synth/rng.h"

namespace leopard::synth {

// Canvas size limits (pixels along the long side) and the smallest text size
// the renderer may shrink to.
struct CanvasOptions {
    int minSide = 192;
    int maxSide = 320;
    double minTextPx = 9.0;
};

// A random look for a page of `kind`: aspect ratio, size, font, palette.
Style randomStyle(Kind kind, const CanvasOptions& canvas, Rng& rng);

// Paints `doc` on `painter` over a style.width × style.height canvas and
// appends what it drew to `log`. Returns "" on success, else why the page
// cannot be used (text too long for its box).
std::string paintDocument(QPainter& painter, const Document& doc, const Style& style,
                          double minTextPx, std::vector<DrawnText>& log);

// Renders into a new RGB image. On failure the Page's image is null and
// `problem` (if given) says why.
Page renderPage(const Document& doc, const Style& style, double minTextPx, std::string* problem = nullptr);

// A reading exercise: `lines` (one or two short texts) on a small
// style.width × style.height canvas in the style's font and colours, each
// line `textPx` high (shrunk to fit, never below minTextPx), at a random
// position. Logged as Role::Value texts with field = line index. Null image
// when a line cannot fit.
Page renderTextCrop(const std::vector<std::string>& lines, const Style& style, double textPx, double minTextPx,
                    Rng& rng);

}  // namespace leopard::synth
