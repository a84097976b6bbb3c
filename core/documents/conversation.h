// The ask API: questions about a set of pages, answered by a loaded model,
// one turn after another. Used by `leopard-cli ask`/`compare` and by the
// desktop app, which must not duplicate any of it.
//
// A Conversation holds
//   * the sources: files and their selected pages, in order — every page is
//     one image of the prompt ("image 1: …", "image 2: …");
//   * the rendered pages and their tile plan (LEOPARD.md §3), kept while the
//     sources and the tile budget stay the same;
//   * the turns so far, and the model session whose KV cache makes a
//     follow-up cost only its new tokens: the images are in front of the
//     first question, so they are neither rendered nor encoded again.
// Changing the sources (or the budget) resets the cache; the turns stay, as
// text, and the next question re-reads the new pages.
//
//   auto model = leopard::ModelHandle::load(dir, {});
//   leopard::Conversation chat(model);
//   chat.setSources({{"report.pdf", "1-3"}, {"chart.png", ""}});
//   leopard::AskOptions opt;
//   leopard::AskCallbacks cb;
//   cb.onText = [](const std::string& piece) { std::cout << piece << std::flush; };
//   cb.progress = [](const leopard::Progress& p) { return true; };  // see below
//   leopard::AskResult r = chat.ask("What changed between 2023 and 2024?", opt, cb);
//   r = chat.ask("And per region?", opt, cb);   // r.tilesEncoded == 0
//   // Stop button / SIGINT, from any thread:  opt.cancel.cancel();
//
// Progress stages, in order: "loading" is ModelHandle's; then "rendering"
// (done/total pages, detail "file, p. N"), "tiling" (tiles cut), "encoding"
// (tiles through the vision tower), "prefill" and "generating" (done =
// tokens so far, total = the token limit, detail "12.3 tokens/s"). Returning
// false from the callback cancels like the token does.
//
// Files that cannot be opened or rendered are reported (onWarning and
// AskResult::warnings, naming the file) and the question goes on with the
// others; when none can be read, ask() throws InputError with one line per
// file. More selected pages than the tile budget can show even as one global
// view each are refused with an InputError asking for a page selection, or,
// with AskOptions::takeFirstPages, cut to the first pages that fit with a
// warning naming the pages left out — never dropped silently.
//
// Cancellation: during rendering or encoding ask() throws CancelledError;
// during generation it stops within one token and returns what was
// generated so far with finishReason Cancelled (that turn is kept).
//
// Thread-safety: ask() blocks (seconds to minutes): call it on a worker
// thread. A Conversation is used by one thread at a time; callbacks run on
// that thread. Several conversations may share one ModelHandle and run
// concurrently. The CancelToken may be set from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <QImage>

#include "documents/ask_types.h"
#include "documents/model_handle.h"
#include "util/progress.h"

namespace leopard {

// How the model is told to answer (LEOPARD.md §4 instructions).
enum class AnswerStyle {
    Free,    // no instruction: free-form chat (the app's default)
    Direct,  // "Answer the question using a single word or phrase."
    Cot,     // "First think step by step. Then answer with a single word or phrase."
};

struct AskOptions {
    int tileBudget = 50;   // tiles per question, global views included (LEOPARD.md §3); must be > 0
    AnswerStyle style = AnswerStyle::Free;
    int maxNewTokens = 0;  // 0: generation_config.json's max_new_tokens, else 512
    // Sampling (greedy when temperature ≤ 0, the reference).
    double temperature = 0;
    int topK = 0;
    double topP = 1.0;
    uint64_t seed = 0;
    // Keep generating through end tokens until maxNewTokens (benchmarks, tests).
    bool ignoreEndOfTurn = false;
    // When even one global view per page exceeds the budget: take the first
    // pages that fit (with a warning) instead of refusing.
    bool takeFirstPages = false;
    CancelToken cancel;
};

struct AskCallbacks {
    ProgressCallback progress;
    std::function<void(const std::string& piece)> onText;      // streamed answer, valid UTF-8
    std::function<void(const std::string& warning)> onWarning; // a file left out, a limit applied
    std::function<void(const AskResult& result)> onFinished;   // after the turn is recorded
};

class Conversation {
public:
    explicit Conversation(std::shared_ptr<const ModelHandle> model);
    ~Conversation();
    Conversation(const Conversation&) = delete;
    Conversation& operator=(const Conversation&) = delete;

    const ModelHandle& model() const { return *model_; }

    // The files (and pages) the questions are about. Setting different
    // sources drops the rendered pages and the KV cache; the turns stay.
    void setSources(std::vector<SourceSelection> sources);
    const std::vector<SourceSelection>& sources() const { return sources_; }

    // The turns so far; setTurns() restores a saved conversation (the cache
    // is rebuilt on the next ask).
    const std::vector<Turn>& turns() const { return turns_; }
    void setTurns(std::vector<Turn> turns);

    // Answers `question` (UTF-8, not empty) about the sources, after the
    // turns so far, and records the turn. Throws InputError for an empty
    // question, no sources, a budget ≤ 0, pages out of range, unreadable
    // files (all of them) or a prompt longer than the model's context;
    // CancelledError when cancelled before generation began.
    AskResult ask(const std::string& question, const AskOptions& options, const AskCallbacks& callbacks = {});

    // The prompt ask() would run, decoded with its special tokens (image
    // placeholders included): for `leopard-cli ask --print-prompt` and tests.
    // Renders and plans the pages like ask() (warnings included) but runs no
    // model.
    std::string promptText(const std::string& question, const AskOptions& options,
                           const AskCallbacks& callbacks = {});

    // The rendered images of the pages that went to the model in the last
    // ask()/promptText(), in AskResult::pages order (for note thumbnails).
    std::vector<QImage> pageImages() const;

    // Tiles run through the vision tower over this conversation's life.
    int64_t tilesEncoded() const;

private:
    struct Prepared;
    struct Engine;
    Prepared& prepare(const std::string& question, const AskOptions& options, const AskCallbacks& callbacks,
                            std::vector<std::string>& warnings);

    std::shared_ptr<const ModelHandle> model_;
    std::vector<SourceSelection> sources_;
    std::vector<Turn> turns_;
    std::unique_ptr<Prepared> prepared_;  // pages + tiles for sources_, or null
    std::unique_ptr<Engine> engine_;      // the inference session (KV cache)
};

}  // namespace leopard
