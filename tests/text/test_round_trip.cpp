// decode(encode(s)) == s for the LLaMA-3 tokenizer on random Unicode text,
// and the streaming decoder agrees with decode().
#include <random>
#include <thread>

#include "text/stream_decoder.h"
#include "text/utf8.h"
#include "text_test_support.h"

using leopard::test::llama3Tokenizer;

namespace {

// Random text mixing every plane, control characters, whitespace runs,
// ASCII words and special-token strings (fixed seed: reproducible).
std::string randomText(std::mt19937& rng) {
    static const char32_t spaces[] = {' ', '\t', '\n', '\r', 0x0B, 0x0C, 0x85, 0xA0, 0x2028, 0x3000};
    static const char* words[] = {"the", " cat", "'s", "'LL", "123456", "<|eot_id|>", "<|begin_of_text|>", "::", "é"};
    std::string s;
    const int parts = std::uniform_int_distribution<int>(0, 30)(rng);
    for (int i = 0; i < parts; ++i) {
        switch (std::uniform_int_distribution<int>(0, 5)(rng)) {
            case 0: {  // any scalar value in any plane
                char32_t cp;
                do cp = std::uniform_int_distribution<char32_t>(1, 0x10FFFF)(rng);
                while (cp >= 0xD800 && cp <= 0xDFFF);
                leopard::text::appendUtf8(s, cp);
                break;
            }
            case 1:  // control characters
                leopard::text::appendUtf8(s, std::uniform_int_distribution<char32_t>(0, 0x1F)(rng));
                break;
            case 2: {  // whitespace runs
                const int n = std::uniform_int_distribution<int>(1, 6)(rng);
                for (int k = 0; k < n; ++k)
                    leopard::text::appendUtf8(s, spaces[std::uniform_int_distribution<int>(0, 9)(rng)]);
                break;
            }
            case 3:  // BMP (CJK, Latin, symbols)
                leopard::text::appendUtf8(s, std::uniform_int_distribution<char32_t>(0x20, 0xD7FF)(rng));
                break;
            default:
                s += words[std::uniform_int_distribution<int>(0, 8)(rng)];
        }
    }
    return s;
}

}  // namespace

TEST_CASE("LLaMA-3 round trip on random Unicode text", "[bpe][roundtrip]") {
    const auto& tok = llama3Tokenizer();
    std::mt19937 rng(20241001);
    for (int i = 0; i < 2000; ++i) {
        const std::string s = randomText(rng);
        REQUIRE(leopard::text::isValidUtf8(s));
        const auto ids = tok.encode(s, false);
        INFO("case " << i);
        REQUIRE(tok.decode(ids, false) == s);

        leopard::text::StreamDecoder stream(tok, false);
        std::string streamed;
        for (int32_t id : ids) {
            const std::string piece = stream.push(id);
            REQUIRE(leopard::text::isValidUtf8(piece));
            streamed += piece;
        }
        REQUIRE(stream.flush().empty());  // a complete text leaves nothing behind
        REQUIRE(streamed == s);
    }
}

TEST_CASE("encode is thread-safe: concurrent calls give the sequential ids", "[bpe][threads]") {
    const auto& tok = llama3Tokenizer();
    std::mt19937 rng(7);
    std::vector<std::string> texts;
    for (int i = 0; i < 200; ++i) texts.push_back(randomText(rng));
    std::vector<std::vector<int32_t>> expected;
    for (const auto& t : texts) expected.push_back(tok.encode(t, false));
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int k = 0; k < 4; ++k)
        threads.emplace_back([&, k] {
            for (std::size_t i = 0; i < texts.size(); ++i)
                if (tok.encode(texts[(i + 37 * k) % texts.size()], false) != expected[(i + 37 * k) % texts.size()])
                    ++mismatches[k];
        });
    for (auto& t : threads) t.join();
    CHECK(mismatches == std::vector<int>(4, 0));
}
