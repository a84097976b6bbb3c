// `leopard-train vocab --data train.jsonl --vocab-size N --out DIR`: a
// SentencePiece tokenizer (libsentencepiece's trainer, text/
// sentencepiece_trainer.h) trained on the conversations of a training file,
// with the prompt's special tokens (trainer/model_folder.h
// smallModelPromptFormat) as user-defined symbols. Writes
// DIR/tokenizer.model and DIR/tokenizer_config.json.
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "command.h"
#include "data/dataset.h"
#include "text/prompt.h"
#include "text/sentencepiece_trainer.h"
#include "trainer/model_folder.h"
#include "util/atomic_file.h"
#include "util/errors.h"

namespace {

leopard::train::Registrar reg("vocab", 20, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("vocab", "Train a SentencePiece tokenizer on a training file's text");
    static std::string data, out;
    static int vocabSize = 1024;
    cmd->add_option("--data", data, "train.jsonl (Leopard-Instruct shape)")->required();
    cmd->add_option("--vocab-size", vocabSize, "Vocabulary size")->capture_default_str();
    cmd->add_option("--out", out, "Output folder")->required();
    cmd->callback([] {
        namespace text = leopard::text;
        const auto samples = leopard::training::readTrainJsonl(data, {leopard::training::OnError::Fail, false});
        std::vector<std::string> lines;
        auto addLines = [&](const std::string& s) {
            std::stringstream in(s);
            for (std::string line; std::getline(in, line);)
                if (!line.empty()) lines.push_back(line);
        };
        for (const auto& s : samples)
            for (const auto& t : s.turns) addLines(t.value);
        // What the prompt builder adds around the data's text.
        for (auto i : {text::Instruction::DirectMultipleChoice, text::Instruction::DirectOpen})
            addLines(text::instructionText(i));
        for (int k = 1; k <= 9; ++k) lines.push_back("image " + std::to_string(k) + ": ");

        const auto format = leopard::training::smallModelPromptFormat();
        text::SentencePieceTrainingOptions o;
        o.vocabSize = vocabSize;
        o.userDefinedSymbols = {format.bos,        format.userHeader, format.assistantHeader, format.endOfTurn,
                                format.imageBegin, format.imageEnd,   format.imagePlaceholder};
        std::filesystem::create_directories(out);
        const auto model = text::trainSentencePiece(lines, o, std::filesystem::path(out) / "tokenizer");
        const nlohmann::json config = {{"tokenizer_class", "LlamaTokenizer"},
                                       {"bos_token", format.bos},
                                       {"eos_token", format.endOfTurn},
                                       {"additional_special_tokens", o.userDefinedSymbols},
                                       {"add_bos_token", false}};
        leopard::writeFileAtomically(std::filesystem::path(out) / "tokenizer_config.json", config.dump(2) + "\n");
        std::printf("%s: %d pieces from %zu lines of %zu samples\n", model.c_str(), vocabSize, lines.size(),
                    samples.size());
    });
});

}  // namespace
