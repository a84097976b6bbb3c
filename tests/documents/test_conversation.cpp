// The ask API end to end with the build-time placeholder model (tiny, random
// weights: the answers are noise, so the tests check the plumbing — sources,
// tiles, prompt layout, cache reuse, streaming, cancellation, failures).
#include <catch2/catch.hpp>

#include <regex>

#include "documents/conversation.h"
#include "fixtures.h"
#include "test_paths.h"
#include "util/errors.h"
#include "util/paths.h"

namespace fs = std::filesystem;
using leopard::test::qpath;
using leopard::test::TempDir;

namespace {

std::shared_ptr<const leopard::ModelHandle> tinyModel() {
    static auto model = [] {
        leopard::ModelHandle::Options o;
        o.device = "cpu";
        o.dtype = "f32";
        return leopard::ModelHandle::load(leopard::bundledModelDir(), o);
    }();
    return model;
}

// A two-page PDF and a PNG in a fresh folder.
struct Inputs {
    TempDir dir;
    fs::path pdf = dir / "report.pdf";
    fs::path png = dir / "chart.png";
    Inputs() {
        leopard::test::writePdf(pdf, {{"Revenue 2024"}, {"Costs 2024", true}});
        leopard::test::quadrantImage({640, 400}).save(qpath(png));
    }
};

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

leopard::AskOptions shortAnswers() {
    leopard::AskOptions o;
    o.maxNewTokens = 12;
    return o;
}

}  // namespace

TEST_CASE("conversation: a PDF and an image give a streamed answer and the pages used", "[conversation]") {
    Inputs in;
    leopard::Conversation chat(tinyModel());
    chat.setSources({{qpath(in.pdf), ""}, {qpath(in.png), ""}});
    std::string streamed;
    std::vector<std::string> stages;
    leopard::AskCallbacks cb;
    cb.onText = [&](const std::string& piece) { streamed += piece; };
    cb.progress = [&](const leopard::Progress& p) {
        if (stages.empty() || stages.back() != p.stage) stages.push_back(p.stage);
        return true;
    };
    auto opt = shortAnswers();
    opt.ignoreEndOfTurn = true;  // a random model may end at once; this one must say something
    const auto r = chat.ask("What does the chart show?", opt, cb);

    CHECK(r.answer == streamed);
    CHECK(r.timings.generatedTokens == 12);
    CHECK(r.finishReason == leopard::FinishReason::MaxTokens);
    REQUIRE(r.pages.size() == 3);
    CHECK(r.pages[0].file == qpath(in.pdf));
    CHECK(r.pages[0].page == 1);
    CHECK(r.pages[1].page == 2);
    CHECK(r.pages[2].file == qpath(in.png));
    CHECK(r.pages[2].page == 1);
    int tiles = 0;
    for (size_t i = 0; i < r.pages.size(); ++i) {
        CHECK(r.pages[i].image == static_cast<int>(i) + 1);
        CHECK(r.pages[i].modelTiles >= 1);
        tiles += r.pages[i].modelTiles;
    }
    CHECK(tiles <= opt.tileBudget);
    CHECK(r.tilesEncoded == tiles);
    CHECK(r.model.name == "default");
    CHECK(r.model.device == "cpu");
    CHECK(r.model.dtype == "float32");
    CHECK(r.timings.render > 0);
    CHECK(r.timings.promptTokens > tiles);
    for (const char* stage : {"rendering", "tiling", "encoding", "prefill", "generating"})
        CHECK(std::find(stages.begin(), stages.end(), stage) != stages.end());
    REQUIRE(chat.turns().size() == 1);
    CHECK(chat.turns()[0].answer == r.answer);
    CHECK(chat.pageImages().size() == 3);
}

