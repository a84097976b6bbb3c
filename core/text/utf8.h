// UTF-8 helpers shared by the tokenizers and the streaming decoder.
//
// Hand-written (a few dozen lines) because the Debian libraries at hand do
// not expose these exact policies: PCRE2 only validates, and the lossy
// conversion must match Rust's String::from_utf8_lossy (used by Hugging Face
// tokenizers) — one U+FFFD per maximal invalid subpart.
//
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace leopard::text {

// Offset of the first byte that is not part of a valid UTF-8 sequence, or
// text.size() when the whole text is valid. Overlong forms, surrogates and
// code points above U+10FFFF are invalid, as in the Unicode standard.
std::size_t firstInvalidUtf8(std::string_view text);

inline bool isValidUtf8(std::string_view text) { return firstInvalidUtf8(text) == text.size(); }

// Replaces each maximal invalid subpart by U+FFFD (the Unicode-recommended
// policy, the one Rust's from_utf8_lossy and Python's errors="replace" use).
std::string toValidUtf8Lossy(std::string_view bytes);

// Length of the longest prefix of `bytes` after which the rest is a
// *possibly incomplete* start of one UTF-8 sequence: the bytes past the
// returned offset (at most 3) could still become valid when more arrive.
// Used by the streaming decoder to hold back a split character.
std::size_t completeUtf8Prefix(std::string_view bytes);

// Decodes the code point starting at text[pos] in valid UTF-8 and advances
// pos. Precondition: text is valid UTF-8 and pos < text.size().
char32_t nextCodePoint(std::string_view text, std::size_t& pos);

// Appends the UTF-8 encoding of a code point.
void appendUtf8(std::string& out, char32_t cp);

// Unicode White_Space property (the set Rust's char::is_whitespace uses).
bool isUnicodeWhitespace(char32_t cp);

}  // namespace leopard::text
