// Per-patch glyph labels for the vision tower's auxiliary loss: which
// character (a byte, 0 = none) each vision patch of each tile shows, read
// from a sample's glyph map (data/dataset.h "glyph_maps") through the same
// geometry the tile pipeline applies to its image (imaging/tiles.h): the
// global view squashes the whole image to T×T; each tile is a T×T window of
// the image resized to plan.resized and pasted at plan.paste on a black
// canvas. A patch takes the label under its centre (nearest neighbour);
// patches on the canvas's padding are 0.
//
// The loss this feeds (trainer/example.h maskedLoss with a GlyphHead) puts a
// gradient on every patch that shows text: an answer of one or two tokens
// alone does not teach a vision tower trained from scratch to see glyphs
// (scripts/reading_probe.sh).
//
// Pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "imaging/image.h"
#include "imaging/tile_plan.h"

namespace leopard::training {

// Labels of the image's model tiles in model order (global view first), each
// (tileSize/patch)² patches row-major: modelTiles() · (tileSize/patch)²
// values. `map` must have the plan's width × height (InputError otherwise);
// its red channel is the label.
std::vector<int64_t> glyphPatchLabels(const imaging::ImageRGB& map, const imaging::ImageTilePlan& plan, int tileSize,
                                      int patch);

}  // namespace leopard::training
