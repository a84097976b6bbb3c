// A SentencePiece `.model` (Mistral/Idefics2, and the small models
// leopard-train builds) behind the Tokenizer interface, through
// libsentencepiece.
//
// Special tokens: control pieces (<s>, </s>) and <unk> are special, and so
// are the strings given to setSpecialTokens() (the factory passes the
// model folder's declared special tokens; libsentencepiece 0.1.97 cannot
// tell user-defined symbols apart from ordinary pieces). All of them are
// recognized by string in the text before SentencePiece sees it (like
// Hugging Face's added tokens). Each text piece between them is encoded
// separately, so it gets SentencePiece's dummy-prefix space if the model
// adds one. encode(…, addSpecialTokens=true) prepends BOS if the model has one.
//
// Thread-safety: const members are thread-safe (SentencePieceProcessor's
// const API is). Ownership: owns the processor.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "text/tokenizer.h"

namespace leopard::text {

class SentencePieceTokenizer : public Tokenizer {
public:
    // Throws InputError("<path>", …) if the file is missing or not a model.
    static std::unique_ptr<SentencePieceTokenizer> fromFile(const std::filesystem::path& path);
    ~SentencePieceTokenizer() override;

    // Marks these pieces (by string) as special too; unknown strings are
    // ignored. Not thread-safe: call before sharing.
    void setSpecialTokens(const std::vector<std::string>& tokens);

    std::vector<int32_t> encode(std::string_view text, bool addSpecialTokens) const override;
    std::string tokenBytes(int32_t id, bool first, bool skipSpecialTokens) const override;
    std::optional<int32_t> tokenToId(std::string_view token) const override;
    std::string idToToken(int32_t id) const override;
    int32_t vocabSize() const override;
    bool isSpecial(int32_t id) const override;

private:
    struct Impl;
    explicit SentencePieceTokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace leopard::text
