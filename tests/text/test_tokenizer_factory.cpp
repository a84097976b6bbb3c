// loadTokenizer(): which file it picks, special ids from the folder's
// config files, and errors naming the file.
#include "text/tokenizer_factory.h"
#include "text_test_support.h"
#include "util/errors.h"

using leopard::text::loadTokenizer;
using Catch::Matchers::Contains;

namespace {

void writeText(const std::filesystem::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

}  // namespace

TEST_CASE("factory opens tokenizer.json with special ids from the config files", "[factory]") {
    leopard::test::TempDir dir;
    std::filesystem::create_symlink(std::filesystem::absolute(leopard::test::llama3TokenizerPath()), dir / "tokenizer.json");
    writeText(dir / "special_tokens_map.json",
              R"({"bos_token": {"content": "<|begin_of_text|>", "lstrip": false}, "eos_token": "<|end_of_text|>"})");
    writeText(dir / "tokenizer_config.json", R"({"eos_token": "<|eot_id|>", "pad_token": null})");
    const auto tok = loadTokenizer(dir.path());
    CHECK(tok->bosId() == tok->tokenToId("<|begin_of_text|>"));
    CHECK(tok->eosId() == tok->tokenToId("<|eot_id|>"));  // tokenizer_config.json wins
    CHECK_FALSE(tok->padId());
    CHECK(tok->encode("Hello world!", false) == leopard::test::llama3Tokenizer().encode("Hello world!", false));
    // A file path works too.
    CHECK(loadTokenizer(dir / "tokenizer.json")->vocabSize() == tok->vocabSize());
}

TEST_CASE("factory errors name the file", "[factory][errors]") {
    leopard::test::TempDir dir;
    CHECK_THROWS_WITH(loadTokenizer(dir.path()), Contains(dir.path().string()) && Contains("no tokenizer"));

    writeText(dir / "tokenizer.json", R"({"model": {"type": "Unigram", "vocab": []}})");
    CHECK_THROWS_WITH(loadTokenizer(dir.path()), Contains("tokenizer.json") && Contains("Unigram"));

    writeText(dir / "tokenizer.json", R"({"model": )");
    CHECK_THROWS_WITH(loadTokenizer(dir.path()), Contains("tokenizer.json") && Contains("malformed"));

    std::filesystem::remove(dir / "tokenizer.json");
    std::filesystem::create_symlink(std::filesystem::absolute(leopard::test::llama3TokenizerPath()), dir / "tokenizer.json");
    writeText(dir / "tokenizer_config.json", R"({"bos_token": )");
    CHECK_THROWS_WITH(loadTokenizer(dir.path()), Contains("tokenizer_config.json") && Contains("malformed"));
    writeText(dir / "tokenizer_config.json", R"({"bos_token": "<no such token>"})");
    CHECK_THROWS_WITH(loadTokenizer(dir.path()), Contains("tokenizer_config.json") && Contains("<no such token>"));
}
