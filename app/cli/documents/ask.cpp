// `leopard-cli ask FILE... -q QUESTION` and `leopard-cli compare A B... -q
// QUESTION`: a question about pages, answered by the model as it streams.
// Everything but the terminal is in core (documents/conversation.h); this
// file wires options, the SIGINT handler, stdout/stderr, notes and sessions.
#include <csignal>
#include <cstdio>
#include <string>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "util/command_line.h"
#include "documents/ask_options.h"
#include "documents/conversation.h"
#include "documents/notes.h"
#include "documents/session_file.h"
#include "documents/settings.h"
#include "engine/runtime.h"
#include "util/errors.h"

namespace leopard::cli {
namespace {

enum class Mode { Ask, Compare };

// SIGINT sets the conversation's CancelToken: generation stops within one
// token and what was streamed stays. A second Ctrl-C kills the process.
std::atomic<bool>* g_cancelFlag = nullptr;

void onSigint(int) {
    if (g_cancelFlag) g_cancelFlag->store(true);
    std::signal(SIGINT, SIG_DFL);
}

class SigintGuard {
public:
    explicit SigintGuard(const CancelToken& token) {
        g_cancelFlag = token.raw();
        struct sigaction sa {};
        sa.sa_handler = onSigint;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &previous_);
    }
    ~SigintGuard() {
        sigaction(SIGINT, &previous_, nullptr);
        g_cancelFlag = nullptr;
    }

private:
    struct sigaction previous_ {};
};

// One status line on stderr, rewritten in place; only on a terminal.
class ProgressLine {
public:
    ProgressLine() : enabled_(::isatty(STDERR_FILENO) == 1) {}
    bool operator()(const Progress& p) {
        if (!enabled_ || stopped_) return true;
        std::string line = p.stage;
        if (p.stage == "generating") {
            // The answer streams to the same terminal from here on.
            clear();
            stopped_ = true;
            return true;
        }
        if (p.total > 0) line += " " + std::to_string(p.done) + "/" + std::to_string(p.total);
        if (!p.detail.empty()) line += "  " + p.detail;
        std::fprintf(stderr, "\r\033[K%s", line.c_str());
        std::fflush(stderr);
        shown_ = true;
        return true;
    }
    void clear() {
        if (shown_) std::fputs("\r\033[K", stderr);
        shown_ = false;
    }

private:
    bool enabled_;
    bool stopped_ = false;
    bool shown_ = false;
};

nlohmann::ordered_json resultJson(const std::string& question, const AskResult& r, size_t turn) {
    nlohmann::ordered_json j;
    j["question"] = question;
    j["answer"] = r.answer;
    j["finish_reason"] = finishReasonName(r.finishReason);
    j["turn"] = turn;
    j["sources"] = nlohmann::ordered_json::array();
    for (const PageUsed& p : r.pages)
        j["sources"].push_back({{"file", p.file.toStdString()},
                                {"page", p.page},
                                {"image", p.image},
                                {"tiles", p.modelTiles},
                                {"width", p.width},
                                {"height", p.height}});
    j["warnings"] = r.warnings;
    j["tiles_encoded"] = r.tilesEncoded;
    j["timings"] = {{"render_s", r.timings.render},
                    {"encode_s", r.timings.encode},
                    {"prefill_s", r.timings.prefill},
                    {"decode_s", r.timings.decode},
                    {"prompt_tokens", r.timings.promptTokens},
                    {"reused_tokens", r.timings.reusedTokens},
                    {"generated_tokens", r.timings.generatedTokens},
                    {"tokens_per_s", r.timings.tokensPerSecond}};
    j["model"] = r.model.name.toStdString();
    j["model_dir"] = r.model.dir.toStdString();
    j["device"] = r.model.device;
    j["dtype"] = r.model.dtype;
    return j;
}

void run(const AskCommandLine& o, Mode mode) {
    // Everything that can be checked without the model is checked first.
    if (!o.questionGiven) throw InputError("question", "missing: give it with -q QUESTION");
    if (o.question.find_first_not_of(" \t\r\n") == std::string::npos) throw InputError("question", "is empty");
    if (o.budget <= 0) throw InputError("--budget", std::to_string(o.budget) + " is not a positive number of tiles");
    if (!o.notes.empty()) checkNotesTarget(o.notes);
    SessionData session;
    if (!o.session.empty()) {
        checkSessionTarget(o.session);
        session = loadSession(o.session);
    }
    std::vector<SourceSelection> sources = sourcesFrom(o, mode == Mode::Compare ? "1" : "");
    if (sources.empty()) sources = session.sources;
    if (sources.empty()) throw InputError("files", "none given: name the documents or images to ask about");
    if (mode == Mode::Compare && sources.size() < 2)
        throw InputError("compare", "needs at least two files (A B [C...])");

    configureRuntime({o.threads, /*quiet=*/o.json});
    AskOptions options = askOptionsFrom(o);
    SigintGuard sigint(options.cancel);
    ProgressLine progress;
    auto progressFn = [&progress](const Progress& p) { return progress(p); };

    ModelHandle::Options load;
    load.device = o.device;
    load.dtype = o.dtype;
    load.progress = progressFn;
    load.cancel = options.cancel;
    auto model = ModelHandle::load(resolveModel(o.model), load);

    Conversation chat(model);
    chat.setSources(sources);
    chat.setTurns(session.turns);

    AskCallbacks callbacks;
    callbacks.progress = progressFn;
    callbacks.onWarning = [&progress](const std::string& w) {
        progress.clear();
        std::fprintf(stderr, "warning: %s\n", w.c_str());
    };
    bool streamed = false;
    if (!o.json) {
        callbacks.onText = [&](const std::string& piece) {
            progress.clear();
            std::fwrite(piece.data(), 1, piece.size(), stdout);
            std::fflush(stdout);
            streamed = true;
        };
    }

    if (o.printPrompt) {
        const std::string prompt = chat.promptText(o.question, options, callbacks);
        progress.clear();
        std::fwrite(prompt.data(), 1, prompt.size(), stdout);
        std::fputc('\n', stdout);
        return;
    }

    const AskResult result = chat.ask(o.question, options, callbacks);
    progress.clear();
    if (mode == Mode::Compare && !o.json)
        for (const PageUsed& p : result.pages)
            std::fprintf(stderr, "image %d: %s, p. %d\n", p.image, p.file.toStdString().c_str(), p.page);
    if (o.json) {
        std::printf("%s\n", resultJson(o.question, result, chat.turns().size()).dump(2).c_str());
    } else if (streamed || result.finishReason != FinishReason::Cancelled) {
        std::fputc('\n', stdout);
    }
    std::fflush(stdout);

    // Notes and session are written even for an interrupted answer (marked).
    if (!o.notes.empty()) appendNote(o.notes, noteFromResult(o.question, result, chat.pageImages()));
    if (!o.session.empty()) {
        session.sources = chat.sources();
        session.turns = chat.turns();
        session.model = result.model.dir;
        saveSession(o.session, session);
    }
    if (result.finishReason == FinishReason::Cancelled) {
        std::fprintf(stderr, "leopard-cli: interrupted; the partial answer was kept%s\n",
                     o.notes.empty() && o.session.empty() ? "" : " (and saved)");
        setExitCode(kExitCancelled);
    }
}

Registrar askReg("ask", 20, [](CLI::App& app) {
    static AskCommandLine o;
    auto* cmd = app.add_subcommand("ask", "Ask a question about documents and images; the answer streams to stdout");
    addAskOptions(cmd, o);
    cmd->callback([] { run(o, Mode::Ask); });
});

Registrar compareReg("compare", 21, [](CLI::App& app) {
    static AskCommandLine o;
    auto* cmd = app.add_subcommand(
        "compare",
        "Ask about several screenshots or pages shown as image 1, image 2, ... in order "
        "(e.g. \"What changed between these two versions?\"); each FILE gives its first page "
        "unless --pages says otherwise");
    addAskOptions(cmd, o);
    cmd->callback([] { run(o, Mode::Compare); });
});

}  // namespace
}  // namespace leopard::cli
