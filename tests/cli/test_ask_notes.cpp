// `leopard-cli ask --notes`: Markdown entries with page thumbnails beside the
// notes file, JSON lines, appended twice without loss.
#include <catch2/catch.hpp>

#include <sstream>

#include <QImage>

#include "cli_fixture.h"

namespace fs = std::filesystem;
using leopard::test::CliFixture;

namespace {
int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}
}  // namespace

TEST_CASE("cli notes: two asks append two Markdown entries with thumbnails", "[cli][slow]") {
    CliFixture f;
    const fs::path notes = f.dir / "notes" / "research.md";
    fs::create_directory(f.dir / "notes");
    for (const char* q : {"What is the budget?", "How many sites?"}) {
        const auto r = f.run({"ask", f.pdf.string(), f.png.string(), "-q", q, "--notes", notes.string(),
                              "--max-new-tokens", "6"});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
    }
    const std::string md = leopard::test::readText(notes);
    CHECK(md.find("## What is the budget?") < md.find("## How many sites?"));
    CHECK(count(md, "Sources: report.pdf, p. 1; report.pdf, p. 2; before.png, p. 1") == 2);
    CHECK(count(md, "- Model: default (cpu, float32)") == 2);
    CHECK(count(md, "- Date: ") == 2);

    const fs::path assets = f.dir / "notes" / "research.assets";
    int links = 0;
    for (size_t at = md.find("](research.assets/"); at != std::string::npos; at = md.find("](research.assets/", at + 1)) {
        const std::string name = md.substr(at + 18, md.find(')', at) - at - 18);
        const QImage thumb(QString::fromStdString((assets / name).string()));
        CHECK(thumb.height() == 160);
        ++links;
    }
    CHECK(links == 6);
}

TEST_CASE("cli notes: --notes FILE.jsonl appends one JSON object per answer", "[cli][slow]") {
    CliFixture f;
    const fs::path notes = f.dir / "notes.jsonl";
    for (int i = 0; i < 2; ++i)
        REQUIRE(f.run({"ask", f.png.string(), "-q", "q" + std::to_string(i), "--notes", notes.string(),
                       "--max-new-tokens", "4"}).exitCode == 0);
    std::istringstream in(leopard::test::readText(notes));
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    REQUIRE(lines.size() == 2);
    CHECK(lines[1]["question"] == "q1");
    CHECK(lines[0]["sources"][0]["page"] == 1);
    CHECK(fs::is_regular_file(f.dir / lines[0]["sources"][0]["thumbnail"].get<std::string>()));
}
