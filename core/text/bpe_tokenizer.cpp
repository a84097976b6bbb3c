#include "text/bpe_tokenizer.h"

#include <deque>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "text/added_tokens.h"
#include "text/bpe_model.h"
#include "text/byte_level.h"
#include "text/regex_splitter.h"
#include "text/utf8.h"
#include "util/errors.h"

namespace leopard::text {

namespace {

using json = nlohmann::json;

// GPT-2's pattern, used by the ByteLevel pre-tokenizer when use_regex is set.
constexpr const char* kByteLevelPattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// One pre-tokenizer step: split every piece further.
struct PreTokenizerStep {
    std::unique_ptr<RegexSplitter> splitter;  // null: no splitting
    bool removeMatches = false;
    bool addPrefixSpace = false;  // ByteLevel: prepend " " to pieces that lack it
};

std::string typeOf(const json& j) { return j.is_object() && j.contains("type") ? j["type"].get<std::string>() : ""; }

}  // namespace

struct BpeTokenizer::Impl {
    std::string source;
    std::unique_ptr<BpeModel> model;
    std::unique_ptr<AddedTokenMatcher> added;
    std::vector<PreTokenizerStep> preTokenizer;
    // The post-processor's "single" template: ids to put before and after
    // the text (TemplateProcessing); empty for ByteLevel / none.
    std::vector<int32_t> templatePrefix, templateSuffix;
    std::vector<std::string> idToToken;  // "" for unused ids
    std::vector<std::string> idBytes;    // what each id decodes to
    std::vector<bool> special;
    bool byteLevelSeen = false;

    void parsePreTokenizer(const json& j);
    void parsePostProcessor(const json& j, bool& templateSeen);
    void checkDecoder(const json& j) const;
    std::vector<std::string_view> preTokenize(std::string_view text, std::deque<std::string>& storage) const;
};

void BpeTokenizer::Impl::parsePreTokenizer(const json& j) {
    const std::string type = typeOf(j);
    if (type == "Sequence") {
        for (const auto& step : j.at("pretokenizers")) parsePreTokenizer(step);
    } else if (type == "Split") {
        const json& pattern = j.at("pattern");
        std::string regex = pattern.contains("Regex") ? pattern["Regex"].get<std::string>()
                                                      : escapeRegex(pattern.at("String").get<std::string>());
        const std::string behavior = j.value("behavior", "Isolated");
        if ((behavior != "Isolated" && behavior != "Removed") || j.value("invert", false))
            throw InputError(source, "Split pre-tokenizer behavior \"" + behavior + "\" (or invert) is not supported");
        preTokenizer.push_back({std::make_unique<RegexSplitter>(regex, source), behavior == "Removed", false});
    } else if (type == "ByteLevel") {
        byteLevelSeen = true;
        PreTokenizerStep step;
        step.addPrefixSpace = j.value("add_prefix_space", false);
        if (j.value("use_regex", true)) step.splitter = std::make_unique<RegexSplitter>(kByteLevelPattern, source);
        // Without prefix space or regex the step only maps bytes, which the
        // BPE model does anyway: skip it.
        if (step.splitter || step.addPrefixSpace) preTokenizer.push_back(std::move(step));
    } else {
        throw InputError(source, "pre-tokenizer type \"" + type + "\" is not supported");
    }
}

void BpeTokenizer::Impl::parsePostProcessor(const json& j, bool& templateSeen) {
    const std::string type = typeOf(j);
    if (j.is_null() || type == "ByteLevel") return;  // ByteLevel only trims offsets
    if (type == "Sequence") {
        for (const auto& p : j.at("processors")) parsePostProcessor(p, templateSeen);
        return;
    }
    if (type != "TemplateProcessing") throw InputError(source, "post-processor \"" + type + "\" is not supported");
    if (templateSeen) throw InputError(source, "more than one TemplateProcessing post-processor");
    templateSeen = true;
    bool textSeen = false;
    for (const auto& piece : j.at("single")) {
        if (piece.contains("Sequence")) {
            textSeen = true;
        } else {
            const std::string name = piece.at("SpecialToken").at("id").get<std::string>();
            const json& entry = j.at("special_tokens").at(name);
            for (const auto& id : entry.at("ids")) (textSeen ? templateSuffix : templatePrefix).push_back(id.get<int32_t>());
        }
    }
}

void BpeTokenizer::Impl::checkDecoder(const json& j) const {
    const std::string type = typeOf(j);
    if (type == "Sequence") {
        for (const auto& d : j.at("decoders")) checkDecoder(d);
    } else if (type != "ByteLevel") {
        throw InputError(source, "decoder \"" + (j.is_null() ? std::string("null") : type) +
                                     "\" is not supported (byte-level BPE needs the ByteLevel decoder)");
    }
}

std::vector<std::string_view> BpeTokenizer::Impl::preTokenize(std::string_view text,
                                                              std::deque<std::string>& storage) const {
    std::vector<std::string_view> pieces{text};
    for (const auto& step : preTokenizer) {
        std::vector<std::string_view> next;
        for (std::string_view piece : pieces) {
            if (step.addPrefixSpace && (piece.empty() || piece[0] != ' ')) {
                storage.push_back(" " + std::string(piece));  // a deque keeps earlier strings in place
                piece = storage.back();
            }
            if (!step.splitter) {
                next.push_back(piece);
                continue;
            }
            for (auto sub : step.splitter->split(piece, step.removeMatches)) next.push_back(sub);
        }
        pieces.swap(next);
    }
    return pieces;
}

BpeTokenizer::BpeTokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BpeTokenizer::~BpeTokenizer() = default;

std::unique_ptr<BpeTokenizer> BpeTokenizer::fromFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string(), "cannot open the tokenizer file");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return fromJson(buffer.str(), path.string());
}

