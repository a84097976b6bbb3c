// The LLaMA-3 tokenizer.json against Hugging Face's own encodings
// (tests/data/golden/llama3-tokenizer.json, read at test time).
#include <nlohmann/json.hpp>

#include "text_test_support.h"

using leopard::test::llama3Tokenizer;

TEST_CASE("LLaMA-3 tokenizer matches the golden encodings", "[bpe]") {
    const auto& tok = llama3Tokenizer();
    const auto golden = nlohmann::json::parse(leopard::test::readFile(leopard::test::goldenDir() / "llama3-tokenizer.json"));
    REQUIRE(golden.at("cases").size() > 10);
    for (const auto& c : golden["cases"]) {
        const std::string text = c.at("text");
        INFO("text: " << text);
        const auto expected = c.at("ids").get<std::vector<int32_t>>();
        CHECK(tok.encode(text, /*addSpecialTokens=*/false) == expected);
        CHECK(tok.decode(expected, /*skipSpecialTokens=*/false) == c.at("decoded").get<std::string>());
    }
}

TEST_CASE("LLaMA-3 tokenizer: vocabulary and special tokens", "[bpe]") {
    const auto& tok = llama3Tokenizer();
    const auto eot = tok.tokenToId("<|eot_id|>");
    REQUIRE(eot);
    CHECK(tok.isSpecial(*eot));
    CHECK(tok.idToToken(*eot) == "<|eot_id|>");
    const auto hello = tok.tokenToId("Hello");
    REQUIRE(hello);
    CHECK_FALSE(tok.isSpecial(*hello));
    CHECK(tok.vocabSize() == static_cast<int32_t>(tok.tokenToId("<|reserved_special_token_250|>").value() + 1));
    // skipSpecialTokens drops exactly the special ones.
    const auto ids = tok.encode("<|begin_of_text|>Hello<|eot_id|>", false);
    REQUIRE(ids.size() == 3);
    CHECK(tok.decode(ids, true) == "Hello");
    CHECK(tok.decode(ids, false) == "<|begin_of_text|>Hello<|eot_id|>");
}

TEST_CASE("ByteLevel post-processor adds no BOS", "[bpe]") {
    // The npm tokenizer.json has a ByteLevel post-processor (unlike the
    // LLaMA-3.1 TemplateProcessing one tested in test_bpe_options.cpp).
    const auto& tok = llama3Tokenizer();
    CHECK(tok.encode("Hello", true) == tok.encode("Hello", false));
}
