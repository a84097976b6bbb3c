// tokenizer.json features the LLaMA-3 file does not exercise, on small
// tokenizers built here: merge encodings and ranks, ignore_merges,
// TemplateProcessing, added-token flags, the model vocabulary limit, errors.
#include <nlohmann/json.hpp>

#include "text/byte_level.h"
#include "text_test_support.h"
#include "util/errors.h"

using leopard::text::BpeTokenizer;
using leopard::text::bytesToByteLevel;
using json = nlohmann::json;

namespace {

// A byte-level tokenizer: ids 0..255 are the bytes, then `extra` tokens
// (byte-level strings), merges as given, and added tokens after that.
struct Spec {
    std::vector<std::string> extra;
    json merges = json::array();
    json added = json::array();
    json postProcessor = {{"type", "ByteLevel"}};
    bool ignoreMerges = false;
    std::string modelType = "BPE";
};

json makeTokenizerJson(const Spec& spec) {
    json vocab = json::object();
    for (int b = 0; b < 256; ++b) vocab[bytesToByteLevel(std::string(1, static_cast<char>(b)))] = b;
    int id = 256;
    for (const auto& t : spec.extra) vocab[t] = id++;
    return {{"version", "1.0"},
            {"added_tokens", spec.added},
            {"normalizer", nullptr},
            {"pre_tokenizer",
             {{"type", "Sequence"},
              {"pretokenizers",
               json::array({{{"type", "Split"},
                             {"pattern", {{"Regex", R"( ?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+|\s+)"}}},
                             {"behavior", "Isolated"},
                             {"invert", false}},
                            {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}})}}},
            {"post_processor", spec.postProcessor},
            {"decoder", {{"type", "ByteLevel"}}},
            {"model",
             {{"type", spec.modelType},
              {"unk_token", nullptr},
              {"ignore_merges", spec.ignoreMerges},
              {"vocab", vocab},
              {"merges", spec.merges}}}};
}

std::unique_ptr<BpeTokenizer> make(const Spec& spec) { return BpeTokenizer::fromJson(makeTokenizerJson(spec).dump(), "test.json"); }

json addedToken(const std::string& content, int id, bool special, bool lstrip = false, bool rstrip = false,
                bool singleWord = false) {
    return {{"id", id},          {"content", content}, {"single_word", singleWord}, {"lstrip", lstrip},
            {"rstrip", rstrip}, {"normalized", false}, {"special", special}};
}

std::vector<int32_t> bytesOf(const std::string& s) {
    std::vector<int32_t> ids;
    for (unsigned char c : s) ids.push_back(c);
    return ids;
}

}  // namespace

TEST_CASE("merges as \"a b\" strings and as pairs are the same", "[bpe]") {
    Spec strings;
    strings.extra = {"he", "ll", "hell", "hello"};
    strings.merges = {"h e", "l l", "he ll", "hell o"};
    Spec pairs = strings;
    pairs.merges = json::array({{"h", "e"}, {"l", "l"}, {"he", "ll"}, {"hell", "o"}});
    const auto a = make(strings), b = make(pairs);
    CHECK(a->encode("hello", false) == std::vector<int32_t>{259});
    CHECK(b->encode("hello", false) == a->encode("hello", false));
    CHECK(a->encode("help", false) == std::vector<int32_t>{256, 'l', 'p'});
}

TEST_CASE("lower-ranked merges apply first", "[bpe]") {
    Spec s;
    s.extra = {"ab", "bc"};
    s.merges = {"b c", "a b"};
    CHECK(make(s)->encode("abc", false) == std::vector<int32_t>{'a', 257});
    s.merges = {"a b", "b c"};
    CHECK(make(s)->encode("abc", false) == std::vector<int32_t>{256, 'c'});
}

TEST_CASE("ignore_merges emits a whole pre-token found in the vocabulary", "[bpe]") {
    Spec s;
    s.extra = {bytesToByteLevel(" world")};  // reachable by no merge
    CHECK(make(s)->encode(" world", false) == bytesOf(" world"));
    s.ignoreMerges = true;
    CHECK(make(s)->encode(" world", false) == std::vector<int32_t>{256});
}

