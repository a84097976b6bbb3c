#include "documents/conversation.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include <QFileInfo>

#include "documents/document_source.h"
#include "documents/page_image.h"
#include "documents/page_spec.h"
#include "documents/render_policy.h"
#include "documents/render_service.h"
#include "engine/model.h"
#include "engine/session.h"
#include "text/prompt.h"
#include "text/stream_decoder.h"
#include "util/errors.h"

namespace leopard {

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Answer length when neither the caller nor generation_config.json sets one:
// longer than the reference's 128 (benchmark answers are a word or a
// phrase; chat answers are sentences).
constexpr int kDefaultMaxNewTokens = 512;

std::string fileName(const QString& path) { return QFileInfo(path).fileName().toStdString(); }

std::string pageLabel(const QString& file, int page) { return fileName(file) + ", p. " + std::to_string(page); }

// "a.pdf, p. 3–9; b.png, p. 1": consecutive pages of one file as a range.
std::string describePages(const std::vector<std::pair<QString, int>>& pages) {
    std::string out;
    for (size_t i = 0; i < pages.size();) {
        size_t j = i;
        while (j + 1 < pages.size() && pages[j + 1].first == pages[i].first && pages[j + 1].second == pages[j].second + 1)
            ++j;
        if (!out.empty()) out += "; ";
        out += pageLabel(pages[i].first, pages[i].second);
        if (j > i) out += "\u2013" + std::to_string(pages[j].second);
        i = j + 1;
    }
    return out;
}

text::Instruction instructionFor(AnswerStyle style) {
    switch (style) {
        case AnswerStyle::Free: return text::Instruction::None;
        case AnswerStyle::Direct: return text::Instruction::DirectOpen;
        case AnswerStyle::Cot: return text::Instruction::CotOpen;
    }
    return text::Instruction::None;
}

FinishReason finishReasonFor(StopReason r) {
    switch (r) {
        case StopReason::StopToken: return FinishReason::EndOfTurn;
        case StopReason::MaxTokens: return FinishReason::MaxTokens;
        case StopReason::Callback:
        case StopReason::Cancelled: return FinishReason::Cancelled;
    }
    return FinishReason::EndOfTurn;
}

// An opened file and the 0-based pages selected from it.
struct OpenedFile {
    QString path;
    std::shared_ptr<const DocumentSource> document;
    std::vector<int> pages;
};

}  // namespace

// The pages of the current sources, rendered and cut into tiles for one
// budget; rebuilt only when the sources or the budget change.
struct Conversation::Prepared {
    int budget = 0;
    bool takeFirstPages = false;
    std::vector<PageUsed> pages;
    std::vector<QImage> images;
    std::vector<int> tilesPerImage;
    torch::Tensor pixels;  // [tiles, 3, T, T] on the model's device, in its dtype
    double renderSeconds = 0, tilingSeconds = 0;
    bool fresh = true;  // not yet used by an ask (its timings count once)
};

struct Conversation::Engine {
    explicit Engine(std::shared_ptr<const LeopardModel> model) : session(std::move(model)) {}
    InferenceSession session;
};

Conversation::Conversation(std::shared_ptr<const ModelHandle> model)
    : model_(std::move(model)), engine_(std::make_unique<Engine>(model_->model())) {}

Conversation::~Conversation() = default;

void Conversation::setSources(std::vector<SourceSelection> sources) {
    if (sources == sources_) return;
    sources_ = std::move(sources);
    prepared_.reset();
    engine_->session.reset();
}

void Conversation::setTurns(std::vector<Turn> turns) { turns_ = std::move(turns); }

std::vector<QImage> Conversation::pageImages() const { return prepared_ ? prepared_->images : std::vector<QImage>{}; }

int64_t Conversation::tilesEncoded() const { return engine_->session.tilesEncoded(); }

