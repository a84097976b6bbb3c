// Prompt builder with the real LLaMA-3 tokenizer. Expected sequences are
// assembled here from LEOPARD.md §4's pieces: encodings of each text piece
// plus the special ids resolved by string.
#include <nlohmann/json.hpp>

#include "text/prompt.h"
#include "text_test_support.h"
#include "util/errors.h"

using namespace leopard::text;
using leopard::test::llama3Tokenizer;

namespace {

using Ids = std::vector<int32_t>;

struct Pieces {
    const Tokenizer& tok = llama3Tokenizer();
    PromptFormat f;
    int32_t id(const std::string& s) const { return tok.tokenToId(s).value(); }
    Ids enc(const std::string& s) const { return tok.encode(s, false); }
    Ids block(int tiles) const {
        Ids ids{id(f.imageBegin)};
        ids.insert(ids.end(), tiles, id(f.imagePlaceholder));
        ids.push_back(id(f.imageEnd));
        return ids;
    }
};

Ids cat(std::initializer_list<Ids> parts) {
    Ids out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

int32_t placeholderId() { return llama3Tokenizer().tokenToId("<|reserved_special_token_195|>").value(); }

}  // namespace

TEST_CASE("prompt: single image equals the golden reference prompt", "[prompt]") {
    // The golden file holds the reference's prompt string for one image of
    // two tiles and its token ids; find it by its BOS prefix.
    const auto golden = nlohmann::json::parse(leopard::test::readFile(leopard::test::goldenDir() / "llama3-tokenizer.json"));
    const nlohmann::json* reference = nullptr;
    for (const auto& c : golden["cases"])
        if (c["text"].get<std::string>().rfind("<|begin_of_text|><|start_header_id|>user", 0) == 0) reference = &c;
    REQUIRE(reference);
    const std::string text = (*reference)["text"];
    REQUIRE(text.find("What is the title?") != std::string::npos);

    PromptBuilder builder(llama3Tokenizer(), PromptFormat{}, placeholderId());
    const auto ids = builder.build({}, {"What is the title?", {}}, {2}, Instruction::DirectOpen);
    CHECK(ids == (*reference)["ids"].get<Ids>());
}

TEST_CASE("prompt: exact sequences from the spec pieces", "[prompt]") {
    Pieces p;
    PromptBuilder builder(p.tok, p.f, placeholderId());
    const Ids head = cat({{p.id(p.f.bos)}, p.enc(p.f.userHeader)});
    const Ids tail = cat({{p.id(p.f.endOfTurn)}, p.enc(p.f.assistantHeader)});
    const std::string direct = instructionText(Instruction::DirectOpen);

    SECTION("one image, three tiles") {
        CHECK(builder.build({}, {"What is the title?", {}}, {3}, Instruction::DirectOpen) ==
              cat({head, p.enc("image 1: "), p.block(3), p.enc(" What is the title?\n" + direct), tail}));
    }
    SECTION("several images, no markers: all in front, then one space") {
        CHECK(builder.build({}, {"Compare the charts.", {}}, {2, 1}, Instruction::None) ==
              cat({head, p.enc("image 1: "), p.block(2), p.enc("image 2: "), p.block(1), p.enc(" Compare the charts.\n"), tail}));
    }
    SECTION("markers replaced in order") {
        CHECK(builder.build({}, {"First <image> then <image>.", {}}, {1, 4}, Instruction::None) ==
              cat({head, p.enc("First image 1: "), p.block(1), p.enc(" then image 2: "), p.block(4), p.enc(".\n"), tail}));
    }
    SECTION("fewer markers than images: the missing ones go in front") {
        CHECK(builder.build({}, {"See <image>", {}}, {1, 2}, Instruction::None) ==
              cat({head, p.enc("image 1: "), p.block(1), p.enc(" See image 2: "), p.block(2), p.enc("\n"), tail}));
    }
    SECTION("multiple choice options and instruction") {
        const std::string mc = instructionText(Instruction::DirectMultipleChoice);
        CHECK(mc == "Answer with the option's letter from the given choices directly.");
        CHECK(builder.build({}, {"Which color?", {"red", "blue"}}, {1}, Instruction::DirectMultipleChoice) ==
              cat({head, p.enc("image 1: "), p.block(1), p.enc(" Which color?\nOptions: A. red B. blue\n\n" + mc), tail}));
    }
    SECTION("multi-turn: earlier answers and end_of_turn, one BOS") {
        const std::vector<Turn> history = {{{"<image> What is shown?", {}}, "A chart."}};
        const Ids ids = builder.build(history, {"Which year?", {}}, {2}, Instruction::None);
        CHECK(ids == cat({head, p.enc("image 1: "), p.block(2), p.enc(" What is shown?\n"), tail, p.enc("A chart."),
                          {p.id(p.f.endOfTurn)}, p.enc(p.f.userHeader), p.enc("Which year?\n"), tail}));
        CHECK(std::count(ids.begin(), ids.end(), p.id(p.f.bos)) == 1);
    }
}

TEST_CASE("prompt: training example masks all but the answers", "[prompt]") {
    Pieces p;
    PromptBuilder builder(p.tok, p.f, placeholderId());
    const std::vector<Message> conversation = {{Message::Role::User, "<image>\nDescribe it."},
                                               {Message::Role::Assistant, "A slide."},
                                               {Message::Role::User, "Title?"},
                                               {Message::Role::Assistant, "Results"}};
    const auto ex = builder.buildTrainingExample(conversation, {2});
    const Ids eot{p.id(p.f.endOfTurn)};
    const Ids prompt1 = cat({{p.id(p.f.bos)}, p.enc(p.f.userHeader), p.enc("image 1: "), p.block(2), p.enc("\nDescribe it."),
                             eot, p.enc(p.f.assistantHeader)});
    const Ids answer1 = cat({p.enc("A slide."), eot});
    const Ids prompt2 = cat({p.enc(p.f.userHeader), p.enc("Title?"), eot, p.enc(p.f.assistantHeader)});
    const Ids answer2 = cat({p.enc("Results"), eot});
    CHECK(ex.ids == cat({prompt1, answer1, prompt2, answer2}));
    std::vector<uint8_t> mask;
    for (const auto* part : {&prompt1, &answer1, &prompt2, &answer2})
        mask.insert(mask.end(), part->size(), part == &answer1 || part == &answer2 ? 1 : 0);
    CHECK(ex.lossMask == mask);
}

TEST_CASE("prompt: configuration errors", "[prompt][errors]") {
    using Catch::Matchers::Contains;
    const auto& tok = llama3Tokenizer();
    CHECK_THROWS_WITH(PromptBuilder(tok, PromptFormat{}, placeholderId() + 1), Contains("image_token_index"));
    PromptFormat missing;
    missing.endOfTurn = "<|no_such_token|>";
    CHECK_THROWS_AS(PromptBuilder(tok, missing, placeholderId()), leopard::InputError);
    PromptBuilder builder(tok, PromptFormat{}, placeholderId());
    CHECK_THROWS_AS(builder.build({}, {"<image><image>", {}}, {1}, Instruction::None), leopard::InputError);
}

TEST_CASE("prompt format from config.json", "[prompt]") {
    leopard::test::TempDir dir;
    CHECK(PromptFormat::fromModelDir(dir.path()).endOfTurn == "<|eot_id|>");  // no config: defaults
    std::ofstream(dir / "config.json") << R"({"image_token_index": 5, "leopard_prompt": {"end_of_turn": "<|eot|>", "image_placeholder": "<|image|>"}})";
    const auto f = PromptFormat::fromModelDir(dir.path());
    CHECK(f.endOfTurn == "<|eot|>");
    CHECK(f.imagePlaceholder == "<|image|>");
    CHECK(f.bos == "<|begin_of_text|>");
    std::ofstream(dir / "config.json") << R"({"leopard_prompt": {"eot": "x"}})";
    CHECK_THROWS_WITH(PromptFormat::fromModelDir(dir.path()), Catch::Matchers::Contains("config.json"));
}
