// A loaded model ready to answer: the weights, the tokenizer, the prompt
// builder and the image normalization of one model folder, loaded together
// so that a folder with weights but no tokenizer (or the reverse) fails at
// once, before any question is asked.
//
//   leopard::ModelHandle::Options opt;
//   opt.device = "auto";
//   opt.progress = [](const leopard::Progress& p) { return true; };  // "loading" k/N
//   std::shared_ptr<const leopard::ModelHandle> model =
//       leopard::ModelHandle::load(leopard::resolveModel(""), opt);
//   leopard::Conversation chat(model);   // documents/conversation.h
//
// The header includes no LibTorch header (ui/ uses it): engine types are
// only named here.
//
// Thread-safety: immutable after load(); share one handle between any number
// of conversations and threads (each Conversation keeps its own KV cache).
// Ownership: shared; the handle owns the model, tokenizer and builder.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "documents/ask_types.h"
#include "engine/config.h"
#include "imaging/tiles.h"
#include "util/progress.h"

namespace leopard {

class LeopardModel;
namespace text {
class Tokenizer;
class PromptBuilder;
}  // namespace text

class ModelHandle {
public:
    struct Options {
        std::string device = "auto";  // engine/runtime.h parseDevice()
        std::string dtype = "auto";   // engine/runtime.h parseDtype()
        ProgressCallback progress;    // stage "loading"; returning false cancels
        CancelToken cancel;           // also cancels loading
    };

    // Loads the model folder `dir` (docs/ARCHITECTURE.md "Model folder"):
    // tokenizer first (cheap), then config and weights. Throws InputError
    // naming the folder when it has no weights or no tokenizer, or a file is
    // unreadable; CancelledError when cancelled.
    static std::shared_ptr<const ModelHandle> load(const std::filesystem::path& dir, const Options& options);

    ~ModelHandle();
    ModelHandle(const ModelHandle&) = delete;
    ModelHandle& operator=(const ModelHandle&) = delete;

    std::shared_ptr<const LeopardModel> model() const;
    const text::Tokenizer& tokenizer() const;
    const text::PromptBuilder& promptBuilder() const;
    const ModelConfig& config() const;
    const imaging::Normalization& normalization() const;
    // Folder, name, device and dtype, for results and notes.
    const ModelInfo& info() const;
    // The vision tower's input size T (tiles are T×T pixels).
    int tileSize() const;

private:
    struct Parts;
    explicit ModelHandle(std::unique_ptr<Parts> parts);
    std::unique_ptr<Parts> parts_;
};

}  // namespace leopard
