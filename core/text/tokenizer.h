// The tokenizer interface the engine, the prompt builder and the CLI use.
// Implementations: BpeTokenizer (Hugging Face tokenizer.json, byte-level
// BPE such as LLaMA-3) and SentencePieceTokenizer (.model files). Open one
// with loadTokenizer() (text/tokenizer_factory.h).
//
//   auto tok = leopard::text::loadTokenizer(modelDir);
//   tok->setModelVocabSize(config.vocabSize);   // before sharing it
//   std::vector<int32_t> ids = tok->encode("Hello", /*addSpecialTokens=*/false);
//   std::string text = tok->decode(ids, /*skipSpecialTokens=*/true);
//
// Thread-safety: every const member is safe to call from several threads at
// once. The setters (setModelVocabSize, setSpecialIds) are not: call them
// right after loading, before the tokenizer is shared.
//
// Input text must be valid UTF-8: encode() throws leopard::InputError
// ("input text: invalid UTF-8 at byte N") otherwise. Callers that prefer
// Hugging Face's behaviour for bytes from outside (replacement by U+FFFD)
// pass their text through toValidUtf8Lossy() (text/utf8.h) first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leopard::text {

class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    // Token ids for `text`. addSpecialTokens applies the tokenizer's
    // post-processing (e.g. LLaMA-3.1's template adds BOS; a ByteLevel
    // post-processor adds nothing; SentencePiece adds BOS if it has one).
    // Special tokens written in the text ("<|eot_id|>") are recognized as
    // such, except those with id >= the model vocab size (see below).
    virtual std::vector<int32_t> encode(std::string_view text, bool addSpecialTokens) const = 0;

    // Text for `ids`, always valid UTF-8 (invalid byte sequences become
    // U+FFFD, as Hugging Face does). Unknown ids throw InputError.
    std::string decode(const std::vector<int32_t>& ids, bool skipSpecialTokens) const;

    // The raw bytes token `id` contributes to a decoded text, which may be
    // part of a UTF-8 sequence; `first` says whether no ordinary (non-special)
    // token precedes it in the text (SentencePiece drops the leading space
    // there). Empty for a special token when skipSpecialTokens. Used by
    // decode() and StreamDecoder.
    virtual std::string tokenBytes(int32_t id, bool first, bool skipSpecialTokens) const = 0;

    // The token's string as stored in the vocabulary ("Ġthe", "<|eot_id|>").
    virtual std::optional<int32_t> tokenToId(std::string_view token) const = 0;
    virtual std::string idToToken(int32_t id) const = 0;

    // Number of ids the tokenizer knows (largest id + 1).
    virtual int32_t vocabSize() const = 0;
    // Special (control) tokens: skipped by decode(…, true).
    virtual bool isSpecial(int32_t id) const = 0;

    std::optional<int32_t> bosId() const { return bos_; }
    std::optional<int32_t> eosId() const { return eos_; }
    std::optional<int32_t> padId() const { return pad_; }
    void setSpecialIds(std::optional<int32_t> bos, std::optional<int32_t> eos, std::optional<int32_t> pad);

    // The number of rows of the model's embedding matrix. Released
    // checkpoints' tokenizers may define added tokens beyond it (Leopard's
    // adds <unk>, <|im_start|>, tab runs at ids >= 128256): from now on such
    // tokens are not recognized in text (their characters are tokenized as
    // plain text), and an encoding that would still produce an id >= n
    // throws leopard::Error. 0 (the default) means no limit.
    void setModelVocabSize(int32_t n) { modelVocabSize_ = n; }
    int32_t modelVocabSize() const { return modelVocabSize_; }

protected:
    // True if `id` may be given to the model.
    bool inModelRange(int32_t id) const { return modelVocabSize_ <= 0 || id < modelVocabSize_; }
    // Throws leopard::Error if an id is outside the model's vocabulary.
    void checkModelRange(const std::vector<int32_t>& ids) const;

private:
    std::optional<int32_t> bos_, eos_, pad_;
    int32_t modelVocabSize_ = 0;
};

}  // namespace leopard::text
