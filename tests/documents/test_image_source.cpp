// Images through QImageReader: formats, EXIF orientation, multi-page TIFF,
// GIF's first frame, alpha on white, scaled decoding.
#include <catch2/catch.hpp>

#include <QImageWriter>

#include "documents/document_source.h"
#include "fixtures.h"
#include "test_paths.h"

using namespace leopard;
using namespace leopard::test;

namespace {

bool near(QRgb a, QRgb b, int tol = 40) {
    return std::abs(qRed(a) - qRed(b)) <= tol && std::abs(qGreen(a) - qGreen(b)) <= tol &&
           std::abs(qBlue(a) - qBlue(b)) <= tol;
}

const QRgb kRed = qRgb(255, 0, 0), kGreen = qRgb(0, 255, 0), kBlue = qRgb(0, 0, 255), kWhite = qRgb(255, 255, 255);

}  // namespace

TEST_CASE("single images open in each supported format", "[image]") {
    TempDir dir;
    const QImage src = quadrantImage(QSize(64, 48));
    for (const char* fmt : {"png", "jpeg", "bmp", "webp", "tiff"}) {  // Qt writes no GIF: see below
        INFO(fmt);
        const auto path = dir / (std::string("img.") + fmt);
        REQUIRE(src.save(qpath(path), fmt));
        auto doc = openDocument(qpath(path));
        CHECK(doc->kind() == DocumentKind::Image);
        CHECK(doc->pageCount() == 1);
        CHECK(doc->pageSize(0) == QSizeF(64, 48));
        const QImage img = doc->render(0, 1.0);
        CHECK(img.size() == QSize(64, 48));
        CHECK(near(img.pixel(5, 5), kRed));
        CHECK(near(img.pixel(60, 5), kGreen));
        CHECK(near(img.pixel(5, 44), kBlue));
        CHECK(doc->pageText(0).isEmpty());
    }
}

TEST_CASE("a JPEG is shown in its EXIF orientation", "[image]") {
    TempDir dir;
    // Stored 80×40; orientation 6 means "rotate 90° clockwise to display".
    writeJpegWithExifOrientation(dir / "rotated.jpg", quadrantImage(QSize(80, 40)), 6);
    auto doc = openDocument(qpath(dir / "rotated.jpg"));
    REQUIRE(doc->pageSize(0) == QSizeF(40, 80));
    const QImage img = doc->render(0, 1.0);
    REQUIRE(img.size() == QSize(40, 80));
    // Clockwise: the stored top-left (red) goes to the top-right, the stored
    // bottom-left (blue) to the top-left.
    CHECK(near(img.pixel(5, 5), kBlue));
    CHECK(near(img.pixel(35, 5), kRed));
    CHECK(near(img.pixel(5, 75), kWhite));
    CHECK(near(img.pixel(35, 75), kGreen));

    // A scaled (thumbnail) render keeps the orientation too.
    const QImage half = doc->render(0, 0.5);
    REQUIRE(half.size() == QSize(20, 40));
    CHECK(near(half.pixel(2, 2), kBlue));
    CHECK(near(half.pixel(18, 2), kRed));
}

TEST_CASE("each page of a multi-page TIFF is a page", "[image]") {
    TempDir dir;
    std::vector<QImage> pages = {quadrantImage(QSize(30, 20)), quadrantImage(QSize(50, 70)), QImage(16, 16, QImage::Format_RGB32)};
    pages[2].fill(Qt::blue);
    writeMultiPageTiff(dir / "scan.tif", pages);
    auto doc = openDocument(qpath(dir / "scan.tif"));
    REQUIRE(doc->pageCount() == 3);
    for (int p = 0; p < 3; ++p) {
        CHECK(doc->pageSize(p) == QSizeF(pages[size_t(p)].size()));
        const QImage img = doc->render(p, 1.0);
        CHECK(img.size() == pages[size_t(p)].size());
        CHECK(meanAbsDiff(img, pages[size_t(p)]) < 1.0);
    }
}

TEST_CASE("an animated GIF is its first frame", "[image]") {
    TempDir dir;
    // Qt cannot write GIFs: two 1×1 frames, red then black, byte by byte.
    const QByteArray header("GIF89a\x01\x00\x01\x00\x80\x00\x00" "\xff\x00\x00" "\x00\x00\x00", 19);
    const QByteArray frameRed("\x2c\0\0\0\0\x01\0\x01\0\0" "\x02\x02\x44\x01\x00", 15);    // index 0
    const QByteArray frameBlack("\x2c\0\0\0\0\x01\0\x01\0\0" "\x02\x02\x4c\x01\x00", 15);  // index 1
    writeBytes(dir / "anim.gif", header + frameRed + frameBlack + "\x3b");
    auto doc = openDocument(qpath(dir / "anim.gif"));
    CHECK(doc->pageCount() == 1);
    CHECK(doc->pageSize(0) == QSizeF(1, 1));
    CHECK(doc->render(0, 1.0).pixel(0, 0) == kRed);
}

TEST_CASE("transparent pixels are composited on white", "[image]") {
    TempDir dir;
    QImage img(10, 10, QImage::Format_ARGB32);
    img.fill(Qt::transparent);
    img.setPixel(1, 1, qRgba(0, 0, 0, 255));
    REQUIRE(img.save(qpath(dir / "alpha.png")));
    const QImage out = openDocument(qpath(dir / "alpha.png"))->render(0, 1.0);
    CHECK(!out.hasAlphaChannel());
    CHECK(out.pixel(5, 5) == kWhite);
    CHECK(out.pixel(1, 1) == qRgb(0, 0, 0));
}

TEST_CASE("content decides the format, not the extension", "[image]") {
    TempDir dir;
    REQUIRE(quadrantImage(QSize(8, 8)).save(qpath(dir / "really-a-jpeg.png"), "jpeg"));
    auto doc = openDocument(qpath(dir / "really-a-jpeg.png"));
    CHECK(doc->pageSize(0) == QSizeF(8, 8));
}
