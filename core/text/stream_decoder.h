// Streaming detokenizer for generation callbacks: feed token ids one at a
// time and get back the text that became complete. A character split over
// several byte-level tokens (an emoji is often 2–3 tokens) is held back
// until its last byte arrives, instead of being shown as U+FFFD; bytes that
// can never become valid UTF-8 are replaced by U+FFFD at once.
//
//   leopard::text::StreamDecoder stream(tokenizer, /*skipSpecialTokens=*/true);
//   for (int32_t id : generated) std::cout << stream.push(id);
//   std::cout << stream.flush();
//
// The concatenation of all push() results and flush() equals
// tokenizer.decode(ids, skipSpecialTokens).
//
// Thread-safety: one decoder per generation; not thread-safe itself.
// Ownership: borrows the tokenizer, which must outlive the decoder.
#pragma once

#include <cstdint>
#include <string>

#include "text/tokenizer.h"

namespace leopard::text {

class StreamDecoder {
public:
    StreamDecoder(const Tokenizer& tokenizer, bool skipSpecialTokens);

    // Text (valid UTF-8, possibly empty) completed by token `id`.
    std::string push(int32_t id);
    // The held-back bytes, incomplete sequences replaced by U+FFFD; the
    // decoder can then start a new text.
    std::string flush();

private:
    const Tokenizer& tokenizer_;
    bool skipSpecialTokens_;
    bool first_ = true;
    std::string pending_;  // bytes of an unfinished UTF-8 sequence (at most 3)
};

}  // namespace leopard::text
