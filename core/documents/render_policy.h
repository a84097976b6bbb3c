// How large pages are rendered, for the model and for thumbnails.
//
// Model input (PDF and office pages). The tile plan (LEOPARD.md §3) gives
// an image n = round(W/T)·round(H/T) tiles of T×T pixels, then resizes it
// onto its grid; pixels beyond the grid are thrown away and pixels short of
// it are invented by upscaling. So a page is rendered at the smallest scale
// whose n reaches the page's share of the budget — the plan can then give
// it every tile it may get — subject to:
//   * at least 144 dpi (scale 2), so small text stays legible in the global
//     view and in budget-starved plans;
//   * the longer side at most T·⌈√(2·budget)⌉ pixels (10·364 = 3640 for a
//     budget of 49): enough for any page up to 1:2 (A-series, letter,
//     16:9 slides) to reach its budget, while a receipt-shaped page is not
//     rendered at absurd resolutions for tiles it cannot get;
//   * at most `pixelLimit` pixels in all, which wins over the 144 dpi floor.
// The plan is then made from the rendered size; nothing shrinks it afterwards.
//
// Images (PNG, JPEG, WebP, TIFF pages, pasted screenshots) have a native
// pixel size and are the model's input as they are, at any size the
// decompression-bomb limit (OpenOptions::maxImagePixels) lets through: the
// plan is made from their native size and the tile pipeline's PIL-exact
// resampling resizes them once, as the reference does (LEOPARD.md §3).
// RenderService::modelScale() is 1 for them.
//
// Thumbnails: a fixed height in device pixels (200 logical px × the screen's
// devicePixelRatio), any kind of document.
//
// Thread-safety: pure functions.
#pragma once

#include <QSizeF>

namespace leopard {

// Default cap on the pixels of one PDF or office page rendered for the model:
// an A4 page reaching 49 tiles of 364 pixels needs ≈ 7 Mpx (2213 × 3130).
constexpr qint64 kDefaultModelPixelLimit = 12'000'000;

// The tiles each page may get when `pages` pages share a question's (or a
// training sample's) `tileBudget`, global views included: an equal share of
// what is left after one global view per page, at least 1. This is the
// `budget` of modelRenderScale() and RenderService::renderForModel().
int modelPageBudget(int tileBudget, int pages);

// The render scale (1.0 = 72 dpi) for a PDF page of `pagePoints` that is to
// be cut into tiles of `tileSize` pixels with `budget` tiles for this page.
double modelRenderScale(QSizeF pagePoints, int tileSize, int budget, qint64 pixelLimit = kDefaultModelPixelLimit);

// The scale at which a page of `pageSize` (points or pixels) is `heightPx`
// device pixels high.
double thumbnailScale(QSizeF pageSize, int heightPx);

}  // namespace leopard
