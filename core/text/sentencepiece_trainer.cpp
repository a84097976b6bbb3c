#include "text/sentencepiece_trainer.h"

#include <fstream>
#include <unordered_map>

#include "text/sentencepiece_library.h"
#include "util/atomic_file.h"
#include "util/errors.h"

namespace leopard::text {

std::filesystem::path trainSentencePiece(const std::vector<std::string>& lines,
                                         const SentencePieceTrainingOptions& options,
                                         const std::filesystem::path& outputPrefix) {
    std::string symbols;
    for (const auto& s : options.userDefinedSymbols) {
        if (s.empty() || s.find(',') != std::string::npos)
            throw InputError("vocabulary options", "special token \"" + s + "\" is empty or contains a comma");
        symbols += (symbols.empty() ? "" : ",") + s;
    }
    std::unordered_map<std::string, std::string> args = {
        {"model_type", options.modelType},
        {"vocab_size", std::to_string(options.vocabSize)},
        {"character_coverage", "1.0"},
        {"byte_fallback", "true"},
        {"split_digits", "true"},
        {"normalization_rule_name", "identity"},
        {"remove_extra_whitespaces", "false"},
        {"allow_whitespace_only_pieces", "true"},
        {"unk_id", "0"},
        {"bos_id", "1"},
        {"eos_id", "2"},
        {"pad_id", "3"},
        {"num_threads", "1"},
        {"input_sentence_size", "0"},
        {"shuffle_input_sentence", "false"},
        {"max_sentence_length", "65536"},
        {"minloglevel", "2"},  // quiet: the trainer logs every step to stderr
    };
    if (!symbols.empty()) args["user_defined_symbols"] = symbols;

    std::string serialized, error;
    if (!sentencepiece::library().train(args, lines, &serialized, &error)) throw InputError("vocabulary training", error);
    auto path = outputPrefix;
    path += ".model";
    writeFileAtomically(path, serialized);
    return path;
}

std::filesystem::path trainSentencePiece(const std::filesystem::path& corpusFile,
                                         const SentencePieceTrainingOptions& options,
                                         const std::filesystem::path& outputPrefix) {
    std::ifstream in(corpusFile, std::ios::binary);
    if (!in) throw InputError(corpusFile.string(), "cannot open the corpus");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) lines.push_back(std::move(line));
    }
    if (lines.empty()) throw InputError(corpusFile.string(), "the corpus is empty");
    return trainSentencePiece(lines, options, outputPrefix);
}

}  // namespace leopard::text
