#include "text/tokenizer_factory.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "text/bpe_tokenizer.h"
#include "text/sentencepiece_tokenizer.h"
#include "util/errors.h"

namespace leopard::text {

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

json readJsonIfExists(const fs::path& path) {
    if (!fs::exists(path)) return json::object();
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string(), "cannot open");
    std::ostringstream s;
    s << in.rdbuf();
    try {
        json j = json::parse(s.str());
        if (!j.is_object()) throw InputError(path.string(), "expected a JSON object");
        return j;
    } catch (const json::exception& e) {
        throw InputError(path.string(), std::string("malformed JSON: ") + e.what());
    }
}

// A token given as "<s>" or {"content": "<s>", …}; empty when absent/null.
std::string tokenString(const json& j) {
    if (j.is_string()) return j.get<std::string>();
    if (j.is_object() && j.contains("content") && j["content"].is_string()) return j["content"].get<std::string>();
    return {};
}

}  // namespace

std::unique_ptr<Tokenizer> loadTokenizer(const fs::path& modelDirOrFile) {
    const bool isDir = fs::is_directory(modelDirOrFile);
    const fs::path dir = isDir ? modelDirOrFile : modelDirOrFile.parent_path();
    fs::path file = modelDirOrFile;
    if (isDir) {
        file = dir / "tokenizer.json";
        if (!fs::exists(file)) file = dir / "tokenizer.model";
        if (!fs::exists(file)) throw InputError(dir.string(), "no tokenizer.json or tokenizer.model in this folder");
    } else if (!fs::exists(file)) {
        throw InputError(file.string(), "no such file");
    }

    std::unique_ptr<Tokenizer> tok;
    SentencePieceTokenizer* sentencePiece = nullptr;
    if (file.extension() == ".json") {
        tok = BpeTokenizer::fromFile(file);
    } else if (file.extension() == ".model") {
        auto sp = SentencePieceTokenizer::fromFile(file);
        sentencePiece = sp.get();
        tok = std::move(sp);
    } else {
        throw InputError(file.string(), "not a tokenizer (expected tokenizer.json or a SentencePiece .model)");
    }

    // tokenizer_config.json wins over special_tokens_map.json, as in transformers.
    const fs::path mapPath = dir / "special_tokens_map.json", configPath = dir / "tokenizer_config.json";
    json merged = readJsonIfExists(mapPath);
    const json config = readJsonIfExists(configPath);
    for (const auto& [key, value] : config.items()) merged[key] = value;

    auto resolve = [&](const char* key, std::optional<int32_t> fallback) -> std::optional<int32_t> {
        if (!merged.contains(key)) return fallback;
        const std::string s = tokenString(merged[key]);
        if (s.empty()) return merged[key].is_null() ? std::nullopt : fallback;
        const auto id = tok->tokenToId(s);
        if (!id) throw InputError((config.contains(key) ? configPath : mapPath).string(),
                                  std::string(key) + " \"" + s + "\" is not in the tokenizer's vocabulary");
        return id;
    };
    const auto bos = resolve("bos_token", tok->bosId());
    const auto eos = resolve("eos_token", tok->eosId());
    const auto pad = resolve("pad_token", tok->padId());
    tok->setSpecialIds(bos, eos, pad);

    if (sentencePiece) {
        std::vector<std::string> special;
        for (const auto& t : merged.value("additional_special_tokens", json::array())) special.push_back(tokenString(t));
        const json decoderEntries = merged.value("added_tokens_decoder", json::object());
        for (const auto& entry : decoderEntries.items())
            if (entry.value().value("special", false)) special.push_back(tokenString(entry.value()));
        sentencePiece->setSpecialTokens(special);
    }
    return tok;
}

}  // namespace leopard::text