Conversation::Prepared& Conversation::prepare(const std::string& question, const AskOptions& options,
                                                    const AskCallbacks& callbacks, std::vector<std::string>& warnings) {
    auto warn = [&](const std::string& w) {
        warnings.push_back(w);
        if (callbacks.onWarning) callbacks.onWarning(w);
    };
    if (question.find_first_not_of(" \t\r\n") == std::string::npos) throw InputError("question", "is empty");
    if (options.tileBudget <= 0)
        throw InputError("tile budget", std::to_string(options.tileBudget) + " is not a positive number of tiles");
    if (sources_.empty()) throw InputError("sources", "no files to ask about");
    if (prepared_ && prepared_->budget == options.tileBudget && prepared_->takeFirstPages == options.takeFirstPages)
        return *prepared_;
    // The pages will change: the cached keys and values describe the old ones.
    prepared_.reset();
    engine_->session.reset();

    auto t0 = Clock::now();
    // Open every file; one that fails is left out with a warning. A page
    // selection out of range is the user's mistake, not the file's: it stops.
    std::vector<OpenedFile> files;
    std::vector<std::string> failures;
    OpenOptions open;
    open.cancel = &options.cancel;
    for (const SourceSelection& s : sources_) {
        options.cancel.throwIfCancelled();
        std::shared_ptr<const DocumentSource> doc;
        try {
            doc = openDocument(s.path, open);
        } catch (const CancelledError&) {
            throw;
        } catch (const Error& e) {
            failures.push_back(e.what());
            continue;
        }
        files.push_back({s.path, doc, parsePageSpec(s.pages, doc->pageCount(), s.path.toStdString())});
    }

    // Every page needs at least its global view within the budget.
    std::vector<std::pair<QString, int>> selected;  // file, 1-based page
    for (const OpenedFile& f : files)
        for (int p : f.pages) selected.emplace_back(f.path, p + 1);
    const int maxPages = options.tileBudget - 1;
    if (static_cast<int>(selected.size()) > maxPages) {
        if (!options.takeFirstPages || maxPages <= 0)
            throw InputError("pages", std::to_string(selected.size()) + " pages are selected but a tile budget of " +
                                          std::to_string(options.tileBudget) + " shows at most " +
                                          std::to_string(maxPages) +
                                          "; select fewer pages (--pages) or take the first pages that fit");
        const std::vector<std::pair<QString, int>> left(selected.begin() + maxPages, selected.end());
        warn("only the first " + std::to_string(maxPages) + " of " + std::to_string(selected.size()) +
             " pages fit the tile budget of " + std::to_string(options.tileBudget) + "; left out: " +
             describePages(left));
        int keep = maxPages;
        for (OpenedFile& f : files) {
            const int n = std::min<int>(keep, static_cast<int>(f.pages.size()));
            f.pages.resize(n);
            keep -= n;
        }
        files.erase(std::remove_if(files.begin(), files.end(), [](const OpenedFile& f) { return f.pages.empty(); }),
                    files.end());
    }

    // Render at the DPI policy's scale (documents/render_policy.h) for an
    // equal share of the tiles left after the global views. All pages of a
    // file are queued at once and render in parallel.
    int totalPages = 0;
    for (const OpenedFile& f : files) totalPages += static_cast<int>(f.pages.size());
    const int share = modelPageBudget(options.tileBudget, totalPages);
    const int tileSize = model_->tileSize();
    auto prepared = std::make_unique<Prepared>();
    prepared->budget = options.tileBudget;
    prepared->takeFirstPages = options.takeFirstPages;
    int done = 0;
    report(callbacks.progress, {"rendering", 0, totalPages, {}});
    for (const OpenedFile& f : files) {
        RenderService service(f.document);
        std::vector<QFuture<QImage>> futures;
        for (int p : f.pages) futures.push_back(service.renderForModel(p, tileSize, share, options.cancel));
        std::vector<QImage> images;
        try {
            for (size_t i = 0; i < futures.size(); ++i) {
                images.push_back(waitForImage(futures[i]));
                report(callbacks.progress, {"rendering", ++done, totalPages, pageLabel(f.path, f.pages[i] + 1)});
            }
        } catch (const CancelledError&) {
            throw;
        } catch (const Error& e) {
            failures.push_back(e.what());
            done += static_cast<int>(futures.size() - images.size());
            continue;
        }
        for (size_t i = 0; i < images.size(); ++i) {
            PageUsed used;
            used.file = f.path;
            used.page = f.pages[i] + 1;
            used.image = static_cast<int>(prepared->pages.size()) + 1;
            used.width = images[i].width();
            used.height = images[i].height();
            prepared->pages.push_back(used);
            prepared->images.push_back(images[i]);
        }
    }
    if (prepared->pages.empty()) {
        std::string lines;
        for (const std::string& f : failures) lines += "\n  " + f;
        throw InputError(failures.size() == 1 ? failures.front() : "none of the files could be read:" + lines);
    }
    for (const std::string& f : failures) warn(f + " (left out)");
    prepared->renderSeconds = secondsSince(t0);

    // Plan and cut the tiles (LEOPARD.md §3).
    t0 = Clock::now();
    std::vector<imaging::ImageRGB> rgb;
    for (const QImage& image : prepared->images) rgb.push_back(toImageRGB(image));
    imaging::TileBatch batch = imaging::prepareTiles(rgb, tileSize, options.tileBudget, callbacks.progress,
                                                     model_->normalization());
    rgb.clear();
    prepared->tilesPerImage = batch.tilesPerImage;
    for (size_t i = 0; i < prepared->pages.size(); ++i) prepared->pages[i].modelTiles = batch.tilesPerImage[i];
    auto pixels = torch::empty({batch.count, 3, batch.tileSize, batch.tileSize}, torch::kFloat);
    std::memcpy(pixels.data_ptr<float>(), batch.data.data(), batch.data.size() * sizeof(float));
    const TensorPlacement& placement = model_->model()->placement();
    prepared->pixels = pixels.to(placement.options());
    prepared->tilingSeconds = secondsSince(t0);

    prepared_ = std::move(prepared);
    return *prepared_;
}

namespace {

std::vector<text::Turn> historyFor(const std::vector<Turn>& turns) {
    std::vector<text::Turn> history;
    for (const Turn& t : turns) history.push_back({{t.question, {}}, t.answer});
    return history;
}

}  // namespace

