// leopard-train synth: reproducible for a seed, every answer derivable from
// the drawn pages, all categories present, and the files read back through
// the dataset reader the training loop uses.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "synth/dataset_writer.h"
#include "synth/examples.h"
#include "synth/qt_app.h"
#include "synth/verify.h"
#include "test_paths.h"

using namespace leopard::synth;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

SynthOptions smallRun(const fs::path& dir, uint64_t seed) {
    SynthOptions o;
    o.outDir = dir;
    o.seed = seed;
    o.trainCount = 18;
    o.evalCount = 12;
    return o;
}

}  // namespace

TEST_CASE("Rng: equal seeds give equal draws, ranges are respected", "[synth]") {
    Rng a(42), b(42), c(43);
    bool differs = false;
    for (int i = 0; i < 1000; ++i) {
        const auto x = a.intIn(-3, 7);
        CHECK(x == b.intIn(-3, 7));
        CHECK(x >= -3);
        CHECK(x <= 7);
        differs |= x != c.intIn(-3, 7);
        const double u = a.unit();
        CHECK(u == b.unit());
        CHECK(u >= 0.0);
        CHECK(u < 1.0);
    }
    CHECK(differs);
}

TEST_CASE("synth writes byte-identical files for the same seed", "[synth]") {
    ensureGuiApplication();
    leopard::test::TempDir one, two, other;
    writeSynthDataset(smallRun(one.path(), 5));
    writeSynthDataset(smallRun(two.path(), 5));
    writeSynthDataset(smallRun(other.path(), 6));

    int files = 0;
    for (const auto& e : fs::recursive_directory_iterator(one.path())) {
        if (!e.is_regular_file()) continue;
        const fs::path rel = fs::relative(e.path(), one.path());
        INFO(rel.string());
        REQUIRE(fs::exists(two.path() / rel));
        CHECK(slurp(e.path()) == slurp(two.path() / rel));
        ++files;
    }
    // the same number of files on both sides, and more than the two JSONL files
    int filesTwo = 0;
    for (const auto& e : fs::recursive_directory_iterator(two.path())) filesTwo += e.is_regular_file();
    CHECK(files == filesTwo);
    CHECK(files > 2 + 30);
    CHECK(slurp(one.path() / "train.jsonl") != slurp(other.path() / "train.jsonl"));
}

TEST_CASE("every sample's answer is derivable from its drawn pages; all categories appear", "[synth]") {
    ensureGuiApplication();
    SynthOptions o;
    o.seed = 11;
    std::set<std::string> seen;
    for (int i = 0; i < 72; ++i) {
        const Sample s = sampleAt(o, "train", i);
        INFO("sample " << i << " (" << categoryName(s.category) << "): " << s.question << " -> " << s.answer);
        CHECK(verifySample(s).empty());
        CHECK_FALSE(s.answer.empty());
        for (const auto& p : s.pages) {
            const int longSide = std::max(p.image.width(), p.image.height());
            CHECK(longSide >= o.canvas.minSide);
            CHECK(longSide <= o.canvas.maxSide);
        }
        seen.insert(categoryName(s.category));
    }
    CHECK(seen.size() == allCategories().size());
}

TEST_CASE("the derivability check rejects answers the pages do not show", "[synth]") {
    ensureGuiApplication();
    SynthOptions o;
    o.seed = 3;
    for (int i = 0; i < 12; ++i) {
        Sample s = sampleAt(o, "eval", i);
        INFO(categoryName(s.category) << ": " << s.question);
        Sample wrongAnswer = s;
        wrongAnswer.answer += "0";
        CHECK_FALSE(verifySample(wrongAnswer).empty());

        // erase the drawn titles, labels and values: nothing can be read any more
        Sample erased = s;
        for (auto& page : erased.pages) page.texts.erase(
            std::remove_if(page.texts.begin(), page.texts.end(),
                           [](const DrawnText& t) {
                               return t.role == Role::Value || t.role == Role::Label || t.role == Role::Title;
                           }),
            page.texts.end());
        CHECK_FALSE(verifySample(erased).empty());
    }
}

TEST_CASE("synth --categories restricts the generated questions", "[synth]") {
    ensureGuiApplication();
    SynthOptions o;
    o.seed = 2;
    o.categories = {Category::Count, Category::Diff};
    for (int i = 0; i < 6; ++i) {
        const Sample s = sampleAt(o, "train", i);
        CHECK((s.category == Category::Count || s.category == Category::Diff));
    }
}

