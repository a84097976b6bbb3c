// libpng reading and writing: round trip, conversions to RGB, bad files.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

#include "imaging/png_io.h"
#include "test_paths.h"
#include "util/errors.h"

using namespace leopard::imaging;

TEST_CASE("PNGs round-trip pixel for pixel", "[png_io]") {
    leopard::test::TempDir dir;
    ImageRGB img(7, 5);
    for (size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = static_cast<uint8_t>(i * 37 % 256);
    writePng(dir / "a.png", img);
    const ImageRGB back = readPng(dir / "a.png");
    CHECK(back.width == 7);
    CHECK(back.height == 5);
    CHECK(back.pixels == img.pixels);
}

TEST_CASE("a truncated PNG is an input error, not a crash", "[png_io]") {
    leopard::test::TempDir dir;
    ImageRGB img(64, 64);
    for (size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = static_cast<uint8_t>(i * 131 % 251);
    writePng(dir / "full.png", img);
    std::ifstream in(dir / "full.png", std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(dir / "cut.png", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    CHECK_THROWS_AS(readPng(dir / "cut.png"), leopard::InputError);
}

TEST_CASE("unreadable and non-PNG files are input errors naming the file", "[png_io]") {
    leopard::test::TempDir dir;
    {
        std::ofstream text(dir / "fake.png");
        text << "this is not a PNG, only text pretending to be one\n";
    }
    std::ofstream(dir / "empty.png").close();
    for (const char* name : {"fake.png", "empty.png", "missing.png"}) {
        INFO(name);
        try {
            readPng(dir / name);
            FAIL("no error");
        } catch (const leopard::InputError& e) {
            CHECK(std::string(e.what()).find(name) != std::string::npos);
        }
    }
    CHECK_THROWS_AS(writePng(dir / "no-such-dir" / "x.png", ImageRGB(2, 2)), leopard::InputError);
    CHECK_THROWS_AS(writePng(dir / "empty-image.png", ImageRGB{}), leopard::InputError);
}
