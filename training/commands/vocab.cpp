// `leopard-train vocab --data train.jsonl --vocab-size N --out DIR`: the
// SentencePiece tokenizer of a small model (trainer/vocabulary.h), written
// as DIR/tokenizer.model + DIR/tokenizer_config.json.
// `leopard-train vocab --byte-level --out DIR`: the byte-level tokenizer.json
// (256 byte tokens and the prompt's special tokens) that the bundled default
// model uses.
#include <cstdio>

#include "util/command_line.h"
#include "data/dataset.h"
#include "trainer/vocabulary.h"
#include "util/errors.h"

namespace {

leopard::cli::Registrar reg("vocab", 20, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("vocab", "Train a SentencePiece tokenizer on a training file's text");
    static std::string data, out;
    static int vocabSize = 1024;
    static bool byteLevel = false;
    auto* dataOpt = cmd->add_option("--data", data, "train.jsonl (Leopard-Instruct shape)");
    cmd->add_option("--vocab-size", vocabSize, "Vocabulary size")->capture_default_str();
    cmd->add_option("--out", out, "Output folder")->required();
    cmd->add_flag("--byte-level", byteLevel,
                  "Write the byte-level tokenizer.json (256 bytes + special tokens) instead; needs no --data")
        ->excludes(dataOpt);
    cmd->callback([] {
        if (byteLevel) {
            leopard::training::writeByteLevelVocabulary(out);
            std::printf("%s/tokenizer.json: byte-level vocabulary\n", out.c_str());
            return;
        }
        if (data.empty()) throw leopard::InputError("--data", "required (or --byte-level)");
        const auto samples = leopard::training::readTrainJsonl(data, {leopard::training::OnError::Fail, false});
        const size_t lines = leopard::training::trainVocabulary(samples, vocabSize, out);
        std::printf("%s/tokenizer.model: %d pieces from %zu lines of %zu samples\n", out.c_str(), vocabSize, lines,
                    samples.size());
    });
});

}  // namespace
