// QImage ↔ imaging::ImageRGB.
#include <catch2/catch.hpp>

#include <cstring>

#include "documents/page_image.h"

using namespace leopard;

TEST_CASE("QImage converts to packed RGB and back", "[page-image]") {
    // Width 5: RGB888 rows of 15 bytes are padded to 16 in a QImage.
    QImage img(5, 3, QImage::Format_RGB32);
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 5; ++x) img.setPixel(x, y, qRgb(x * 50, y * 100, 7));
    const imaging::ImageRGB rgb = toImageRGB(img);
    REQUIRE(rgb.width == 5);
    REQUIRE(rgb.height == 3);
    REQUIRE(rgb.pixels.size() == 5 * 3 * 3);
    const uint8_t* p = rgb.row(2) + 4 * 3;
    CHECK(int(p[0]) == 200);
    CHECK(int(p[1]) == 200);
    CHECK(int(p[2]) == 7);

    const QImage back = toQImage(rgb);
    CHECK(back.format() == QImage::Format_RGB888);
    CHECK(back.convertToFormat(QImage::Format_RGB32) == img);
}

TEST_CASE("alpha is composited on white", "[page-image]") {
    QImage img(2, 1, QImage::Format_ARGB32);
    img.setPixel(0, 0, qRgba(0, 0, 0, 0));
    img.setPixel(1, 0, qRgba(255, 0, 0, 255));
    const imaging::ImageRGB rgb = toImageRGB(img);
    CHECK(std::vector<uint8_t>(rgb.pixels.begin(), rgb.pixels.end()) == std::vector<uint8_t>{255, 255, 255, 255, 0, 0});
    CHECK(toImageRGB(QImage()).empty());
}

TEST_CASE("large images convert band by band to the same pixels as in one piece", "[page-image]") {
    // 150 rows: bands of 64, 64 and 22; half-transparent pixels exercise the
    // composite on white, an indexed image the colour table.
    QImage argb(7, 150, QImage::Format_ARGB32);
    for (int y = 0; y < argb.height(); ++y)
        for (int x = 0; x < argb.width(); ++x) argb.setPixel(x, y, qRgba(x * 30, y, 255 - y, (x * 37 + y) % 256));
    QImage indexed = argb.convertToFormat(QImage::Format_RGB32).convertToFormat(QImage::Format_Indexed8);
    for (const QImage& img : {argb, indexed, argb.convertToFormat(QImage::Format_RGB888)}) {
        INFO("format " << int(img.format()));
        const QImage whole = flattenOnWhite(img).convertToFormat(QImage::Format_RGB888);
        const imaging::ImageRGB rgb = toImageRGB(img);
        REQUIRE(rgb.width == whole.width());
        REQUIRE(rgb.height == whole.height());
        int mismatched = 0;
        for (int y = 0; y < whole.height(); ++y)
            mismatched += std::memcmp(rgb.row(y), whole.constScanLine(y), rgb.stride()) != 0;
        CHECK(mismatched == 0);
    }
}
