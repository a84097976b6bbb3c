// PDFs through Poppler: page count, sizes, rendering scale, text layer,
// encryption and rendering from several threads.
#include <catch2/catch.hpp>

#include <thread>

#include "documents/document_source.h"
#include "fixtures.h"
#include "test_paths.h"
#include "util/errors.h"

using namespace leopard;
using namespace leopard::test;
using Catch::Matchers::Contains;

TEST_CASE("a multi-page PDF has its pages, sizes and text", "[pdf]") {
    TempDir dir;
    writePdf(dir / "doc.pdf", {{"Alpha page one"}, {"Bravo page two"}, {"Charlie landscape", true}});
    auto doc = openDocument(qpath(dir / "doc.pdf"));
    REQUIRE(doc->kind() == DocumentKind::Pdf);
    REQUIRE(doc->pageCount() == 3);
    CHECK(doc->title() == "Leopard test document");
    // A4 is 595.3 × 841.9 points.
    CHECK(doc->pageSize(0).width() == Approx(595.3).margin(1));
    CHECK(doc->pageSize(0).height() == Approx(841.9).margin(1));
    CHECK(doc->pageSize(2).width() == Approx(841.9).margin(1));
    CHECK(doc->pageSize(2).height() == Approx(595.3).margin(1));

    CHECK_THAT(doc->pageText(0).toStdString(), Contains("Alpha page one"));
    CHECK_THAT(doc->pageText(1).toStdString(), Contains("Bravo page two"));
    CHECK_THAT(doc->pageText(2).toStdString(), Contains("Charlie landscape"));
    CHECK_THAT(doc->pageText(2).toStdString(), !Contains("Alpha"));

    const QImage page = doc->render(0, 2.0);  // 144 dpi
    CHECK(std::abs(page.width() - 1191) <= 1);
    CHECK(std::abs(page.height() - 1684) <= 1);
    // Paper is white; the black box drawn at (40,120) points is black.
    CHECK(QColor(page.pixel(5, 5)) == QColor(Qt::white));
    CHECK(qGray(page.pixel(2 * 140, 2 * 150)) < 20);

    const QImage landscape = doc->render(2, 1.0);
    CHECK(landscape.width() > landscape.height());
}

TEST_CASE("a page out of range is an input error naming the file", "[pdf]") {
    TempDir dir;
    writePdf(dir / "two.pdf", {{"one"}, {"two"}});
    auto doc = openDocument(qpath(dir / "two.pdf"));
    REQUIRE_THROWS_WITH(doc->render(2, 1.0), Contains("two.pdf") && Contains("out of range"));
    REQUIRE_THROWS_AS(doc->pageText(-1), InputError);
}

TEST_CASE("an encrypted PDF asks for its password", "[pdf]") {
    TempDir dir;
    writePdf(dir / "plain.pdf", {{"Top secret text"}});
    REQUIRE(shell("qpdf --encrypt s3cret s3cret 256 -- '" + (dir / "plain.pdf").string() + "' '" +
                  (dir / "locked.pdf").string() + "'") == 0);
    const QString locked = qpath(dir / "locked.pdf");

    SECTION("no password callback") {
        REQUIRE_THROWS_WITH(openDocument(locked), Contains("locked.pdf") && Contains("needs a password"));
    }
    SECTION("the right password, at the second attempt") {
        OpenOptions opt;
        std::vector<int> attempts;
        opt.password = [&](const QString& file, int attempt) -> std::optional<QString> {
            CHECK(file == locked);
            attempts.push_back(attempt);
            return attempt == 1 ? QString("guess") : QString("s3cret");
        };
        auto doc = openDocument(locked, opt);
        CHECK(attempts == std::vector<int>{1, 2});
        CHECK_THAT(doc->pageText(0).toStdString(), Contains("Top secret text"));
        CHECK(doc->clone()->render(0, 0.5).width() > 0);  // the clone reuses the password
    }
    SECTION("a wrong password") {
        OpenOptions opt;
        opt.password = [](const QString&, int) -> std::optional<QString> { return QString("nope"); };
        REQUIRE_THROWS_WITH(openDocument(locked, opt), Contains("locked.pdf") && Contains("wrong password"));
    }
    SECTION("the user gives up after a wrong password") {
        OpenOptions opt;
        opt.password = [](const QString&, int attempt) -> std::optional<QString> {
            if (attempt == 1) return QString("nope");
            return std::nullopt;
        };
        REQUIRE_THROWS_WITH(openDocument(locked, opt), Contains("wrong password"));
    }
}

TEST_CASE("one PDF rendered from many threads at once matches single-threaded renders", "[pdf][threads]") {
    TempDir dir;
    writeTextHeavyPdf(dir / "heavy.pdf", 4);
    auto doc = openDocument(qpath(dir / "heavy.pdf"));
    std::vector<QImage> expected;
    for (int p = 0; p < 4; ++p) expected.push_back(doc->render(p, 1.0));

    std::vector<QImage> got(16);
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t)
        threads.emplace_back([&, t] { got[size_t(t)] = doc->render(t % 4, 1.0); });
    for (auto& th : threads) th.join();
    for (int t = 0; t < 16; ++t) CHECK(got[size_t(t)] == expected[size_t(t % 4)]);
    // Pages differ from each other, so the comparison above means something.
    CHECK(expected[0] != expected[1]);
}

TEST_CASE("rendering stops when cancelled", "[pdf][cancel]") {
    TempDir dir;
    writePdf(dir / "doc.pdf", {{"x"}});
    auto doc = openDocument(qpath(dir / "doc.pdf"));
    CancelToken token;
    token.cancel();
    REQUIRE_THROWS_AS(doc->render(0, 1.0, &token), CancelledError);
}
