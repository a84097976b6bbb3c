#include "text/tokenizer.h"

#include "text/utf8.h"
#include "util/errors.h"

namespace leopard::text {

std::string Tokenizer::decode(const std::vector<int32_t>& ids, bool skipSpecialTokens) const {
    std::string bytes;
    bool first = true;
    for (int32_t id : ids) {
        bytes += tokenBytes(id, first, skipSpecialTokens);
        first = first && isSpecial(id);
    }
    return toValidUtf8Lossy(bytes);
}

void Tokenizer::setSpecialIds(std::optional<int32_t> bos, std::optional<int32_t> eos, std::optional<int32_t> pad) {
    bos_ = bos;
    eos_ = eos;
    pad_ = pad;
}

void Tokenizer::checkModelRange(const std::vector<int32_t>& ids) const {
    for (int32_t id : ids) {
        if (!inModelRange(id))
            throw Error("tokenizer produced id " + std::to_string(id) + " (\"" + idToToken(id) +
                        "\"), outside the model's vocabulary of " + std::to_string(modelVocabSize_) + " tokens");
    }
}

}  // namespace leopard::text
