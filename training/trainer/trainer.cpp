#include "trainer/trainer.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <cstdio>
#include <numeric>
#include <random>

#include "engine/config.h"
#include "engine/model.h"
#include "engine/runtime.h"
#include "text/tokenizer_factory.h"
#include "trainer/evaluator.h"
#include "trainer/example.h"
#include "trainer/lr_schedule.h"
#include "trainer/metrics_log.h"
#include "trainer/model_folder.h"
#include "trainer/training_checkpoint.h"
#include "util/errors.h"

namespace leopard::training {

namespace fs = std::filesystem;

size_t SampleOrder::at(int64_t g) {
    const int64_t epoch = g / static_cast<int64_t>(count_);
    if (epoch != epoch_) {
        perm_.resize(count_);
        std::iota(perm_.begin(), perm_.end(), size_t{0});
        std::mt19937_64 rng(seed_ * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(epoch));
        // Fisher–Yates with our own index draws: std::shuffle's algorithm is
        // implementation-defined, this order must not depend on the library.
        for (size_t i = count_; i > 1; --i) std::swap(perm_[i - 1], perm_[rng() % i]);
        epoch_ = epoch;
    }
    return perm_[static_cast<size_t>(g % static_cast<int64_t>(count_))];
}

namespace {

// bf16 autocast for the forward pass on the training device. LibTorch 2.4
// made autocast per device type; 1.13 has separate CPU and GPU switches.
class Bf16Autocast {
public:
    Bf16Autocast(bool on, c10::DeviceType type) : on_(on), type_(type) {
        if (on_) enable(true);
    }
    ~Bf16Autocast() {
        if (!on_) return;
        enable(false);
        at::autocast::clear_cache();
    }
    Bf16Autocast(const Bf16Autocast&) = delete;
    Bf16Autocast& operator=(const Bf16Autocast&) = delete;

private:
    void enable(bool enabled) const {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        if (enabled) at::autocast::set_autocast_dtype(type_, at::kBFloat16);
        at::autocast::set_autocast_enabled(type_, enabled);
#else
        if (type_ == c10::kCUDA) {
            if (enabled) at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
            at::autocast::set_enabled(enabled);
        } else {
            if (enabled) at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
            at::autocast::set_cpu_enabled(enabled);
        }
#endif
    }
    bool on_;
    c10::DeviceType type_;
};

std::shared_ptr<LeopardModel> makeModel(const TrainConfig& c, const text::Tokenizer& tok,
                                        const text::PromptFormat& format, const c10::Device& device) {
    if (!c.initFrom.empty()) return LeopardModel::load(c.initFrom, {device, c10::kFloat, {}});
    ModelConfig mc = loadModelConfigFile(c.modelConfig);
    // The vocabulary defines the ids; the recipe's model config only the shape.
    auto id = [&](const std::string& s) {
        const auto v = tok.tokenToId(s);
        if (!v) throw InputError(c.tokenizer.string(), "the tokenizer lacks the prompt token \"" + s + "\"");
        return static_cast<int64_t>(*v);
    };
    mc.text.vocab_size = tok.vocabSize();
    mc.image_token_index = id(format.imagePlaceholder);
    mc.text.bos_token_id = id(format.bos);
    mc.text.eos_token_ids = {id(format.endOfTurn)};
    mc.torch_dtype = "float32";
    validate(mc, c.modelConfig.string());
    auto model = LeopardModel::create(mc, {});
    model->initializeRandom(c.seed);   // on the CPU: the same start on every device
    if (device.is_cpu()) return model;
    auto placed = LeopardModel::create(mc, TensorPlacement{device, c10::kFloat});
    torch::NoGradGuard noGrad;
    auto from = model->net()->named_parameters();
    for (auto& item : placed->net()->named_parameters()) item.value().copy_(from[item.key()]);
    return placed;
}

}  // namespace

TrainResult runTraining(const TrainConfig& c, const TrainRunOptions& options) {
    using Clock = std::chrono::steady_clock;
    const auto started = Clock::now();
    auto dp = DataParallel::create(options.distributed);
    const int rank = dp->rank(), world = dp->worldSize();
    if (c.batchSize % world != 0)
        throw InputError("batch_size", std::to_string(c.batchSize) + " does not divide by the world size " +
                                           std::to_string(world));
    const bool lead = rank == 0;
    auto say = [&](const char* fmt, auto... args) {
        if (lead && options.verbose) std::fprintf(stderr, fmt, args...);
    };

    const fs::path tokDir = c.tokenizer.empty() ? c.initFrom : c.tokenizer;
    const auto tokenizer = text::loadTokenizer(tokDir);
    const auto format = c.initFrom.empty() ? smallModelPromptFormat() : text::PromptFormat::fromModelDir(c.initFrom);
    const c10::Device device = parseDevice(c.device);
    auto model = makeModel(c, *tokenizer, format, device);
    say("training on %s\n", device.str().c_str());
    const ExampleBuilder builder(*tokenizer, format, model->config(), c.tileBudget);

    ReadReport readReport;
    const ReadOptions readOptions{c.skipBadLines ? OnError::Skip : OnError::Fail, true};
    const auto train = readTrainJsonl(c.trainData, readOptions, &readReport);
    for (const auto& p : readReport.problems) say("skipped %s\n", p.c_str());
    if (train.empty()) throw InputError(c.trainData.string(), "no training samples");
    // Periodic evals use the first eval_samples of the eval file, the final one all of it.
    std::vector<EvalSample> evalAll, evalPeriodic;
    if (!c.evalData.empty()) {
        evalAll = readEvalJsonl(c.evalData, readOptions);
        evalPeriodic = evalAll;
        if (c.evalSamples > 0 && static_cast<int64_t>(evalPeriodic.size()) > c.evalSamples)
            evalPeriodic.resize(static_cast<size_t>(c.evalSamples));
    }

    std::vector<torch::Tensor> params;
    NamedTensors named;
    for (auto& item : model->net()->named_parameters()) {
        item.value().set_requires_grad(true);
        params.push_back(item.value());
        named.emplace_back(item.key(), item.value());
    }
    // The glyph head (train_config.h glyph_loss_weight): optimized and
    // checkpointed with the model, never written into the model folder.
    torch::nn::Linear glyphHead{nullptr};
    if (c.glyphLossWeight > 0) {
        torch::manual_seed(c.seed);
        glyphHead = torch::nn::Linear(model->config().vision.hidden_size, 256);
        glyphHead->to(device);
        for (auto& item : glyphHead->named_parameters()) {
            params.push_back(item.value());
            named.emplace_back("glyph_head." + item.key(), item.value());
        }
    }
    torch::optim::AdamW optimizer(
        params, torch::optim::AdamWOptions(c.lr).betas({c.beta1, c.beta2}).weight_decay(c.weightDecay));

    fs::create_directories(c.out);
    const fs::path ckptDir = c.out / "checkpoint";
    TrainResult result;
    if (const auto state = loadTrainingCheckpoint(ckptDir, named, optimizer)) {
        result.startStep = state->at("step").get<int64_t>();
        say("resuming from %s at step %lld\n", ckptDir.c_str(), static_cast<long long>(result.startStep));
    }
    MetricsLog log(c.out / "metrics.jsonl", /*truncate=*/lead && result.startStep == 0);
    auto saveCheckpoint = [&](int64_t step) {
        if (lead) saveTrainingCheckpoint(ckptDir, named, optimizer, {{"step", step}, {"seed", c.seed}});
        dp->barrier();
    };
    auto runEval = [&](int64_t step, const std::vector<EvalSample>& evalSet) -> std::optional<EvalReport> {
        if (!lead || evalSet.empty()) return std::nullopt;
        EvalOptions eo;
        eo.maxNewTokens = c.maxNewTokens;
        eo.tileBudget = c.tileBudget;
        const auto t0 = Clock::now();
        auto r = evaluate(model, *tokenizer, format, evalSet, eo);
        nlohmann::json line{{"step", step},
                            {"eval_count", r.overall.count},
                            {"elapsed_s", std::chrono::duration<double>(Clock::now() - started).count()},
                            {"eval_s", std::chrono::duration<double>(Clock::now() - t0).count()}};
        for (const auto& [name, s] : r.categories) line["eval"][name] = s.accuracy();
        line["eval"]["overall"] = r.overall.accuracy();
        log.append(line);
        say("eval at step %lld: overall %.1f %%\n", static_cast<long long>(step), 100.0 * r.overall.accuracy());
        return r;
    };

    SampleOrder order(train.size(), c.seed);
    const int64_t perRank = c.batchSize / world;
    double windowSamples = 0, windowTokens = 0;
    auto windowStart = Clock::now();
    int64_t step = result.startStep;
    bool stopEarly = false, outOfTime = false;
    while (step < c.steps && !stopEarly) {
        const double lr = learningRate(step, c.steps, c.warmupSteps, c.lr, c.minLr);
        for (auto& group : optimizer.param_groups())
            static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);

        // Images are decoded and tiled on one thread per sample (prepare() is
        // thread-safe); a bad sample's InputError surfaces from get().
        std::vector<std::future<PreparedExample>> pending;
        for (int64_t j = 0; j < perRank; ++j) {
            const auto& sample = train[order.at(step * c.batchSize + rank * perRank + j)];
            pending.push_back(std::async(std::launch::async, [&builder, &sample] { return builder.prepare(sample); }));
        }
        std::vector<PreparedExample> batch;
        int64_t localMasked = 0, localTokens = 0, localPatches = 0;
        for (auto& f : pending) {
            batch.push_back(f.get());
            localMasked += batch.back().maskedTokens;
            localTokens += model->expandedLength(batch.back().ids);
            if (batch.back().patchLabels.defined()) localPatches += batch.back().patchLabels.numel();
        }
        std::vector<torch::Tensor> counts{
            torch::tensor({static_cast<double>(localMasked), static_cast<double>(localPatches)}, torch::kFloat)};
        dp->allReduceSum(counts);
        const double totalMasked = counts[0][0].item<double>(), totalPatches = counts[0][1].item<double>();

        optimizer.zero_grad();
        double localLossSum = 0, localGlyphSum = 0;
        for (const auto& ex : batch) {
            LossSum loss;
            {
                Bf16Autocast autocast(c.autocastBf16, device.type());
                loss = maskedLoss(*model, ex, glyphHead ? &glyphHead : nullptr);
            }
            auto objective = loss.sum / totalMasked;
            if (loss.glyphSum.defined()) {
                objective = objective + loss.glyphSum * (c.glyphLossWeight / totalPatches);
                localGlyphSum += loss.glyphSum.item<double>();
            }
            objective.backward();
            localLossSum += loss.sum.item<double>();
        }
        // One collective: every gradient, the loss and the stop vote.
        const bool overTime =
            c.timeLimitMinutes > 0 &&
            std::chrono::duration<double>(Clock::now() - started).count() > c.timeLimitMinutes * 60.0;
        std::vector<torch::Tensor> reduce;
        for (auto& p : params) {
            if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
            reduce.push_back(p.grad());
        }
        reduce.push_back(torch::tensor(
            {static_cast<float>(localLossSum), overTime ? 1.0f : 0.0f, static_cast<float>(localGlyphSum)}));
        dp->allReduceSum(reduce);
        const double loss = reduce.back()[0].item<double>() / totalMasked;
        const double glyphLoss = totalPatches > 0 ? reduce.back()[2].item<double>() / totalPatches : 0.0;
        outOfTime = reduce.back()[1].item<float>() > 0;
        stopEarly = outOfTime;
        if (c.gradClip > 0) torch::nn::utils::clip_grad_norm_(params, c.gradClip);
        optimizer.step();
        ++step;
        result.losses.push_back(loss);

        windowSamples += static_cast<double>(c.batchSize);
        windowTokens += static_cast<double>(localTokens * world);
        if (step % c.logEvery == 0 || step == c.steps) {
            const double secs = std::chrono::duration<double>(Clock::now() - windowStart).count();
            if (lead) {
                nlohmann::json line{{"step", step},
                                    {"loss", loss},
                                    {"lr", lr},
                                    {"samples_per_s", windowSamples / secs},
                                    {"tokens_per_s", windowTokens / secs},
                                    {"elapsed_s", std::chrono::duration<double>(Clock::now() - started).count()}};
                if (glyphHead) line["glyph_loss"] = glyphLoss;
                log.append(line);
            }
            say("step %lld/%lld loss %.4f lr %.2e %.2f samples/s %.0f tokens/s", static_cast<long long>(step),
                static_cast<long long>(c.steps), loss, lr, windowSamples / secs, windowTokens / secs);
            if (glyphHead) say(" glyph loss %.4f", glyphLoss);
            say("%s", "\n");
            windowSamples = windowTokens = 0;
            windowStart = Clock::now();
        }
        if (c.checkpointEvery > 0 && step % c.checkpointEvery == 0) saveCheckpoint(step);
        if (c.evalEvery > 0 && step % c.evalEvery == 0 && step < c.steps) runEval(step, evalPeriodic);
        if (options.stopAfterStep > 0 && step >= options.stopAfterStep) stopEarly = true;
    }
    result.endStep = step;
    if (lead) writeLossCurvePng(c.out / "loss_curve.png", readLossPoints(log.file()));
    if (step < c.steps && !outOfTime) {   // interrupted: keep the state to resume from
        saveCheckpoint(step);
        say("stopped at step %lld; run the same command again to resume\n", static_cast<long long>(step));
        return result;
    }
    saveCheckpoint(step);
    if (lead) {
        for (auto& p : params) p.set_requires_grad(false);
        writeModelFolder(c.out, *model, format, tokDir);
        if (const auto report = runEval(step, evalAll))
            writeEvalReport(c.out, *report,
                            {{"steps", step},
                             {"planned_steps", c.steps},
                             {"eval_data", c.evalData.string()},
                             {"train_seconds", std::chrono::duration<double>(Clock::now() - started).count()}});
    }
    dp->barrier();
    result.finished = true;
    return result;
}

}  // namespace leopard::training
