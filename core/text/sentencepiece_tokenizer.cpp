#include "text/sentencepiece_tokenizer.h"

#include "text/added_tokens.h"
#include "text/sentencepiece_library.h"
#include "text/utf8.h"
#include "util/errors.h"

namespace leopard::text {

namespace {

constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";  // U+2581 "▁"

std::string replaceAll(std::string s, std::string_view from, std::string_view to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
    return s;
}

}  // namespace

struct SentencePieceTokenizer::Impl {
    std::string source;
    std::unique_ptr<sentencepiece::Processor> sp;
    std::vector<std::string> pieces;  // by id, cached: tokenBytes() runs per generated token
    std::unique_ptr<AddedTokenMatcher> controls;  // control, unknown and declared special pieces, matched by string
    std::vector<bool> special;
    // Whether the decoder drops the first piece's leading "▁" (models with a
    // dummy prefix). Probed through the library, which hides the model spec.
    bool stripsLeadingSpace = true;
};

SentencePieceTokenizer::SentencePieceTokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SentencePieceTokenizer::~SentencePieceTokenizer() = default;

std::unique_ptr<SentencePieceTokenizer> SentencePieceTokenizer::fromFile(const std::filesystem::path& path) {
    auto impl = std::make_unique<Impl>();
    impl->source = path.string();
    if (!std::filesystem::exists(path)) throw InputError(path.string(), "no such file");
    std::string error;
    impl->sp = sentencepiece::library().load(path.string(), &error);
    if (!impl->sp) throw InputError(path.string(), "not a SentencePiece model: " + error);

    const int n = impl->sp->pieceSize();
    impl->pieces.reserve(n);
    for (int id = 0; id < n; ++id) impl->pieces.push_back(impl->sp->idToPiece(id));
    impl->special.assign(n, false);
    std::vector<AddedToken> controls;
    for (int id = 0; id < n; ++id) {
        if (impl->sp->isControl(id) || impl->sp->isUnknown(id)) {
            impl->special[id] = true;
            controls.push_back({impl->pieces[id], id, true});
        }
    }
    impl->controls = std::make_unique<AddedTokenMatcher>(std::move(controls));
    for (int id = 0; id < n; ++id) {
        const std::string& piece = impl->pieces[id];
        if (piece.size() > kSpaceSymbol.size() && piece.compare(0, kSpaceSymbol.size(), kSpaceSymbol) == 0 &&
            !impl->special[id]) {
            impl->stripsLeadingSpace = impl->sp->decode(std::vector<int>{id}).rfind(' ', 0) != 0;
            break;
        }
    }

    auto tok = std::unique_ptr<SentencePieceTokenizer>(new SentencePieceTokenizer(std::move(impl)));
    auto optionalId = [](int id) { return id >= 0 ? std::optional<int32_t>(id) : std::nullopt; };
    tok->setSpecialIds(optionalId(tok->impl_->sp->bosId()), optionalId(tok->impl_->sp->eosId()),
                       optionalId(tok->impl_->sp->padId()));
    return tok;
}

void SentencePieceTokenizer::setSpecialTokens(const std::vector<std::string>& tokens) {
    // Declared special tokens are matched by string before SentencePiece
    // sees the text, like control pieces: SentencePiece would otherwise put
    // its dummy-prefix "▁" in front of one that starts the text.
    std::vector<AddedToken> matched;
    for (int id = 0; id < vocabSize(); ++id)
        if (impl_->special[id]) matched.push_back({impl_->pieces[id], id, true});
    for (const auto& t : tokens) {
        const auto id = tokenToId(t);
        if (!id || impl_->special[*id]) continue;
        impl_->special[*id] = true;
        matched.push_back({t, *id, true});
    }
    impl_->controls = std::make_unique<AddedTokenMatcher>(std::move(matched));
}

std::vector<int32_t> SentencePieceTokenizer::encode(std::string_view text, bool addSpecialTokens) const {
    const std::size_t bad = firstInvalidUtf8(text);
    if (bad != text.size()) throw InputError("input text", "invalid UTF-8 at byte " + std::to_string(bad));
    std::vector<int32_t> ids;
    if (addSpecialTokens && bosId()) ids.push_back(*bosId());
    for (const auto& segment : impl_->controls->split(text, [this](int32_t id) { return inModelRange(id); })) {
        if (segment.id >= 0) {
            ids.push_back(segment.id);
            continue;
        }
        std::vector<int> pieces;
        std::string error;
        if (!impl_->sp->encode(segment.text, &pieces, &error)) throw Error("SentencePiece encoding failed: " + error);
        ids.insert(ids.end(), pieces.begin(), pieces.end());
    }
    checkModelRange(ids);
    return ids;
}

std::string SentencePieceTokenizer::tokenBytes(int32_t id, bool first, bool skipSpecialTokens) const {
    if (id < 0 || id >= vocabSize())
        throw InputError("token ids", "unknown token id " + std::to_string(id) + " (vocabulary has " +
                                          std::to_string(vocabSize()) + ")");
    const std::string& piece = impl_->pieces[id];
    if (impl_->special[id]) return skipSpecialTokens ? std::string() : piece;
    if (impl_->sp->isByte(id)) return std::string(1, static_cast<char>(std::stoi(piece.substr(3, 2), nullptr, 16)));  // "<0xAB>"
    std::string_view view = piece;
    if (first && impl_->stripsLeadingSpace && view.compare(0, kSpaceSymbol.size(), kSpaceSymbol) == 0)
        view.remove_prefix(kSpaceSymbol.size());
    return replaceAll(std::string(view), kSpaceSymbol, " ");
}

std::optional<int32_t> SentencePieceTokenizer::tokenToId(std::string_view token) const {
    const int id = impl_->sp->pieceToId(token);
    if (id < 0 || impl_->pieces[id] != token) return std::nullopt;
    return id;
}

std::string SentencePieceTokenizer::idToToken(int32_t id) const {
    return id >= 0 && id < vocabSize() ? impl_->pieces[id] : std::string();
}

int32_t SentencePieceTokenizer::vocabSize() const { return static_cast<int32_t>(impl_->pieces.size()); }

bool SentencePieceTokenizer::isSpecial(int32_t id) const { return id >= 0 && id < vocabSize() && impl_->special[id]; }

}  // namespace leopard::text
