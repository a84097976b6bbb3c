#include "text/regex_splitter.h"

#include <pcre2.h>

#include "util/errors.h"

namespace leopard::text {

struct RegexSplitter::Impl {
    pcre2_code* code = nullptr;
    bool jit = false;
};

RegexSplitter::RegexSplitter(const std::string& pattern, const std::string& source) : impl_(std::make_unique<Impl>()) {
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    impl_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), PCRE2_UTF | PCRE2_UCP,
                                &errorCode, &errorOffset, nullptr);
    if (!impl_->code) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(errorCode, message, sizeof message);
        throw InputError(source, "pre-tokenizer regex does not compile at offset " + std::to_string(errorOffset) +
                                     ": " + reinterpret_cast<const char*>(message));
    }
    // JIT is an optimization: a library built without it still matches.
    impl_->jit = pcre2_jit_compile(impl_->code, PCRE2_JIT_COMPLETE) == 0;
}

RegexSplitter::~RegexSplitter() { pcre2_code_free(impl_->code); }

std::vector<std::string_view> RegexSplitter::split(std::string_view text, bool removeMatches) const {
    std::vector<std::string_view> pieces;
    pieces.reserve(text.size() / 4 + 1);
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> match(
        pcre2_match_data_create_from_pattern(impl_->code, nullptr), &pcre2_match_data_free);
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    std::size_t pos = 0, gapStart = 0;
    while (pos <= text.size()) {
        // The caller validated the UTF-8 once: skip PCRE2's per-call check,
        // which would otherwise rescan the whole subject for every match.
        const int rc = impl_->jit ? pcre2_jit_match(impl_->code, subject, text.size(), pos, PCRE2_NO_UTF_CHECK,
                                                    match.get(), nullptr)
                                  : pcre2_match(impl_->code, subject, text.size(), pos, PCRE2_NO_UTF_CHECK,
                                                match.get(), nullptr);
        if (rc == PCRE2_ERROR_NOMATCH) break;
        if (rc < 0) throw Error("regex matching failed (PCRE2 error " + std::to_string(rc) + ")");
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(match.get());
        const std::size_t start = ov[0], end = ov[1];
        if (end == start) {
            // An empty match splits nothing; step over one code point.
            if (start >= text.size()) break;
            pos = start + 1;
            while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
            continue;
        }
        if (start > gapStart) pieces.push_back(text.substr(gapStart, start - gapStart));
        if (!removeMatches) pieces.push_back(text.substr(start, end - start));
        gapStart = pos = end;
    }
    if (gapStart < text.size()) pieces.push_back(text.substr(gapStart));
    return pieces;
}

std::string escapeRegex(std::string_view literal) {
    std::string out;
    for (char c : literal) {
        if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

}  // namespace leopard::text
