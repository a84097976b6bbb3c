// Writes a model folder the app loads (docs/ARCHITECTURE.md "Model folder"):
// config.json (LLaVA layout + "leopard_prompt"), model.safetensors,
// generation_config.json and the tokenizer files copied from a folder that
// holds tokenizer.model / tokenizer.json + tokenizer_config.json /
// special_tokens_map.json. Every file is written atomically.
//
// Thread-safety: reentrant; reads the model's weights (no other thread may
// update them meanwhile).
#pragma once

#include <filesystem>
#include <optional>

#include "engine/model.h"
#include "engine/safetensors.h"  // NamedTensors
#include "text/prompt.h"

namespace leopard::training {

// The prompt strings of a small model trained by leopard-train: single
// SentencePiece user-defined symbols (a header with "\n\n" would not be one
// token). `leopard-train vocab` declares exactly these.
text::PromptFormat smallModelPromptFormat();

// Writes config.json (+ leopard_prompt from `format`), model.safetensors
// (weights converted to `dtype` when given) and generation_config.json (the
// config's stop ids, max_new_tokens), and copies the tokenizer files of
// `tokenizerDir` when it differs from `dir`. Creates `dir`.
void writeModelFolder(const std::filesystem::path& dir, const LeopardModel& model, const text::PromptFormat& format,
                      const std::filesystem::path& tokenizerDir, std::optional<c10::ScalarType> dtype = std::nullopt);

// A model folder at `out`: the base model of `baseDir` with the LoRA
// adapter of `adapterDir` folded into its weights (W += (alpha/r)·B·A), in
// the base's stored dtype, with the base's tokenizer and prompt format.
// Throws InputError when the adapter belongs to another model.
void writeMergedModelFolder(const std::filesystem::path& baseDir, const std::filesystem::path& adapterDir,
                            const std::filesystem::path& out);

// Copies the tokenizer files present in `from` into `to`.
void copyTokenizerFiles(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace leopard::training
