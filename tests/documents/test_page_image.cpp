// QImage ↔ imaging::ImageRGB.
#include <catch2/catch.hpp>

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
