// Trains a SentencePiece model with libsentencepiece's trainer, for
// `leopard-train vocab` and for tests. The settings favour exact round
// trips and reproducibility: identity normalization (text is not NFKC'd),
// whitespace kept as is, byte fallback (any UTF-8 text encodes without
// <unk>), digits split, one thread and no sampling, so the same corpus and
// options give the same model byte for byte.
//
//   leopard::text::SentencePieceTrainingOptions opt;
//   opt.vocabSize = 8000;
//   opt.userDefinedSymbols = {"<|eot_id|>", "<|image|>"};
//   auto model = leopard::text::trainSentencePiece(lines, opt, dir / "tokenizer");
//   // model == dir / "tokenizer.model"
//
// Ids: 0 <unk>, 1 <s> (BOS), 2 </s> (EOS), 3 <pad>, then the user-defined
// symbols in the order given, then 256 byte pieces and the learned pieces.
// The user-defined symbols are matched in text as single tokens; declare
// them as special tokens of the model folder (tokenizer_config.json
// "additional_special_tokens") so decoding can skip them.
//
// Thread-safety: libsentencepiece's trainer uses global state: do not train
// two models at once in one process.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace leopard::text {

struct SentencePieceTrainingOptions {
    int vocabSize = 8000;
    std::vector<std::string> userDefinedSymbols;  // special tokens; no commas
    std::string modelType = "bpe";                // "bpe" or "unigram"
};

// Trains on `lines` (one sentence each) and writes <outputPrefix>.model
// (atomically). Returns that path. Throws InputError when the corpus cannot
// support the options (e.g. vocabulary too large for it).
std::filesystem::path trainSentencePiece(const std::vector<std::string>& lines,
                                         const SentencePieceTrainingOptions& options,
                                         const std::filesystem::path& outputPrefix);

// Same, reading the corpus from a UTF-8 text file, one sentence per line.
std::filesystem::path trainSentencePiece(const std::filesystem::path& corpusFile,
                                         const SentencePieceTrainingOptions& options,
                                         const std::filesystem::path& outputPrefix);

}  // namespace leopard::text
