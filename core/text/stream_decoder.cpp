#include "text/stream_decoder.h"

#include "text/utf8.h"

namespace leopard::text {

StreamDecoder::StreamDecoder(const Tokenizer& tokenizer, bool skipSpecialTokens)
    : tokenizer_(tokenizer), skipSpecialTokens_(skipSpecialTokens) {}

std::string StreamDecoder::push(int32_t id) {
    const std::string bytes = tokenizer_.tokenBytes(id, first_, skipSpecialTokens_);
    first_ = first_ && tokenizer_.isSpecial(id);
    if (bytes.empty()) return {};
    pending_ += bytes;
    const std::size_t complete = completeUtf8Prefix(pending_);
    std::string out = toValidUtf8Lossy(std::string_view(pending_).substr(0, complete));
    pending_.erase(0, complete);
    return out;
}

std::string StreamDecoder::flush() {
    std::string out = toValidUtf8Lossy(pending_);
    pending_.clear();
    first_ = true;
    return out;
}

}  // namespace leopard::text