TEST_CASE("conversation: a follow-up reuses the cache; new sources are encoded again", "[conversation]") {
    Inputs in;
    leopard::Conversation chat(tinyModel());
    chat.setSources({{qpath(in.pdf), ""}, {qpath(in.png), ""}});
    const auto first = chat.ask("What is on page one?", shortAnswers());
    REQUIRE(first.tilesEncoded > 0);

    const auto second = chat.ask("And on page two?", shortAnswers());
    CHECK(second.tilesEncoded == 0);
    CHECK(second.timings.render == 0);
    CHECK(second.timings.reusedTokens > 0);
    CHECK(second.pages.size() == first.pages.size());
    CHECK(chat.turns().size() == 2);

    chat.setSources({{qpath(in.png), ""}});
    const auto third = chat.ask("And the chart alone?", shortAnswers());
    CHECK(third.tilesEncoded == third.pages.at(0).modelTiles);
    CHECK(chat.turns().size() == 3);  // the text of the conversation stays
}

TEST_CASE("conversation: a page selection picks pages in the order given", "[conversation]") {
    Inputs in;
    leopard::Conversation chat(tinyModel());
    chat.setSources({{qpath(in.pdf), "2,1"}});
    const auto r = chat.ask("Which page is landscape?", shortAnswers());
    REQUIRE(r.pages.size() == 2);
    CHECK(r.pages[0].page == 2);
    CHECK(r.pages[1].page == 1);
    CHECK(r.pages[0].width > r.pages[0].height);  // page 2 is landscape

    chat.setSources({{qpath(in.pdf), "3"}});
    CHECK_THROWS_AS(chat.ask("q", shortAnswers()), leopard::InputError);
}

TEST_CASE("conversation: the prompt labels the images in order with one placeholder per tile", "[conversation]") {
    Inputs in;
    leopard::Conversation chat(tinyModel());
    chat.setSources({{qpath(in.png), ""}, {qpath(in.pdf), "1"}});
    const std::string prompt = chat.promptText("What changed?", {});
    const auto images = chat.pageImages();
    REQUIRE(images.size() == 2);
    const size_t one = prompt.find("image 1: <|image_begin|>");
    const size_t two = prompt.find("image 2: <|image_begin|>");
    REQUIRE(one != std::string::npos);
    REQUIRE(two != std::string::npos);
    CHECK(one < two);
    CHECK(prompt.find("image 3:") == std::string::npos);
    CHECK(prompt.find("What changed?") > two);
    // The placeholders of each block are the tiles of its page.
    const auto r = chat.ask("What changed?", shortAnswers());
    const std::regex block("image (\\d): <\\|image_begin\\|>((?:<\\|image\\|>)+)<\\|image_end\\|>");
    int k = 0;
    for (std::sregex_iterator it(prompt.begin(), prompt.end(), block), end; it != end; ++it, ++k) {
        REQUIRE(k < 2);
        CHECK(std::stoi((*it)[1]) == k + 1);
        CHECK(count((*it)[2], "<|image|>") == r.pages[k].modelTiles);
    }
    CHECK(k == 2);
    CHECK(r.pages[0].file == qpath(in.png));
}

TEST_CASE("conversation: cancelling during generation keeps the partial answer", "[conversation]") {
    Inputs in;
    leopard::Conversation chat(tinyModel());
    chat.setSources({{qpath(in.png), ""}});
    auto opt = shortAnswers();
    opt.maxNewTokens = 400;
    opt.ignoreEndOfTurn = true;
    std::string streamed;
    int pieces = 0;
    leopard::AskCallbacks cb;
    cb.onText = [&](const std::string& piece) {
        streamed += piece;
        if (++pieces == 3) opt.cancel.cancel();  // e.g. the Stop button, from any thread
    };
    const auto r = chat.ask("Tell me everything.", opt, cb);
    CHECK(r.finishReason == leopard::FinishReason::Cancelled);
    CHECK(r.answer == streamed);
    CHECK_FALSE(r.answer.empty());
    CHECK(r.timings.generatedTokens < 400);
    REQUIRE(chat.turns().size() == 1);
    CHECK(chat.turns()[0].finishReason == leopard::FinishReason::Cancelled);

    // Cancelled before anything ran: nothing is recorded.
    leopard::AskOptions early = shortAnswers();
    early.cancel.cancel();
    chat.setSources({{qpath(in.pdf), ""}});
    CHECK_THROWS_AS(chat.ask("q", early), leopard::CancelledError);
    CHECK(chat.turns().size() == 1);
}