std::unique_ptr<BpeTokenizer> BpeTokenizer::fromJson(std::string_view text, const std::string& source) {
    auto impl = std::make_unique<Impl>();
    impl->source = source;
    try {
        const json doc = json::parse(text);
        const json& model = doc.at("model");
        const std::string modelType = model.value("type", "BPE");
        if (modelType != "BPE") throw InputError(source, "unknown tokenizer model type \"" + modelType + "\"");
        if (!model.value("continuing_subword_prefix", json()).is_null() ||
            !model.value("end_of_word_suffix", json()).is_null() || model.value("byte_fallback", false))
            throw InputError(source, "BPE options continuing_subword_prefix/end_of_word_suffix/byte_fallback are not supported");
        if (!doc.value("normalizer", json()).is_null())
            throw InputError(source, "normalizer \"" + typeOf(doc["normalizer"]) + "\" is not supported");

        auto vocab = model.at("vocab").get<std::unordered_map<std::string, int32_t>>();
        std::vector<std::pair<std::string, std::string>> merges;
        merges.reserve(model.at("merges").size());
        for (const auto& m : model["merges"]) {
            if (m.is_array() && m.size() == 2) {
                merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
                continue;
            }
            const std::string s = m.get<std::string>();
            const auto space = s.find(' ');
            if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
                throw InputError(source, "merge \"" + s + "\" is not two tokens separated by one space");
            merges.emplace_back(s.substr(0, space), s.substr(space + 1));
        }

        std::vector<AddedToken> added;
        for (const auto& t : doc.value("added_tokens", json::array())) {
            added.push_back({t.at("content").get<std::string>(), t.at("id").get<int32_t>(), t.value("special", false),
                             t.value("lstrip", false), t.value("rstrip", false), t.value("single_word", false)});
        }

        std::optional<int32_t> unkId;
        const json unk = model.value("unk_token", json());
        if (!unk.is_null()) {
            const auto it = vocab.find(unk.get<std::string>());
            if (it != vocab.end()) unkId = it->second;
        }

        int32_t size = 0;
        for (const auto& [token, id] : vocab) size = std::max(size, id + 1);
        for (const auto& t : added) size = std::max(size, t.id + 1);
        impl->idToToken.resize(size);
        impl->special.assign(size, false);
        for (const auto& [token, id] : vocab) {
            if (id < 0) throw InputError(source, "negative token id for \"" + token + "\"");
            impl->idToToken[id] = token;
        }
        for (const auto& t : added) {
            if (t.id < 0) throw InputError(source, "negative id for added token \"" + t.content + "\"");
            impl->idToToken[t.id] = t.content;
            impl->special[t.id] = t.special;
        }
        impl->idBytes.reserve(size);
        for (const auto& token : impl->idToToken) {
            if (!isValidUtf8(token)) throw InputError(source, "a token is not valid UTF-8");
            impl->idBytes.push_back(byteLevelToBytes(token));
        }

        impl->model = std::make_unique<BpeModel>(std::move(vocab), merges, unkId, model.value("ignore_merges", false), source);
        impl->added = std::make_unique<AddedTokenMatcher>(std::move(added));

        const json pre = doc.value("pre_tokenizer", json());
        if (!pre.is_null()) impl->parsePreTokenizer(pre);
        if (!impl->byteLevelSeen)
            throw InputError(source, "only byte-level BPE is supported: the pre-tokenizer has no ByteLevel step");
        bool templateSeen = false;
        impl->parsePostProcessor(doc.value("post_processor", json()), templateSeen);
        impl->checkDecoder(doc.value("decoder", json()));
    } catch (const json::exception& e) {
        throw InputError(source, std::string("malformed tokenizer.json: ") + e.what());
    }
    return std::unique_ptr<BpeTokenizer>(new BpeTokenizer(std::move(impl)));
}

