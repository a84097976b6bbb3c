// Notes files: Markdown entries with relative thumbnail links, JSON lines,
// appending without losing what was there, and refusing unusable paths
// before any work is done.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

#include <QImage>
#include <nlohmann/json.hpp>

#include "documents/notes.h"
#include "test_paths.h"
#include "util/errors.h"

namespace fs = std::filesystem;
using leopard::test::TempDir;

namespace {

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

leopard::NoteEntry sampleEntry(const std::string& question) {
    leopard::AskResult r;
    r.answer = "Revenue grew 12 %.\n# not a heading";
    r.model.name = "tiny";
    r.model.device = "cpu";
    r.model.dtype = "float32";
    r.pages = {{"/docs/My Report.pdf", 2, 1, 3, 600, 800}, {"/docs/shot.png", 1, 2, 1, 300, 200}};
    QImage page(600, 800, QImage::Format_RGB888);
    page.fill(Qt::white);
    QImage shot(300, 200, QImage::Format_RGB888);
    shot.fill(Qt::blue);
    return leopard::noteFromResult(question, r, {page, shot});
}

}  // namespace

TEST_CASE("notes: the format follows the extension", "[notes]") {
    CHECK(leopard::notesFormatFor("a/b.md") == leopard::NotesFormat::Markdown);
    CHECK(leopard::notesFormatFor("b.MARKDOWN") == leopard::NotesFormat::Markdown);
    CHECK(leopard::notesFormatFor("b.json") == leopard::NotesFormat::JsonLines);
    CHECK(leopard::notesFormatFor("b.jsonl") == leopard::NotesFormat::JsonLines);
    CHECK_THROWS_AS(leopard::notesFormatFor("b.txt"), leopard::InputError);
}

TEST_CASE("notes: thumbnails are scaled to the note height", "[notes]") {
    const auto e = sampleEntry("q");
    REQUIRE(e.sources.size() == 2);
    CHECK(e.sources[0].thumbnail.height() == leopard::kNoteThumbnailHeight);
    CHECK(e.sources[0].thumbnail.width() == 120);  // 600×800 keeps its aspect
    CHECK(e.sources[1].page == 1);
}

TEST_CASE("notes: two Markdown appends keep the first entry and link thumbnails relatively", "[notes]") {
    TempDir dir;
    const fs::path notes = dir / "my notes.md";
    {
        std::ofstream(notes) << "# My notes\n\nwritten by hand";  // no final newline
    }
    leopard::appendNote(notes, sampleEntry("What grew?"));
    leopard::appendNote(notes, sampleEntry("What else?"));

    const std::string md = readAll(notes);
    CHECK(md.rfind("# My notes\n\nwritten by hand\n", 0) == 0);
    CHECK(md.find("## What grew?") < md.find("## What else?"));
    CHECK(md.find("## What else?") != std::string::npos);
    CHECK(count(md, "Sources: My Report.pdf, p. 2; shot.png, p. 1") == 2);
    CHECK(count(md, "Model: tiny (cpu, float32)") == 2);
    CHECK(md.find("> # not a heading") != std::string::npos);  // answers are quoted

    // Links: relative to the notes folder, percent-encoded, files exist.
    const fs::path assets = dir / "my notes.assets";
    REQUIRE(fs::is_directory(assets));
    int links = 0;
    for (size_t at = md.find("](my%20notes.assets/"); at != std::string::npos;
         at = md.find("](my%20notes.assets/", at + 1)) {
        const size_t end = md.find(')', at);
        const std::string name = md.substr(at + 20, end - at - 20);
        CHECK(fs::is_regular_file(assets / name));
        QImage thumb(QString::fromStdString((assets / name).string()));
        CHECK(thumb.height() == leopard::kNoteThumbnailHeight);
        ++links;
    }
    CHECK(links == 4);
    CHECK(std::distance(fs::directory_iterator(assets), fs::directory_iterator()) == 4);
    // No temporary file left behind.
    for (const auto& f : fs::directory_iterator(dir.path()))
        CHECK(f.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("notes: JSON lines append one object per entry", "[notes]") {
    TempDir dir;
    const fs::path notes = dir / "notes.jsonl";
    auto e = sampleEntry("first");
    leopard::appendNote(notes, e);
    e.question = "second";
    e.finishReason = leopard::FinishReason::Cancelled;
    leopard::appendNote(notes, e);

    std::ifstream in(notes);
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0]["question"] == "first");
    CHECK(lines[1]["question"] == "second");
    CHECK(lines[1]["stop_reason"] == "cancelled");
    CHECK(lines[0]["answer"] == e.answer);
    CHECK(lines[0]["model"] == "tiny");
    REQUIRE(lines[0]["sources"].size() == 2);
    CHECK(lines[0]["sources"][0]["file"] == "/docs/My Report.pdf");
    CHECK(lines[0]["sources"][0]["page"] == 2);
    const std::string thumb = lines[0]["sources"][1]["thumbnail"];
    CHECK(fs::is_regular_file(dir / thumb));
}

TEST_CASE("notes: a partial answer is marked in Markdown", "[notes]") {
    TempDir dir;
    auto e = sampleEntry("q");
    e.finishReason = leopard::FinishReason::Cancelled;
    leopard::appendNote(dir / "n.md", e);
    CHECK(readAll(dir / "n.md").find("partial") != std::string::npos);
}

TEST_CASE("notes: unusable paths are refused before anything is written", "[notes]") {
    TempDir dir;
    CHECK_THROWS_AS(leopard::checkNotesTarget(dir / "missing" / "n.md"), leopard::InputError);
    CHECK_THROWS_AS(leopard::checkNotesTarget(dir / "n.txt"), leopard::InputError);
    CHECK_NOTHROW(leopard::checkNotesTarget(dir / "n.md"));

    // A folder nobody may write in: permission bits do not stop root, /proc does.
    fs::path ro = dir / "ro";
    fs::create_directory(ro);
    ::chmod(ro.c_str(), 0555);
    if (::geteuid() == 0) ro = "/proc";
    CHECK_THROWS_AS(leopard::checkNotesTarget(ro / "n.md"), leopard::InputError);
    CHECK_THROWS_AS(leopard::appendNote(ro / "n.md", sampleEntry("q")), leopard::InputError);
    CHECK_FALSE(fs::exists(ro / "n.assets"));
    ::chmod((dir / "ro").c_str(), 0755);
}
