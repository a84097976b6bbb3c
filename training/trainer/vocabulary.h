// The SentencePiece vocabulary of a small Leopard model (`leopard-train
// vocab`): libsentencepiece's trainer (text/sentencepiece_trainer.h) over
// the conversations of a training set plus the text the prompt builder adds
// (instructions, "image k: "), with the prompt's special strings
// (model_folder.h smallModelPromptFormat) as user-defined symbols.
// Writes DIR/tokenizer.model and DIR/tokenizer_config.json (bos, eos and
// the special tokens declared so decoding skips them).
//
// Thread-safety: not reentrant (libsentencepiece's trainer has global state).
#pragma once

#include <filesystem>
#include <vector>

#include "data/dataset.h"

namespace leopard::training {

// Returns the number of corpus lines. Throws InputError when the corpus
// cannot support the vocabulary size.
size_t trainVocabulary(const std::vector<TrainSample>& samples, int vocabSize, const std::filesystem::path& outDir);

// A byte-level tokenizer.json (Hugging Face BPE layout: the 256 byte tokens,
// no merges) with the same special tokens, and its tokenizer_config.json.
// The bundled default model's vocabulary (`leopard-train vocab --byte-level`):
// with a small corpus every byte embedding gets trained, where most rows of a
// learned vocabulary would not. Written atomically.
void writeByteLevelVocabulary(const std::filesystem::path& outDir);

}  // namespace leopard::training