TEST_CASE("conversation: files that fail are named and left out; all failing is an input error", "[conversation]") {
    Inputs in;
    const fs::path bogus = in.dir / "broken.pdf";
    leopard::test::writeBytes(bogus, "%PDF-1.4 this is not a PDF");
    const fs::path missing = in.dir / "missing.png";
    leopard::Conversation chat(tinyModel());

    chat.setSources({{qpath(bogus), ""}, {qpath(in.png), ""}});
    std::vector<std::string> warned;
    leopard::AskCallbacks cb;
    cb.onWarning = [&](const std::string& w) { warned.push_back(w); };
    const auto r = chat.ask("q", shortAnswers(), cb);
    REQUIRE(r.pages.size() == 1);
    CHECK(r.pages[0].file == qpath(in.png));
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings == warned);
    CHECK(r.warnings[0].find("broken.pdf") != std::string::npos);

    chat.setSources({{qpath(bogus), ""}, {qpath(missing), ""}});
    try {
        chat.ask("q", shortAnswers());
        FAIL("expected an InputError");
    } catch (const leopard::InputError& e) {
        const std::string msg = e.what();
        const size_t a = msg.find("broken.pdf"), b = msg.find("missing.png");
        REQUIRE(a != std::string::npos);
        REQUIRE(b != std::string::npos);
        CHECK(msg.find('\n', a) < b);  // one line per file
    }
}

TEST_CASE("conversation: bad questions and budgets are input errors", "[conversation]") {
    Inputs in;
    leopard::Conversation chat(tinyModel());
    CHECK_THROWS_AS(chat.ask("q", shortAnswers()), leopard::InputError);  // no sources
    chat.setSources({{qpath(in.png), ""}});
    CHECK_THROWS_AS(chat.ask("  \n", shortAnswers()), leopard::InputError);
    auto opt = shortAnswers();
    opt.tileBudget = 0;
    CHECK_THROWS_AS(chat.ask("q", opt), leopard::InputError);
    CHECK(chat.turns().empty());
}

TEST_CASE("conversation: more pages than the budget shows are refused or cut, never dropped silently",
          "[conversation]") {
    TempDir dir;
    const fs::path pdf = dir / "deck.pdf";
    leopard::test::writePdf(pdf, {{"1"}, {"2"}, {"3"}, {"4"}, {"5"}, {"6"}});
    leopard::Conversation chat(tinyModel());
    chat.setSources({{qpath(pdf), ""}});
    auto opt = shortAnswers();
    opt.tileBudget = 5;
    try {
        chat.ask("q", opt);
        FAIL("expected an InputError");
    } catch (const leopard::InputError& e) {
        CHECK(std::string(e.what()).find("6 pages") != std::string::npos);
    }

    opt.takeFirstPages = true;
    const auto r = chat.ask("q", opt);
    REQUIRE(r.pages.size() == 4);
    CHECK(r.pages.back().page == 4);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].find("deck.pdf, p. 5\u20136") != std::string::npos);

    // Fewer pages than the budget but more tiles than it: every page keeps
    // its global view and the total stays within the budget.
    opt.tileBudget = 8;
    opt.takeFirstPages = false;
    const auto spread = chat.ask("q", opt);
    REQUIRE(spread.pages.size() == 6);
    int tiles = 0;
    for (const auto& p : spread.pages) tiles += p.modelTiles;
    CHECK(tiles <= 8);
}

TEST_CASE("conversation: a model folder without weights or tokenizer fails to load", "[conversation]") {
    TempDir dir;
    const std::vector<std::vector<std::string>> removals = {{"model.safetensors"},
                                                            {"tokenizer.json", "tokenizer.model"}};
    for (const auto& missing : removals) {
        const fs::path copy = dir / missing.front();
        fs::copy(leopard::bundledModelDir(), copy, fs::copy_options::recursive);
        int removed = 0;
        for (const auto& name : missing) removed += fs::remove(copy / name) ? 1 : 0;
        REQUIRE(removed == 1);
        CHECK_THROWS_AS(leopard::ModelHandle::load(copy, {}), leopard::InputError);
    }
    CHECK_THROWS_AS(leopard::ModelHandle::load(dir / "nowhere", {}), leopard::InputError);
}
