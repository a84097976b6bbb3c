#include "trainer/vocabulary.h"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "text/prompt.h"
#include "text/sentencepiece_trainer.h"
#include "trainer/model_folder.h"
#include "util/atomic_file.h"

namespace leopard::training {

size_t trainVocabulary(const std::vector<TrainSample>& samples, int vocabSize, const std::filesystem::path& outDir) {
    std::vector<std::string> lines;
    auto addLines = [&](const std::string& s) {
        std::stringstream in(s);
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) lines.push_back(line);
    };
    for (const auto& s : samples)
        for (const auto& t : s.turns) addLines(t.value);
    for (auto i : {text::Instruction::DirectMultipleChoice, text::Instruction::DirectOpen})
        addLines(text::instructionText(i));
    for (int k = 1; k <= 9; ++k) lines.push_back("image " + std::to_string(k) + ": ");

    const auto format = smallModelPromptFormat();
    text::SentencePieceTrainingOptions o;
    o.vocabSize = vocabSize;
    o.userDefinedSymbols = {format.bos,        format.userHeader, format.assistantHeader, format.endOfTurn,
                            format.imageBegin, format.imageEnd,   format.imagePlaceholder};
    std::filesystem::create_directories(outDir);
    text::trainSentencePiece(lines, o, outDir / "tokenizer");
    const nlohmann::json config = {{"tokenizer_class", "LlamaTokenizer"},
                                   {"bos_token", format.bos},
                                   {"eos_token", format.endOfTurn},
                                   {"additional_special_tokens", o.userDefinedSymbols},
                                   {"add_bos_token", false}};
    writeFileAtomically(outDir / "tokenizer_config.json", config.dump(2) + "\n");
    return lines.size();
}

void writeByteLevelVocabulary(const std::filesystem::path& outDir) {
    // GPT-2's byte → printable code point table.
    std::vector<int> bytes, points;
    for (int b = 0; b < 256; ++b)
        if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) bytes.push_back(b);
    points = bytes;
    for (int b = 0, n = 0; b < 256; ++b)
        if (std::find(bytes.begin(), bytes.end(), b) == bytes.end()) bytes.push_back(b), points.push_back(256 + n++);
    auto utf8 = [](int cp) {
        std::string s;
        if (cp < 0x80) s += static_cast<char>(cp);
        else if (cp < 0x800) s += static_cast<char>(0xC0 | (cp >> 6)), s += static_cast<char>(0x80 | (cp & 0x3F));
        else s += static_cast<char>(0xE0 | (cp >> 12)), s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
             s += static_cast<char>(0x80 | (cp & 0x3F));
        return s;
    };
    nlohmann::json vocab = nlohmann::json::object();
    for (size_t i = 0; i < bytes.size(); ++i) vocab[utf8(points[i])] = bytes[i];
    const auto f = smallModelPromptFormat();
    const std::vector<std::string> specials{f.bos,      f.userHeader, f.assistantHeader, f.endOfTurn,
                                            f.imageBegin, f.imageEnd, f.imagePlaceholder};
    nlohmann::json added = nlohmann::json::array();
    for (size_t i = 0; i < specials.size(); ++i)
        added.push_back({{"id", 256 + i}, {"content", specials[i]}, {"single_word", false}, {"lstrip", false},
                         {"rstrip", false}, {"normalized", false}, {"special", true}});
    const nlohmann::json byteLevel = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true},
                                      {"use_regex", true}};
    nlohmann::json decoder = byteLevel;
    decoder["add_prefix_space"] = true;
    const nlohmann::json tokenizer = {
        {"version", "1.0"},        {"truncation", nullptr}, {"padding", nullptr}, {"added_tokens", added},
        {"normalizer", nullptr},   {"pre_tokenizer", byteLevel}, {"post_processor", nullptr}, {"decoder", decoder},
        {"model", {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr}, {"continuing_subword_prefix", nullptr},
                   {"end_of_word_suffix", nullptr}, {"fuse_unk", false}, {"byte_fallback", false}, {"vocab", vocab},
                   {"merges", nlohmann::json::array()}}}};
    std::filesystem::create_directories(outDir);
    writeFileAtomically(outDir / "tokenizer.json", tokenizer.dump());
    const nlohmann::json config = {{"bos_token", f.bos}, {"eos_token", f.endOfTurn}, {"additional_special_tokens", specials}};
    writeFileAtomically(outDir / "tokenizer_config.json", config.dump(2) + "\n");
}

}  // namespace leopard::training
