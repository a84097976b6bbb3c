// Splits text by a Unicode regular expression the way Hugging Face's
// `Split` pre-tokenizer with behavior "Isolated" does: every match is one
// piece, and the text between matches (if any) is a piece of its own.
// The pattern runs in PCRE2 with UTF and UCP (so \s, \w, \p{L}, \p{N} and
// (?i:…) are Unicode-aware), JIT-compiled when the library supports it.
//
// Thread-safety: split() is const and thread-safe (per-call match data).
// Ownership: owns the compiled pattern.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace leopard::text {

class RegexSplitter {
public:
    // Throws leopard::InputError("<source>", …) if the pattern does not compile.
    RegexSplitter(const std::string& pattern, const std::string& source);
    ~RegexSplitter();
    RegexSplitter(const RegexSplitter&) = delete;
    RegexSplitter& operator=(const RegexSplitter&) = delete;

    // Pieces of `text` in order; they concatenate to `text`. With
    // `removeMatches` (behavior "Removed") the matches are dropped instead.
    // Precondition: text is valid UTF-8.
    std::vector<std::string_view> split(std::string_view text, bool removeMatches = false) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// `literal` with every regex metacharacter escaped (Split's {"String": …}).
std::string escapeRegex(std::string_view literal);

}  // namespace leopard::text
