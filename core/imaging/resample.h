// Image resizing identical to Pillow's Image.resize(size, Image.BICUBIC) on
// an RGB image, which is what Leopard's reference preprocessing (and the
// Hugging Face SigLIP image processor) use. The filter is antialiased: when
// shrinking, its support widens by the scale factor so every source pixel
// contributes. Results are bit-identical to Pillow, including its 22-bit
// fixed-point coefficients and per-pass rounding and clipping.
//
//   ImageRGB small = leopard::imaging::resizeBicubic(page, 364, 364);
//
// Pure function of its arguments: thread-safe.
#pragma once

#include "imaging/image.h"

namespace leopard::imaging {

// Returns src resized to newW × newH. Throws InputError for an empty source
// or a non-positive target size.
ImageRGB resizeBicubic(const ImageRGB& src, int newW, int newH);

}  // namespace leopard::imaging
