// Every kind of bad input gives one InputError naming the file and saying
// what is wrong with it; nothing crashes and nothing else is affected.
#include <catch2/catch.hpp>

#include "documents/document_source.h"
#include "fixtures.h"
#include "test_paths.h"
#include "util/errors.h"

using namespace leopard;
using namespace leopard::test;
using Catch::Matchers::Contains;

namespace {

// The message of the InputError that opening `path` (and rendering its
// first page, where damage may only show then) throws; fails without one.
std::string openError(const std::filesystem::path& path, const OpenOptions& options = {}) {
    try {
        auto doc = openDocument(qpath(path), options);
        doc->render(0, 1.0);
    } catch (const InputError& e) {
        return e.what();
    }
    FAIL("no InputError for " << path);
    return {};
}

}  // namespace

TEST_CASE("a corrupt PDF", "[bad-input]") {
    TempDir dir;
    writeBytes(dir / "corrupt.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage \x01\x02\x03 no xref\n");
    const std::string msg = openError(dir / "corrupt.pdf");
    CHECK_THAT(msg, Contains("corrupt.pdf: "));
    CHECK_THAT(msg, Contains("PDF"));
}

TEST_CASE("a truncated PDF", "[bad-input]") {
    TempDir dir;
    writePdf(dir / "whole.pdf", {{"one"}, {"two"}});
    const QByteArray whole = readBytes(dir / "whole.pdf");
    writeBytes(dir / "truncated.pdf", whole.left(whole.size() / 3));
    CHECK_THAT(openError(dir / "truncated.pdf"), Contains("truncated.pdf: "));
}

TEST_CASE("a PDF without pages", "[bad-input]") {
    TempDir dir;
    // Hand-written: QPdfWriter always emits a page. Poppler rebuilds the
    // cross-reference table, so offsets need not be exact.
    writeBytes(dir / "empty.pdf",
               "%PDF-1.4\n"
               "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
               "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
               "trailer << /Root 1 0 R /Size 3 >>\n%%EOF\n");
    CHECK_THAT(openError(dir / "empty.pdf"), Contains("empty.pdf: ") && Contains("no pages"));
}

TEST_CASE("a .png that is really text", "[bad-input]") {
    TempDir dir;
    writeBytes(dir / "notes.png", "These are my notes, not a picture.\n");
    CHECK(openError(dir / "notes.png") == (dir / "notes.png").string() + ": not a PNG image: its content is something else");
}

TEST_CASE("a 0-byte file", "[bad-input]") {
    TempDir dir;
    writeBytes(dir / "nothing.pdf", "");
    CHECK(openError(dir / "nothing.pdf") == (dir / "nothing.pdf").string() + ": the file is empty (0 bytes)");
}

TEST_CASE("a 0×0 image", "[bad-input]") {
    TempDir dir;
    writeBytes(dir / "zero.png", pngHeaderOnly(0, 0));
    CHECK_THAT(openError(dir / "zero.png"), Contains("zero.png: "));
    // A BMP can state 0×0 without breaking its format's rules.
    QImage one(1, 1, QImage::Format_RGB32);
    one.fill(Qt::red);
    REQUIRE(one.save(qpath(dir / "one.bmp"), "bmp"));
    QByteArray bmp = readBytes(dir / "one.bmp");
    for (int i = 18; i < 26; ++i) bmp[i] = 0;  // biWidth, biHeight
    writeBytes(dir / "zero.bmp", bmp);
    CHECK_THAT(openError(dir / "zero.bmp"), Contains("zero.bmp: "));
}

TEST_CASE("a decompression bomb is refused before decoding", "[bad-input]") {
    TempDir dir;
    // 100000 × 100000 pixels declared in 33 bytes: decoding would need 30 GB.
    writeBytes(dir / "bomb.png", pngHeaderOnly(100000, 100000));
    const std::string msg = openError(dir / "bomb.png");
    CHECK_THAT(msg, Contains("bomb.png: ") && Contains("100000×100000") && Contains("decompression bomb"));

    // The limit is an option: a real image above a lowered limit is refused too.
    REQUIRE(quadrantImage(QSize(200, 100)).save(qpath(dir / "big.png")));
    OpenOptions strict;
    strict.maxImagePixels = 10000;
    CHECK_THAT(openError(dir / "big.png", strict), Contains("above the limit of 10000 pixels"));
    CHECK_NOTHROW(openDocument(qpath(dir / "big.png")));
}

TEST_CASE("an unreadable path", "[bad-input]") {
    TempDir dir;
    CHECK(openError(dir / "missing.pdf") == (dir / "missing.pdf").string() + ": no such file");
    std::filesystem::create_directory(dir / "folder.pdf");
    CHECK_THAT(openError(dir / "folder.pdf"), Contains("folder.pdf: is a folder"));
}

TEST_CASE("an unsupported file", "[bad-input]") {
    TempDir dir;
    writeBytes(dir / "data.xyz", "just some bytes");
    CHECK_THAT(openError(dir / "data.xyz"), Contains("data.xyz: not a supported document"));
}

TEST_CASE("one bad file does not stop the others", "[bad-input]") {
    TempDir dir;
    writePdf(dir / "good.pdf", {{"fine"}});
    writeBytes(dir / "bad.pdf", "");
    std::vector<std::string> errors;
    int pages = 0;
    for (const auto& f : {dir / "bad.pdf", dir / "good.pdf"}) {
        try {
            pages += openDocument(qpath(f))->pageCount();
        } catch (const InputError& e) {
            errors.push_back(e.what());
        }
    }
    CHECK(pages == 1);
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Contains("bad.pdf"));
}
