// Opens the tokenizer of a model folder (or a tokenizer file directly):
// tokenizer.json (BpeTokenizer) first, tokenizer.model (SentencePiece)
// otherwise, then applies the folder's tokenizer_config.json and
// special_tokens_map.json: bos_token / eos_token / pad_token (strings or
// {"content": …} objects) set the BOS/EOS/PAD ids, and
// additional_special_tokens plus added_tokens_decoder entries with
// "special": true mark tokens special.
//
//   auto tok = leopard::text::loadTokenizer(modelDir);
//
// Errors: InputError naming the file (missing tokenizer, malformed JSON,
// unknown model type, a declared special token the vocabulary lacks).
// Thread-safety: a free function; the returned tokenizer is owned by the
// caller (see text/tokenizer.h for its thread-safety).
#pragma once

#include <filesystem>
#include <memory>

#include "text/tokenizer.h"

namespace leopard::text {

std::unique_ptr<Tokenizer> loadTokenizer(const std::filesystem::path& modelDirOrFile);

}  // namespace leopard::text
