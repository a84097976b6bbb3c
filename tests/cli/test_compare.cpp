// `leopard-cli compare`: several screenshots or pages as image 1, image 2, …
// in the order given.
#include <catch2/catch.hpp>

#include "cli_fixture.h"

namespace fs = std::filesystem;
using leopard::test::CliFixture;

TEST_CASE("cli compare: images are labelled in the order given", "[cli][slow]") {
    CliFixture f;
    const auto j = f.json({"compare", f.png2.string(), f.png.string(), "-q", "What changed?"});
    REQUIRE(j.at("sources").size() == 2);
    CHECK(fs::path(j["sources"][0]["file"].get<std::string>()).filename() == "after.png");
    CHECK(j["sources"][0]["image"] == 1);
    CHECK(fs::path(j["sources"][1]["file"].get<std::string>()).filename() == "before.png");
    CHECK(j["sources"][1]["image"] == 2);

    const auto prompt = f.run({"compare", f.png2.string(), f.png.string(), "-q", "What changed?", "--print-prompt"});
    REQUIRE(prompt.exitCode == 0);
    const size_t one = prompt.out.find("image 1: <|image_begin|>");
    const size_t two = prompt.out.find("image 2: <|image_begin|>");
    REQUIRE(one != std::string::npos);
    REQUIRE(two != std::string::npos);
    CHECK(one < two);

    // Streaming mode names the images on stderr.
    const auto text = f.run({"compare", f.png2.string(), f.png.string(), "-q", "What changed?", "--max-new-tokens", "4"});
    REQUIRE(text.exitCode == 0);
    CHECK(text.err.find("image 1: " + f.png2.string() + ", p. 1") != std::string::npos);
    CHECK(text.err.find("image 2: " + f.png.string() + ", p. 1") != std::string::npos);
}

TEST_CASE("cli compare: a document gives its first page unless --pages says otherwise", "[cli][slow]") {
    CliFixture f;
    auto j = f.json({"compare", f.pdf.string(), f.png.string(), "-q", "q"});
    REQUIRE(j.at("sources").size() == 2);
    CHECK(j["sources"][0]["page"] == 1);
    j = f.json({"compare", f.pdf.string(), "--pages", "2", f.png.string(), "-q", "q"});
    REQUIRE(j.at("sources").size() == 2);
    CHECK(j["sources"][0]["page"] == 2);
}

TEST_CASE("cli compare: one file is not a comparison", "[cli]") {
    CliFixture f;
    const auto r = f.run({"compare", f.png.string(), "-q", "q"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.find("at least two") != std::string::npos);
}