std::string Conversation::promptText(const std::string& question, const AskOptions& options,
                                     const AskCallbacks& callbacks) {
    std::vector<std::string> warnings;
    const Prepared& prepared = prepare(question, options, callbacks, warnings);
    const auto ids = model_->promptBuilder().build(historyFor(turns_), {question, {}}, prepared.tilesPerImage,
                                                   instructionFor(options.style));
    return model_->tokenizer().decode(ids, /*skipSpecialTokens=*/false);
}

AskResult Conversation::ask(const std::string& question, const AskOptions& options, const AskCallbacks& callbacks) {
    AskResult result;
    result.model = model_->info();
    Prepared& prepared = prepare(question, options, callbacks, result.warnings);
    result.pages = prepared.pages;
    if (prepared.fresh) {
        result.timings.render = prepared.renderSeconds;
        result.timings.encode = prepared.tilingSeconds;
        prepared.fresh = false;
    }

    const LeopardModel& model = *model_->model();
    const auto ids32 = model_->promptBuilder().build(historyFor(turns_), {question, {}}, prepared.tilesPerImage,
                                                     instructionFor(options.style));
    const std::vector<int64_t> ids(ids32.begin(), ids32.end());
    const int64_t promptLength = model.expandedLength(ids);
    const int64_t context = model.config().text.max_position_embeddings;
    if (promptLength >= context)
        throw InputError("prompt", "the pages and question need " + std::to_string(promptLength) +
                                       " positions but the model reads at most " + std::to_string(context) +
                                       "; select fewer pages or lower the tile budget");

    GenerationOptions gen;
    const auto& generationConfig = model.config().generation;
    int64_t maxNew = options.maxNewTokens > 0 ? options.maxNewTokens
                     : generationConfig && generationConfig->max_new_tokens ? *generationConfig->max_new_tokens
                                                                            : kDefaultMaxNewTokens;
    if (maxNew > context - promptLength) {
        maxNew = context - promptLength;
        const std::string w = "the answer is limited to " + std::to_string(maxNew) +
                              " tokens by the model's context length";
        result.warnings.push_back(w);
        if (callbacks.onWarning) callbacks.onWarning(w);
    }
    gen.maxNewTokens = maxNew;
    gen.sampling.temperature = options.temperature;
    gen.sampling.topK = options.topK;
    gen.sampling.topP = options.topP;
    gen.sampling.seed = options.seed;
    gen.useConfigStopIds = !options.ignoreEndOfTurn;
    gen.cancel = &options.cancel;
    gen.progress = callbacks.progress;

    // Streamed text; progress per token with the running rate.
    text::StreamDecoder stream(model_->tokenizer(), /*skipSpecialTokens=*/true);
    int64_t generated = 0;
    Clock::time_point firstToken;
    gen.onToken = [&](int64_t id) {
        if (generated++ == 0) firstToken = Clock::now();
        const std::string piece = stream.push(static_cast<int32_t>(id));
        result.answer += piece;
        if (callbacks.onText && !piece.empty()) callbacks.onText(piece);
        if (callbacks.progress) {
            const double seconds = secondsSince(firstToken);
            const double rate = seconds > 0 ? (generated - 1) / seconds : 0;
            char detail[48];
            std::snprintf(detail, sizeof detail, "%.1f tokens/s", rate);
            if (!callbacks.progress({"generating", generated, maxNew, detail})) return false;
        }
        return true;
    };

    // Vision encoding happens inside the prefill, for the uncached tiles
    // only; it is timed apart so the prefill figure is the decoder's.
    double visionSeconds = 0;
    EncodeOptions encode;
    encode.progress = callbacks.progress;
    encode.cancel = &options.cancel;
    const TileFeatureFn encodeTiles = pixelTiles(model_->model(), prepared.pixels, encode);
    const TileFeatureFn timedTiles = [&](int64_t first, int64_t count) {
        const auto t0 = Clock::now();
        auto features = encodeTiles(first, count);
        visionSeconds += secondsSince(t0);
        return features;
    };

    const int64_t tilesBefore = engine_->session.tilesEncoded();
    GenerationResult r;
    try {
        r = engine_->session.generate(ids, timedTiles, gen);
    } catch (...) {
        // A failure inside the prefill leaves the cache in an unknown state.
        engine_->session.reset();
        throw;
    }
    const std::string tail = stream.flush();
    result.answer += tail;
    if (callbacks.onText && !tail.empty()) callbacks.onText(tail);

    result.finishReason = finishReasonFor(r.reason);
    result.tilesEncoded = engine_->session.tilesEncoded() - tilesBefore;
    result.timings.encode += visionSeconds;
    result.timings.prefill = std::max(0.0, r.prefillSeconds - visionSeconds);
    result.timings.decode = r.decodeSeconds;
    result.timings.promptTokens = promptLength;
    result.timings.reusedTokens = r.reusedPositions;
    result.timings.generatedTokens = generated;
    result.timings.tokensPerSecond = r.decodeSeconds > 0 ? generated / r.decodeSeconds : 0;

    turns_.push_back({question, result.answer, result.finishReason});
    if (callbacks.onFinished) callbacks.onFinished(result);
    return result;
}

}  // namespace leopard
