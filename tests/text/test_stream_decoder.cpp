// The streaming detokenizer and the UTF-8 policies behind it.
#include "text/stream_decoder.h"
#include "text/utf8.h"
#include "text_test_support.h"

using leopard::test::llama3Tokenizer;
using leopard::text::StreamDecoder;

TEST_CASE("stream decoder holds back a character split over tokens", "[stream]") {
    const auto& tok = llama3Tokenizer();
    const std::string rocket = "\xF0\x9F\x9A\x80";  // U+1F680, several byte-level tokens
    const auto ids = tok.encode("go " + rocket + "!", false);
    StreamDecoder stream(tok, true);
    std::string out;
    bool sawHeldBack = false;
    for (int32_t id : ids) {
        const std::string piece = stream.push(id);
        CHECK(leopard::text::isValidUtf8(piece));
        CHECK(piece.find("\xEF\xBF\xBD") == std::string::npos);  // never U+FFFD mid-stream
        if (piece.empty()) sawHeldBack = true;
        out += piece;
    }
    out += stream.flush();
    CHECK(sawHeldBack);
    CHECK(out == "go " + rocket + "!");
}

TEST_CASE("stream decoder: incomplete text at the end becomes U+FFFD", "[stream]") {
    const auto& tok = llama3Tokenizer();
    const auto ids = tok.encode("\xF0\x9F\x9A\x80", false);
    REQUIRE(ids.size() >= 2);
    const std::vector<int32_t> cut(ids.begin(), ids.end() - 1);
    StreamDecoder stream(tok, true);
    std::string out;
    for (int32_t id : cut) out += stream.push(id);
    CHECK(out.empty());
    const std::string rest = stream.flush();
    CHECK(rest == "\xEF\xBF\xBD");
    CHECK(out + rest == tok.decode(cut, true));  // decode() replaces the same way
}

TEST_CASE("stream decoder skips special tokens when asked", "[stream]") {
    const auto& tok = llama3Tokenizer();
    const auto ids = tok.encode("Hi<|eot_id|>", false);
    StreamDecoder skip(tok, true), keep(tok, false);
    std::string a, b;
    for (int32_t id : ids) {
        a += skip.push(id);
        b += keep.push(id);
    }
    CHECK(a == "Hi");
    CHECK(b == "Hi<|eot_id|>");
}

TEST_CASE("UTF-8 helpers follow the maximal-subpart policy", "[utf8]") {
    using namespace leopard::text;
    CHECK(isValidUtf8("plain \xE2\x82\xAC"));
    CHECK(firstInvalidUtf8("ab\xFF") == 2);
    CHECK_FALSE(isValidUtf8("\xC0\x80"));          // overlong
    CHECK_FALSE(isValidUtf8("\xED\xA0\x80"));      // surrogate
    CHECK_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    // One U+FFFD per maximal subpart, as Rust's from_utf8_lossy.
    CHECK(toValidUtf8Lossy("a\xF0\x9F\x9A") == "a\xEF\xBF\xBD");
    CHECK(toValidUtf8Lossy("\xFF\xFE") == "\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(toValidUtf8Lossy("\xE2\x82x") == "\xEF\xBF\xBDx");
    CHECK(completeUtf8Prefix("ab\xE2\x82") == 2);
    CHECK(completeUtf8Prefix("ab\xE2\x82\xAC") == 5);
    CHECK(completeUtf8Prefix("ab\xED\xA0") == 4);  // can never complete: emit now
}
