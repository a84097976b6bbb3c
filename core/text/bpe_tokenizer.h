// Byte-level BPE from a Hugging Face tokenizer.json (LLaMA-3/3.1, GPT-2 and
// similar). Supported pipeline, in encode order:
//   1. added tokens: matched in the raw text first, leftmost then longest,
//      honouring `lstrip`, `rstrip` and `single_word` (`normalized` has no
//      effect: only tokenizers without a normalizer are accepted);
//   2. pre_tokenizer: `Split` (Regex or String pattern; behaviors Isolated
//      and Removed) and `ByteLevel` (add_prefix_space, use_regex), alone or
//      in a `Sequence`; a ByteLevel step is required;
//   3. model `BPE`: byte-level symbols merged by rank (merges given as
//      "a b" strings or ["a", "b"] pairs), `ignore_merges`, unk_token;
//   4. post_processor: `TemplateProcessing` (its "single" template, e.g.
//      BOS + text), `ByteLevel` (adds nothing), or a `Sequence` of them —
//      applied only when encode() is asked to add special tokens;
//   5. decoder `ByteLevel`.
// Anything else (normalizers, WordPiece/Unigram models, …) is rejected with
// leopard::InputError naming the file, so a tokenizer that would encode
// differently from Hugging Face is never silently accepted.
//
// Thread-safety: all const members are thread-safe; BPE results are cached
// per pre-token behind a shared mutex. Ownership: self-contained.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "text/tokenizer.h"

namespace leopard::text {

class BpeTokenizer : public Tokenizer {
public:
    // Reads a tokenizer.json; throws InputError("<path>", …) on any problem.
    static std::unique_ptr<BpeTokenizer> fromFile(const std::filesystem::path& path);
    // Parses tokenizer.json text; `source` names it in error messages.
    static std::unique_ptr<BpeTokenizer> fromJson(std::string_view json, const std::string& source);
    ~BpeTokenizer() override;

    std::vector<int32_t> encode(std::string_view text, bool addSpecialTokens) const override;
    std::string tokenBytes(int32_t id, bool first, bool skipSpecialTokens) const override;
    std::optional<int32_t> tokenToId(std::string_view token) const override;
    std::string idToToken(int32_t id) const override;
    int32_t vocabSize() const override;
    bool isSpecial(int32_t id) const override;

private:
    struct Impl;
    explicit BpeTokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace leopard::text