TEST_CASE("reading exercises: the answer is every drawn text, line by line, and nothing else", "[synth]") {
    ensureGuiApplication();
    SynthOptions o;
    o.seed = 7;
    o.categories = readingCategories();
    for (int i = 0; i < 24; ++i) {
        const Sample s = sampleAt(o, "train", i);
        INFO("sample " << i << " (" << categoryName(s.category) << "): " << s.question << " -> " << s.answer);
        REQUIRE(s.pages.size() == 1);
        CHECK(verifySample(s).empty());
        const Page& page = s.pages[0];
        // Every drawn label, value and title appears in the answer, in drawing order.
        size_t at = 0;
        for (const auto& t : page.texts) {
            if (t.role == Role::Decoration) continue;
            const size_t found = s.answer.find(t.text, at);
            CHECK(found != std::string::npos);
            if (found != std::string::npos && t.role != Role::Value && t.role != Role::TotalValue) at = found;
        }
        if (s.category == Category::ReadText) {
            // small canvases of one to three tiles of 64 px; one or two lines
            CHECK(page.image.height() <= 128);
            CHECK(page.image.width() <= 192);
            CHECK(std::count(s.answer.begin(), s.answer.end(), '\n') <= 1);
        } else {
            CHECK(std::max(page.image.width(), page.image.height()) >= o.canvas.minSide);
            for (const auto& t : page.texts)
                if (t.role == Role::Label) CHECK(s.answer.find(t.text + ": " + *page.valueOf(t.text)) != std::string::npos);
        }
        Sample wrong = s;
        wrong.answer += "x";
        CHECK_FALSE(verifySample(wrong).empty());
    }
    // Not question categories: the default (and every eval set) leaves them out.
    for (Category c : readingCategories())
        CHECK(std::find(allCategories().begin(), allCategories().end(), c) == allCategories().end());
    CHECK(parseCategory("read_text") == Category::ReadText);
    CHECK(parseCategory("transcribe") == Category::Transcribe);
}

TEST_CASE("reading exercises never carry the short-answer instruction", "[synth]") {
    ensureGuiApplication();
    leopard::test::TempDir dir;
    SynthOptions o;
    o.outDir = dir.path();
    o.seed = 9;
    o.trainCount = 20;
    o.instructionRate = 1.0;
    o.categories = {Category::ReadText, Category::SingleRead};
    writeSynthDataset(o);
    std::ifstream in(dir / "train.jsonl");
    int reading = 0, questions = 0;
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line);
        const std::string human = j["conversations"][0]["value"];
        const bool instructed = human.find("single word or phrase") != std::string::npos;
        if (j["category"] == "read_text") {
            ++reading;
            CHECK_FALSE(instructed);
        } else {
            ++questions;
            CHECK(instructed);
        }
    }
    CHECK(reading == 10);
    CHECK(questions == 10);
}

TEST_CASE("synth output reads back through the dataset reader", "[synth]") {
    ensureGuiApplication();
    leopard::test::TempDir dir;
    const auto summary = writeSynthDataset(smallRun(dir.path(), 9));
    leopard::training::ReadReport report;
    const auto train = leopard::training::readTrainJsonl(dir / "train.jsonl", {}, &report);
    REQUIRE(train.size() == 18);
    CHECK(report.skipped == 0);
    for (const auto& s : train) {
        size_t markers = 0;
        const std::string& q = s.turns.at(0).value;
        for (size_t at = q.find("<image>"); at != std::string::npos; at = q.find("<image>", at + 1)) ++markers;
        CHECK(markers == s.images.size());
        CHECK_FALSE(s.turns.at(1).value.empty());
    }
    const auto eval = leopard::training::readEvalJsonl(dir / "eval.jsonl");
    REQUIRE(eval.size() == 12);
    int images = 0;
    for (const auto& s : train) images += static_cast<int>(s.images.size());
    for (const auto& s : eval) {
        images += static_cast<int>(s.images.size());
        CHECK((s.quesType == "multiple-choice" || s.quesType == "open-ended"));
        if (s.quesType == "multiple-choice") CHECK_FALSE(s.options.empty());
        CHECK(s.question.find("<image>") == std::string::npos);
    }
    CHECK(images == summary.images);
}

TEST_CASE("synth --examples writes the example documents with their facts", "[synth]") {
    ensureGuiApplication();
    leopard::test::TempDir dir;
    const auto names = writeExamples(dir.path());
    for (const auto& n : names) {
        INFO(n);
        CHECK(fs::file_size(dir / n) > 0);
    }
    CHECK(slurp(dir / "slides.pdf").rfind("%PDF", 0) == 0);
    CHECK(slurp(dir / "report.pdf").rfind("%PDF", 0) == 0);
    const std::string readme = slurp(dir / "README.md");
    CHECK(readme.find("Open roles 7") != std::string::npos);
    CHECK(readme.find("Theme (Light to Dark)") != std::string::npos);
    CHECK(slurp(dir / "screenshot-before.png") != slurp(dir / "screenshot-after.png"));
}

TEST_CASE("the committed examples/ folder holds every example", "[synth]") {
    for (const char* n : {"slides.pdf", "slides.odp", "slides.pptx", "report.pdf", "screenshot-before.png",
                          "screenshot-after.png", "README.md"}) {
        INFO(n);
        CHECK(fs::is_regular_file(leopard::test::examplesDir() / n));
    }
}
