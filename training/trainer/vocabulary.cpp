#include "trainer/vocabulary.h"

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

}  // namespace leopard::training
