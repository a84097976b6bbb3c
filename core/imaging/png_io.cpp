#include "imaging/png_io.h"

#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>

#include <png.h>

#include "util/errors.h"

namespace leopard::imaging {
namespace {

// libpng reports errors by longjmp. The functions that call setjmp below
// create no objects with destructors in their own frame, so the jump skips
// nothing; the message is stored in a caller-owned buffer.
struct PngError {
    char message[256] = "";
};

void onError(png_structp png, png_const_charp msg) {
    auto* err = static_cast<PngError*>(png_get_error_ptr(png));
    std::snprintf(err->message, sizeof err->message, "%s", msg);
    png_longjmp(png, 1);
}

void onWarning(png_structp, png_const_charp) {}

// Decodes into `out`; false with err->message set on failure.
bool decode(std::FILE* file, ImageRGB& out, PngError* err) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, err, onError, onWarning);
    if (!png) return false;
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, nullptr);
        return false;
    }
    png_init_io(png, file);
    png_read_info(png, info);
    const png_uint_32 width = png_get_image_width(png, info);
    const png_uint_32 height = png_get_image_height(png, info);
    const int colorType = png_get_color_type(png, info);
    png_set_expand(png);  // palette → RGB, low-bit gray → 8 bits, tRNS → alpha
    png_set_strip_16(png);
    png_set_strip_alpha(png);
    if (colorType == PNG_COLOR_TYPE_GRAY || colorType == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    const int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != static_cast<size_t>(width) * 3) png_error(png, "unsupported PNG layout");

    out = ImageRGB(static_cast<int>(width), static_cast<int>(height));
    for (int pass = 0; pass < passes; ++pass)
        for (png_uint_32 y = 0; y < height; ++y) png_read_row(png, out.row(static_cast<int>(y)), nullptr);
    png_read_end(png, nullptr);
    png_destroy_read_struct(&png, &info, nullptr);
    return true;
}

bool encode(std::FILE* file, const ImageRGB& image, PngError* err) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, err, onError, onWarning);
    if (!png) return false;
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return false;
    }
    png_init_io(png, file);
    png_set_IHDR(png, info, static_cast<png_uint_32>(image.width), static_cast<png_uint_32>(image.height), 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < image.height; ++y) png_write_row(png, image.row(y));
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return true;
}

}  // namespace

ImageRGB readPng(const std::filesystem::path& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (!file) throw InputError(path.string(), std::strerror(errno));
    ImageRGB out;
    PngError err;
    const bool ok = decode(file, out, &err);
    std::fclose(file);
    if (!ok) throw InputError(path.string(), std::string("not a readable PNG: ") + err.message);
    return out;
}

void writePng(const std::filesystem::path& path, const ImageRGB& image) {
    if (image.empty()) throw InputError(path.string(), "cannot write an empty image");
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (!file) throw InputError(path.string(), std::strerror(errno));
    PngError err;
    const bool ok = encode(file, image, &err);
    const bool closed = std::fclose(file) == 0;
    if (!ok) throw InputError(path.string(), std::string("cannot write PNG: ") + err.message);
    if (!closed) throw InputError(path.string(), "cannot write PNG: write failed");
}

}  // namespace leopard::imaging
