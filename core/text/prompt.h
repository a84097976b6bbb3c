// Leopard's chat prompt (LEOPARD.md §4): the LLaMA-3 chat layout with one
// block per image —  "image k: " <image_begin> <image_placeholder>×tiles
// <image_end>  — where tiles counts the global view plus the image's tiles
// (each placeholder later receives one tile's projected features).
//
//   auto format = leopard::text::PromptFormat::fromModelDir(modelDir);
//   leopard::text::PromptBuilder builder(*tokenizer, format, config.imageTokenIndex);
//   auto ids = builder.build({}, {"What is the title?", {}}, {3, 1}, Instruction::DirectOpen);
//
// Single turn: BOS, user_header, question (with image blocks), "\n",
// instruction, end_of_turn, assistant_header. `<image>` markers in the
// question are replaced by the blocks in order; images without a marker are
// put in front, followed by one space (markers in the whole conversation
// count; missing ones go in front of the first user turn). Earlier turns
// repeat the layout, each followed by its answer and end_of_turn. One BOS.
//
// Tokenization: every special string of the format is resolved to an id by
// the tokenizer (by string, never a constant); text runs between them are
// encoded separately, which equals encoding the whole prompt as one string
// (added tokens split text anyway) except where a run begins with a line
// break right after a header's "\n\n". Training and inference use this
// same code, so they always agree.
//
// Thread-safety: PromptBuilder is immutable after construction; build()
// and buildTrainingExample() are thread-safe. It borrows the tokenizer,
// which must outlive it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "text/tokenizer.h"

namespace leopard::text {

// The special strings of a chat prompt. Defaults: LLaMA-3 / Leopard-LLaVA.
struct PromptFormat {
    std::string bos = "<|begin_of_text|>";
    std::string userHeader = "<|start_header_id|>user<|end_header_id|>\n\n";
    std::string assistantHeader = "<|start_header_id|>assistant<|end_header_id|>\n\n";
    std::string endOfTurn = "<|eot_id|>";
    std::string imageBegin = "<|reserved_special_token_20|>";
    std::string imageEnd = "<|reserved_special_token_21|>";
    std::string imagePlaceholder = "<|reserved_special_token_195|>";

    // The defaults, overridden by config.json's optional "leopard_prompt"
    // object (keys bos, user_header, assistant_header, end_of_turn,
    // image_begin, image_end, image_placeholder). No config.json: defaults.
    // Throws InputError naming config.json for malformed JSON, unknown keys
    // or non-string values.
    static PromptFormat fromModelDir(const std::filesystem::path& modelDir);
};

// The reference evaluation instructions (get_instruction).
enum class Instruction {
    None,                  // "" — free-form chat
    DirectMultipleChoice,  // "Answer with the option's letter from the given choices directly."
    DirectOpen,            // "Answer the question using a single word or phrase."
    CotMultipleChoice,     // "First think step by step. Then answer with the letter of the correct option."
    CotOpen,               // "First think step by step. Then answer with a single word or phrase."
};
std::string instructionText(Instruction instruction);

struct UserTurn {
    std::string text;                  // may contain "<image>" markers
    std::vector<std::string> options;  // multiple choice: appended as "\nOptions: A. … B. …\n"
};

// A finished exchange of the conversation so far.
struct Turn {
    UserTurn user;
    std::string answer;
};

// One message of a training conversation.
struct Message {
    enum class Role { User, Assistant };
    Role role;
    std::string text;  // user messages may contain "<image>" markers
};

struct TrainingExample {
    std::vector<int32_t> ids;
    // 1 for the tokens the loss is computed on (assistant content and its
    // end_of_turn), 0 for BOS, headers and user turns. Same length as ids.
    std::vector<uint8_t> lossMask;
};

class PromptBuilder {
public:
    // Resolves the format's special strings through `tokenizer`. Throws
    // InputError if one is not a single token of the vocabulary, or if the
    // image placeholder's id differs from `imageTokenIndex` (config.json).
    PromptBuilder(const Tokenizer& tokenizer, PromptFormat format, int32_t imageTokenIndex);

    // Input ids for generating the answer to `question` after `history`.
    // tilesPerImage[k]: placeholders for image k (global view + tiles, ≥ 1).
    // The instruction is applied to every user turn. Throws InputError if
    // the conversation has more <image> markers than images, or more than
    // 26 options.
    std::vector<int32_t> build(const std::vector<Turn>& history, const UserTurn& question,
                               const std::vector<int>& tilesPerImage, Instruction instruction) const;

    // A training sample: user messages verbatim (no instruction added),
    // each assistant message followed by end_of_turn; loss on those only.
    TrainingExample buildTrainingExample(const std::vector<Message>& conversation,
                                         const std::vector<int>& tilesPerImage) const;

    int32_t imageTokenId() const { return placeholderId_; }

private:
    struct Encoder;
    const Tokenizer& tokenizer_;
    PromptFormat format_;
    int32_t bosId_, endOfTurnId_, imageBeginId_, imageEndId_, placeholderId_;
};

}  // namespace leopard::text
