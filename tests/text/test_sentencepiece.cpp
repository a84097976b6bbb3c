// SentencePiece: a model trained here with the project's trainer, then
// encoded/decoded through the Tokenizer interface and the factory.
#include "text/sentencepiece_tokenizer.h"
#include "text/sentencepiece_trainer.h"
#include "text/stream_decoder.h"
#include "text/tokenizer_factory.h"
#include "text_test_support.h"
#include "util/errors.h"

using namespace leopard::text;

namespace {

// A few KB of varied English.
std::vector<std::string> corpus() {
    const char* subjects[] = {"The report", "Our team", "This slide", "The chart", "A reader", "The table", "Each page"};
    const char* verbs[] = {"shows", "explains", "compares", "lists", "summarizes", "describes"};
    const char* objects[] = {"the quarterly revenue", "growth in 2024", "three key risks", "the market share",
                             "costs per region", "the main findings", "a new product line"};
    std::vector<std::string> lines;
    for (int i = 0; i < 120; ++i)
        lines.push_back(std::string(subjects[i % 7]) + " " + verbs[(i / 7) % 6] + " " + objects[(i * 3) % 7] +
                        ", page " + std::to_string(i + 1) + ".");
    return lines;
}

const std::vector<std::string> kSymbols = {"<|eot|>", "<|image|>"};

// One trained model for all tests in this file (training takes a moment).
const std::filesystem::path& trainedModelDir() {
    static leopard::test::TempDir dir;
    static const std::filesystem::path model = [] {
        SentencePieceTrainingOptions opt;
        opt.vocabSize = 400;
        opt.userDefinedSymbols = kSymbols;
        return trainSentencePiece(corpus(), opt, dir / "tokenizer");
    }();
    return dir.path();
}

}  // namespace

TEST_CASE("trained SentencePiece model: round trip and special ids", "[sentencepiece]") {
    const auto path = trainedModelDir() / "tokenizer.model";
    REQUIRE(std::filesystem::exists(path));
    const auto tok = SentencePieceTokenizer::fromFile(path);
    CHECK(tok->vocabSize() == 400);
    CHECK(tok->bosId() == 1);
    CHECK(tok->eosId() == 2);
    CHECK(tok->padId() == 3);
    CHECK(tok->tokenToId("<|eot|>") == 4);
    CHECK(tok->tokenToId("<|image|>") == 5);

    for (const std::string text : {"The report shows growth in 2024.", "  spaces,\ttabs\nand new lines  ",
                                   "unseen: Zürich 日本 🙂", ""}) {
        INFO(text);
        const auto ids = tok->encode(text, false);
        CHECK(tok->decode(ids, false) == text);
        StreamDecoder stream(*tok, false);
        std::string streamed;
        for (int32_t id : ids) streamed += stream.push(id);
        CHECK(streamed + stream.flush() == text);
    }

    const auto ids = tok->encode("Look<|image|> here<|eot|>", true);
    REQUIRE(ids.size() > 3);
    CHECK(ids.front() == 1);  // BOS
    CHECK(ids.back() == 4);
    CHECK(std::count(ids.begin(), ids.end(), 5) == 1);
    CHECK(tok->encode("</s>", false) == std::vector<int32_t>{2});  // control tokens by string
}

TEST_CASE("SentencePiece training is deterministic", "[sentencepiece]") {
    leopard::test::TempDir dir;
    SentencePieceTrainingOptions opt;
    opt.vocabSize = 400;
    opt.userDefinedSymbols = kSymbols;
    const auto again = trainSentencePiece(corpus(), opt, dir / "again");
    CHECK(leopard::test::readFile(again) == leopard::test::readFile(trainedModelDir() / "tokenizer.model"));
}

TEST_CASE("factory opens a SentencePiece folder with its declared special tokens", "[factory][sentencepiece]") {
    leopard::test::TempDir dir;
    std::filesystem::copy_file(trainedModelDir() / "tokenizer.model", dir / "tokenizer.model");
    std::ofstream(dir / "tokenizer_config.json")
        << R"({"bos_token": {"content": "<s>"}, "eos_token": "<|eot|>", "additional_special_tokens": ["<|eot|>", "<|image|>"]})";
    const auto tok = loadTokenizer(dir.path());
    CHECK(tok->eosId() == 4);
    CHECK(tok->bosId() == 1);
    CHECK(tok->isSpecial(4));
    CHECK(tok->isSpecial(5));
    CHECK(tok->decode(tok->encode("hi<|eot|>", false), true) == "hi");
    // A declared special token is one token wherever it stands, even first
    // (no dummy-prefix piece before it): prompts start with one.
    CHECK(tok->encode("<|image|>", false) == std::vector<int32_t>{5});
    CHECK(tok->encode("<|image|><|eot|>", false) == std::vector<int32_t>{5, 4});
}

TEST_CASE("SentencePiece errors", "[sentencepiece][errors]") {
    leopard::test::TempDir dir;
    std::ofstream(dir / "tokenizer.model") << "not a model";
    CHECK_THROWS_AS(SentencePieceTokenizer::fromFile(dir / "tokenizer.model"), leopard::InputError);
    SentencePieceTrainingOptions opt;
    opt.vocabSize = 100000;  // far more than a tiny corpus supports
    CHECK_THROWS_AS(trainSentencePiece(std::vector<std::string>{"tiny corpus"}, opt, dir / "big"), leopard::InputError);
}