std::vector<int32_t> BpeTokenizer::encode(std::string_view text, bool addSpecialTokens) const {
    const std::size_t bad = firstInvalidUtf8(text);
    if (bad != text.size()) throw InputError("input text", "invalid UTF-8 at byte " + std::to_string(bad));

    std::vector<int32_t> ids;
    if (addSpecialTokens) ids = impl_->templatePrefix;
    ids.reserve(ids.size() + text.size() / 3);
    const auto segments = impl_->added->split(text, [this](int32_t id) { return inModelRange(id); });
    for (const auto& segment : segments) {
        if (segment.id >= 0) {
            ids.push_back(segment.id);
            continue;
        }
        std::deque<std::string> storage;
        for (std::string_view piece : impl_->preTokenize(segment.text, storage)) impl_->model->encodeWord(piece, ids);
    }
    if (addSpecialTokens) ids.insert(ids.end(), impl_->templateSuffix.begin(), impl_->templateSuffix.end());
    checkModelRange(ids);
    return ids;
}

std::string BpeTokenizer::tokenBytes(int32_t id, bool /*first*/, bool skipSpecialTokens) const {
    if (id < 0 || id >= vocabSize())
        throw InputError("token ids", "unknown token id " + std::to_string(id) + " (vocabulary has " +
                                          std::to_string(vocabSize()) + ")");
    if (skipSpecialTokens && impl_->special[id]) return {};
    return impl_->idBytes[id];
}

std::optional<int32_t> BpeTokenizer::tokenToId(std::string_view token) const {
    for (const auto& t : impl_->added->tokens())
        if (t.content == token) return t.id;
    return impl_->model->tokenToId(std::string(token));
}

std::string BpeTokenizer::idToToken(int32_t id) const {
    return id >= 0 && id < vocabSize() ? impl_->idToToken[id] : std::string();
}

int32_t BpeTokenizer::vocabSize() const { return static_cast<int32_t>(impl_->idToToken.size()); }

bool BpeTokenizer::isSpecial(int32_t id) const { return id >= 0 && id < vocabSize() && impl_->special[id]; }

}  // namespace leopard::text
