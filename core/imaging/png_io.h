// PNG files <-> ImageRGB through libpng, for the Qt-free parts of the
// project (engine-only tools that write tiles, tests that read goldens).
// Reading converts like Pillow's Image.convert("RGB"): palette and gray are
// expanded, 16-bit samples keep their high byte, alpha is dropped (not
// composited), gamma chunks are ignored.
//
//   ImageRGB img = leopard::imaging::readPng("page.png");
//   leopard::imaging::writePng("copy.png", img);
//
// Each call works on its own libpng state: thread-safe.
#pragma once

#include <filesystem>

#include "imaging/image.h"

namespace leopard::imaging {

// Throws InputError("<path>", reason) when the file cannot be opened or is
// not a valid PNG.
ImageRGB readPng(const std::filesystem::path& path);

// Writes an 8-bit RGB PNG; throws InputError when the file cannot be written.
void writePng(const std::filesystem::path& path, const ImageRGB& image);

}  // namespace leopard::imaging
