// Hugging Face "added tokens" (special tokens such as <|eot_id|> and extra
// vocabulary): found in raw text before any pre-tokenization, leftmost
// match first and the longest one at that position, like the
// AhoCorasick(LeftmostLongest) matcher of the tokenizers library.
//
// Thread-safety: immutable after construction; split() is thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace leopard::text {

struct AddedToken {
    std::string content;
    int32_t id = -1;
    bool special = false;
    bool lstrip = false;      // swallow whitespace on the left
    bool rstrip = false;      // swallow whitespace on the right
    bool singleWord = false;  // only when not inside a word
};

class AddedTokenMatcher {
public:
    explicit AddedTokenMatcher(std::vector<AddedToken> tokens);

    // A piece of the input: plain text (id < 0) or one added token.
    struct Segment {
        std::string_view text;
        int32_t id = -1;
    };

    // Splits valid UTF-8 `text` into plain-text and added-token segments.
    // Tokens for which `enabled(id)` is false are not matched (their text
    // stays plain text).
    std::vector<Segment> split(std::string_view text, const std::function<bool(int32_t)>& enabled) const;

    const std::vector<AddedToken>& tokens() const { return tokens_; }

private:
    std::vector<AddedToken> tokens_;
    // Indices of tokens by their first byte, longest content first.
    std::array<std::vector<std::size_t>, 256> byFirstByte_;
};

}  // namespace leopard::text