TEST_CASE("TemplateProcessing adds BOS only with addSpecialTokens", "[bpe]") {
    Spec s;
    s.added = json::array({addedToken("<s>", 256, true)});
    s.postProcessor = {{"type", "Sequence"},
                       {"processors",
                        json::array({{{"type", "ByteLevel"}},
                                     {{"type", "TemplateProcessing"},
                                      {"single", json::array({{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}},
                                                              {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
                                      {"pair", json::array()},
                                      {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {256}}, {"tokens", {"<s>"}}}}}}}})}};
    const auto tok = make(s);
    CHECK(tok->encode("hi", true) == std::vector<int32_t>{256, 'h', 'i'});
    CHECK(tok->encode("hi", false) == std::vector<int32_t>{'h', 'i'});
}

TEST_CASE("added tokens: longest match, lstrip, rstrip, single_word", "[bpe]") {
    Spec s;
    s.added = json::array({addedToken("<a>", 256, true), addedToken("<a><b>", 257, true),
                           addedToken("[L]", 258, false, true, false), addedToken("[R]", 259, false, false, true),
                           addedToken("cat", 260, false, false, false, true)});
    const auto tok = make(s);
    CHECK(tok->encode("<a><b>", false) == std::vector<int32_t>{257});
    CHECK(tok->encode("<a><c>", false) == std::vector<int32_t>{256, '<', 'c', '>'});
    CHECK(tok->encode("x  [L]y", false) == std::vector<int32_t>{'x', 258, 'y'});
    CHECK(tok->encode("x[R]  y", false) == std::vector<int32_t>{'x', 259, 'y'});
    CHECK(tok->encode("a cat!", false) == std::vector<int32_t>{'a', ' ', 260, '!'});
    CHECK(tok->encode("concatenate", false) == bytesOf("concatenate"));
    CHECK(tok->isSpecial(256));
    CHECK_FALSE(tok->isSpecial(258));
}

TEST_CASE("added tokens beyond the model vocabulary are plain text", "[bpe]") {
    Spec s;
    s.extra = {"xy"};  // id 256 is a BPE token: the last check puts the limit under it
    s.merges = {"x y"};
    s.added = json::array({addedToken("<|eot|>", 257, true), addedToken("\t\t", 300, false)});
    auto tok = make(s);
    CHECK(tok->encode("a\t\t", false) == std::vector<int32_t>{'a', 300});
    tok->setModelVocabSize(258);
    CHECK(tok->encode("a\t\t", false) == std::vector<int32_t>{'a', '\t', '\t'});
    CHECK(tok->encode("<|eot|>", false) == std::vector<int32_t>{257});
    CHECK(tok->decode({'a', 300}, false) == "a\t\t");  // decoding keeps working
    tok->setModelVocabSize(200);
    CHECK(tok->encode("<|eot|>", false) == bytesOf("<|eot|>"));
    CHECK_THROWS_AS(tok->encode("xy", false), leopard::Error);
}

TEST_CASE("bad tokenizer.json files and bad input are clear errors", "[bpe][errors]") {
    using Catch::Matchers::Contains;
    CHECK_THROWS_WITH(BpeTokenizer::fromJson("{\"model\": {\"type\": \"BPE\"", "broken.json"),
                      Contains("broken.json") && Contains("malformed"));
    Spec wordPiece;
    wordPiece.modelType = "WordPiece";
    CHECK_THROWS_WITH(make(wordPiece), Contains("test.json") && Contains("unknown tokenizer model type \"WordPiece\""));
    Spec badMerge;
    badMerge.merges = {"q zz"};
    CHECK_THROWS_AS(make(badMerge), leopard::InputError);
    CHECK_THROWS_AS(BpeTokenizer::fromFile("/nonexistent/tokenizer.json"), leopard::InputError);

    const auto tok = make(Spec{});
    CHECK_THROWS_WITH(tok->encode("ok \xC3(", false), Contains("invalid UTF-8 at byte 3"));
    CHECK_THROWS_AS(tok->encode("\xFF", false), leopard::InputError);
    CHECK_THROWS_AS(tok->decode({100000}, false), leopard::InputError);
    CHECK_THROWS_AS(tok->decode({-1}, false), leopard::InputError);
}
