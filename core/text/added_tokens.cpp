#include "text/added_tokens.h"

#include <algorithm>
#include <cctype>

#include "text/utf8.h"

namespace leopard::text {

namespace {

// Word characters for `single_word`: ASCII letters, digits and '_', and any
// non-ASCII character that is not white space. The tokenizers library uses
// Unicode alphanumerics; the two differ only for non-ASCII punctuation next
// to a single_word token, which no supported tokenizer has.
bool isWordChar(char32_t cp) {
    return cp < 0x80 ? (std::isalnum(static_cast<int>(cp)) != 0 || cp == '_') : !isUnicodeWhitespace(cp);
}

std::size_t previousCodePointStart(std::string_view text, std::size_t pos) {
    std::size_t start = pos - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    return start;
}

bool wordBefore(std::string_view text, std::size_t pos) {
    if (pos == 0) return false;
    std::size_t p = previousCodePointStart(text, pos);
    return isWordChar(nextCodePoint(text, p));
}

bool wordAfter(std::string_view text, std::size_t pos) {
    return pos < text.size() && isWordChar(nextCodePoint(text, pos));
}

// Start of the whitespace run that ends at `pos`, not before `floor`.
std::size_t skipSpaceLeft(std::string_view text, std::size_t pos, std::size_t floor) {
    while (pos > floor) {
        const std::size_t start = previousCodePointStart(text, pos);
        std::size_t p = start;
        if (!isUnicodeWhitespace(nextCodePoint(text, p))) break;
        pos = start;
    }
    return pos;
}

std::size_t skipSpaceRight(std::string_view text, std::size_t pos) {
    while (pos < text.size()) {
        std::size_t p = pos;
        if (!isUnicodeWhitespace(nextCodePoint(text, p))) break;
        pos = p;
    }
    return pos;
}

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens) : tokens_(std::move(tokens)) {
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
        if (tokens_[i].content.empty()) continue;
        byFirstByte_[static_cast<unsigned char>(tokens_[i].content[0])].push_back(i);
    }
    for (auto& bucket : byFirstByte_) {
        std::stable_sort(bucket.begin(), bucket.end(), [&](std::size_t a, std::size_t b) {
            return tokens_[a].content.size() > tokens_[b].content.size();
        });
    }
}

std::vector<AddedTokenMatcher::Segment> AddedTokenMatcher::split(std::string_view text,
                                                                 const std::function<bool(int32_t)>& enabled) const {
    std::vector<Segment> out;
    std::size_t pos = 0, plainStart = 0;
    while (pos < text.size()) {
        const auto& bucket = byFirstByte_[static_cast<unsigned char>(text[pos])];
        const AddedToken* found = nullptr;
        for (std::size_t index : bucket) {
            const AddedToken& t = tokens_[index];
            if (enabled(t.id) && text.compare(pos, t.content.size(), t.content) == 0) {
                found = &t;
                break;
            }
        }
        if (!found) {
            ++pos;
            continue;
        }
        std::size_t start = pos, stop = pos + found->content.size();
        // Like the library, a longest match that fails single_word is plain
        // text; no shorter token is tried at the same place.
        if (found->singleWord && (wordBefore(text, start) || wordAfter(text, stop))) {
            pos = stop;
            continue;
        }
        if (found->lstrip) start = skipSpaceLeft(text, start, plainStart);
        if (found->rstrip) stop = skipSpaceRight(text, stop);
        if (start > plainStart) out.push_back({text.substr(plainStart, start - plainStart), -1});
        out.push_back({text.substr(start, stop - start), found->id});
        pos = plainStart = stop;
    }
    if (plainStart < text.size()) out.push_back({text.substr(plainStart), -1});
    return out;
}

}  // namespace leopard::text
