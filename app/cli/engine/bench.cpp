// `leopard-cli bench`: speed and memory of the engine on this machine, on a
// model folder or on random weights of a named shape (resources/configs/
// NAME.json: leopard-llava-8b is the released shape, llama-1b a quick one).
//
//   leopard-cli bench --random llama-1b --dtype bf16 --tiles 2 --prompt-tokens 128 --new-tokens 16 [--json]
//
// Prints load time, vision seconds per tile, prefill and decode tokens/s,
// peak RSS, and a memory-bandwidth copy benchmark from the same run with the
// ratio of the measured decode time per token to the time needed to stream
// the decoder's weights once at that bandwidth (1.0 = bandwidth-bound ideal).
#include <chrono>
#include <cstdio>
#include <random>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "util/command_line.h"
#include "engine/memory.h"
#include <torch/csrc/autograd/profiler_legacy.h>

#include "engine/checkpoint.h"
#include "engine/config.h"
#include "engine/memory_estimate.h"
#include "engine/model.h"
#include "engine/runtime.h"
#include "engine/safetensors.h"
#include "engine/session.h"
#include "util/atomic_file.h"
#include "util/errors.h"
#include "util/paths.h"

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Args {
    std::string model, random, device = "auto", dtype = "auto";
    int64_t tiles = 2, promptTokens = 128, newTokens = 16;
    int threads = 0;
    bool json = false;
    bool estimate = false;
    std::string saveRandom;   // --save-random DIR
    std::string profile;      // --profile FILE: chrome trace of prefill + decode
};

// --random … --save-random DIR: the random model as a model folder in the
// bench dtype (config.json + model.safetensors), e.g. to measure loading.
void saveRandomModel(const leopard::LeopardModel& model, c10::ScalarType dtype, const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    leopard::writeSafetensors(dir / "model.safetensors", leopard::namedWeights(model.net()), {{"format", "pt"}});
    auto config = model.config();
    config.torch_dtype = leopard::dtypeName(dtype);
    leopard::writeFileAtomically(dir / "config.json", leopard::toJson(config).dump(2) + "\n");
}

// NAME → dataDir()/configs/NAME.json (build tree or installation); a path
// to a .json file is taken as is.
std::filesystem::path randomConfigPath(const std::string& name) {
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0) return name;
    const auto file = leopard::dataDir() / "configs" / (name + ".json");
    if (!std::filesystem::exists(file))
        throw leopard::InputError(file.string(), "no config for the random shape '" + name + "'");
    return file;
}

// Large-copy bandwidth in bytes/s (bytes read + bytes written), best of 5.
double copyBandwidth(const c10::Device& device) {
    const int64_t bytes = int64_t{512} << 20;
    const auto src = torch::ones({bytes / 4}, torch::TensorOptions().device(device).dtype(torch::kFloat));
    auto dst = torch::empty_like(src);
    double best = 1e30;
    for (int i = 0; i < 6; ++i) {
        if (device.is_cuda()) torch::cuda::synchronize();
        const auto t0 = Clock::now();
        dst.copy_(src);
        if (device.is_cuda()) torch::cuda::synchronize();
        if (i > 0) best = std::min(best, since(t0));   // the first run faults the pages in
    }
    return 2.0 * static_cast<double>(bytes) / best;
}

// Bytes one decode step reads: every decoder weight except the embedding
// table (one row is gathered), plus the vocabulary projection.
int64_t decodeWeightBytes(const leopard::LeopardModel& m) {
    int64_t total = 0;
    const auto& lm = m.net()->language_model;
    for (const auto& p : lm->parameters()) total += p.numel() * static_cast<int64_t>(p.element_size());
    const auto& emb = lm->model->embed_tokens->weight;
    if (!m.config().text.tie_word_embeddings) total -= emb.numel() * static_cast<int64_t>(emb.element_size());
    return total;
}

void sync(const c10::Device& d) {
    if (d.is_cuda()) torch::cuda::synchronize();
}

// --estimate: the memory this shape needs, from the config alone (nothing
// is allocated), as the desktop app shows it before loading.
void printEstimate(const Args& a, const leopard::ModelConfig& config, const c10::Device& device,
                   c10::ScalarType dtype) {
    leopard::InferenceShape shape;
    shape.weightElementSize = static_cast<int64_t>(c10::elementSize(dtype));
    // f16 weights compute in f32 on the CPU (layers.h asComputeDtype).
    shape.computeElementSize = dtype == c10::kHalf && device.is_cpu() ? 4 : shape.weightElementSize;
    shape.tiles = a.tiles;
    shape.contextTokens = a.tiles * config.tokensPerTile() + a.promptTokens + a.newTokens;
    const auto m = leopard::estimateInferenceMemory(config, shape);
    const double gib = double(int64_t{1} << 30);
    if (a.json) {
        std::printf("%s\n", nlohmann::json{{"dtype", leopard::dtypeName(dtype)},
                                           {"parameters", leopard::countParameters(config).total()},
                                           {"tiles", shape.tiles},
                                           {"context_tokens", shape.contextTokens},
                                           {"weight_bytes", m.weightBytes},
                                           {"kv_cache_bytes", m.kvCacheBytes},
                                           {"activation_bytes", m.activationBytes},
                                           {"total_bytes", m.total()}}
                                 .dump(2)
                                 .c_str());
        return;
    }
    std::printf("parameters         %.2f B\n", double(leopard::countParameters(config).total()) / 1e9);
    std::printf("dtype              %s\n", leopard::dtypeName(dtype).c_str());
    std::printf("weights            %.2f GiB\n", double(m.weightBytes) / gib);
    std::printf("KV cache           %.2f GiB (%lld positions: %lld tiles, %lld prompt, %lld new)\n",
                double(m.kvCacheBytes) / gib, static_cast<long long>(shape.contextTokens),
                static_cast<long long>(a.tiles), static_cast<long long>(a.promptTokens),
                static_cast<long long>(a.newTokens));
    std::printf("activations        %.2f GiB\n", double(m.activationBytes) / gib);
    std::printf("total              %.2f GiB\n", double(m.total()) / gib);
}

void runBench(const Args& a) {
    leopard::configureRuntime({a.threads, /*quiet=*/false});
    if (a.model.empty() == a.random.empty()) throw leopard::InputError("bench: give exactly one of --model or --random");
    const auto device = leopard::parseDevice(a.device);
    const auto modelDir = a.random.empty() ? leopard::resolveModelDir(a.model) : std::filesystem::path();
    const auto config = a.random.empty() ? leopard::loadModelConfig(modelDir)
                                         : leopard::loadModelConfigFile(randomConfigPath(a.random));
    const auto dtype = leopard::parseDtype(a.dtype, device, config.torch_dtype);
    if (a.estimate) {
        printEstimate(a, config, device, dtype);
        return;
    }

    auto t0 = Clock::now();
    std::shared_ptr<leopard::LeopardModel> model;
    if (!a.random.empty()) {
        model = leopard::LeopardModel::create(config, {device, dtype});
        model->initializeRandom(1);
    } else {
        model = leopard::LeopardModel::load(modelDir, {device, dtype, {}});
    }
    sync(device);
    const double loadSeconds = since(t0);
    // Memory right after loading, before any activation or KV cache.
    const int64_t loadPeakRss = leopard::peakRssBytes();
    const int64_t fileBytes = modelDir.empty() ? 0 : static_cast<int64_t>(leopard::Checkpoint(modelDir).totalFileBytes());
    if (!a.saveRandom.empty()) {
        if (a.random.empty()) throw leopard::InputError("--save-random", "needs --random");
        saveRandomModel(*model, dtype, a.saveRandom);
        std::printf("wrote %s (%s, %.2f GiB of weights)\n", a.saveRandom.c_str(), leopard::dtypeName(dtype).c_str(),
                    leopard::Checkpoint(a.saveRandom).totalFileBytes() / double(int64_t{1} << 30));
        return;
    }
    const leopard::ModelConfig& cfg = model->config();
    torch::NoGradGuard noGrad;

    // Vision: random normalized tiles.
    const auto gen = at::detail::createCPUGenerator(7);
    const auto pixels = torch::rand({a.tiles, cfg.vision.num_channels, cfg.vision.image_size, cfg.vision.image_size},
                                    gen).mul_(2).sub_(1);
    t0 = Clock::now();
    const auto features = a.tiles > 0 ? model->encodeImages(pixels, {}) : torch::Tensor();
    sync(device);
    const double visionSeconds = since(t0);

    // Prompt: BOS, one placeholder per tile, random text ids.
    std::vector<int64_t> ids;
    if (cfg.text.bos_token_id) ids.push_back(*cfg.text.bos_token_id);
    for (int64_t i = 0; i < a.tiles; ++i) ids.push_back(cfg.image_token_index);
    std::mt19937_64 rng(3);
    while (static_cast<int64_t>(ids.size()) < a.tiles + std::max<int64_t>(a.promptTokens, 1)) {
        const auto id = static_cast<int64_t>(rng() % static_cast<uint64_t>(cfg.text.vocab_size));
        if (id != cfg.image_token_index) ids.push_back(id);
    }
    leopard::InferenceSession session(model);
    leopard::GenerationOptions opt;
    opt.maxNewTokens = std::max<int64_t>(a.newTokens, 1);
    opt.useConfigStopIds = false;   // always decode the requested count
    std::unique_ptr<torch::autograd::profiler::RecordProfile> profile;
    if (!a.profile.empty()) profile = std::make_unique<torch::autograd::profiler::RecordProfile>(a.profile);
    const auto r = session.generate(ids, [&](int64_t first, int64_t n) { return features.narrow(0, first, n); }, opt);
    profile.reset();   // writes the trace
    const double bandwidth = copyBandwidth(device);
    const int64_t weightBytes = decodeWeightBytes(*model);
    const double decodePerToken = r.decodeTokens > 0 ? r.decodeSeconds / r.decodeTokens : 0;
    const double streamSeconds = weightBytes / bandwidth;

    nlohmann::ordered_json j;
    j["model"] = a.random.empty() ? a.model : "random:" + a.random;
    j["device"] = device.str();
    j["dtype"] = leopard::dtypeName(dtype);
    j["threads"] = at::get_num_threads();
    j["parameters_bytes"] = model->parameterBytes();
    j["load_s"] = loadSeconds;
    j["load_peak_rss_bytes"] = loadPeakRss;
    if (fileBytes > 0) {
        j["weight_file_bytes"] = fileBytes;
        j["load_peak_rss_vs_files"] = double(loadPeakRss) / double(fileBytes);
    }
    j["tiles"] = a.tiles;
    j["vision_s_per_tile"] = a.tiles > 0 ? visionSeconds / a.tiles : 0;
    j["prefill_positions"] = r.prefillPositions;
    j["prefill_s"] = r.prefillSeconds;
    j["prefill_tok_per_s"] = r.prefillPositions / r.prefillSeconds;
    j["decode_tokens"] = r.decodeTokens;
    j["decode_tok_per_s"] = r.decodeTokensPerSecond();
    j["peak_rss_bytes"] = leopard::peakRssBytes();
    j["copy_bandwidth_gb_per_s"] = bandwidth / 1e9;
    j["decode_weight_bytes"] = weightBytes;
    j["decode_vs_bandwidth_ratio"] = decodePerToken / streamSeconds;
    if (a.json) {
        std::printf("%s\n", j.dump(2).c_str());
        return;
    }
    const double gib = 1024.0 * 1024 * 1024;
    std::printf("model              %s\n", j["model"].get<std::string>().c_str());
    std::printf("device / dtype     %s / %s, %d threads\n", device.str().c_str(), leopard::dtypeName(dtype).c_str(),
                at::get_num_threads());
    std::printf("weights            %.2f GiB\n", model->parameterBytes() / gib);
    std::printf("load               %.2f s%s\n", loadSeconds, a.random.empty() ? "" : " (random init)");
    if (fileBytes > 0)
        std::printf("peak RSS at load   %.2f GiB = %.3f x the weight files (%.2f GiB)\n", loadPeakRss / gib,
                    double(loadPeakRss) / double(fileBytes), fileBytes / gib);
    std::printf("vision             %.3f s/tile (%lld tiles)\n", j["vision_s_per_tile"].get<double>(),
                static_cast<long long>(a.tiles));
    std::printf("prefill            %.1f tok/s (%lld positions in %.2f s)\n", j["prefill_tok_per_s"].get<double>(),
                static_cast<long long>(r.prefillPositions), r.prefillSeconds);
    std::printf("decode             %.2f tok/s (%lld tokens, %.1f ms/token)\n", r.decodeTokensPerSecond(),
                static_cast<long long>(r.decodeTokens), decodePerToken * 1e3);
    std::printf("peak RSS           %.2f GiB\n", leopard::peakRssBytes() / gib);
    std::printf("copy bandwidth     %.1f GB/s (read + write)\n", bandwidth / 1e9);
    std::printf("decode / stream    %.2f x (%.1f ms/token vs %.1f ms to stream %.2f GiB of decoder weights)\n",
                decodePerToken / streamSeconds, decodePerToken * 1e3, streamSeconds * 1e3, weightBytes / gib);
}

leopard::cli::Registrar reg("bench", 50, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("bench", "Measure load, vision, prefill and decode speed, peak memory and "
                                            "memory bandwidth");
    static Args a;
    cmd->add_option("--model", a.model, "Model folder to load");
    cmd->add_option("--random", a.random, "Random weights of a named shape (leopard-llava-8b, llama-1b) or a config .json");
    cmd->add_option("--device", a.device, "cpu, cuda, cuda:N or auto")->capture_default_str();
    cmd->add_option("--dtype", a.dtype, "f32, bf16, f16 or auto")->capture_default_str();
    cmd->add_option("--tiles", a.tiles, "Image tiles to encode and splice")->capture_default_str();
    cmd->add_option("--prompt-tokens", a.promptTokens, "Text tokens in the prompt")->capture_default_str();
    cmd->add_option("--new-tokens", a.newTokens, "Tokens to decode")->capture_default_str();
    cmd->add_option("--threads", a.threads, "Intra-op threads (default: $LEOPARD_THREADS or all cores)");
    cmd->add_flag("--json", a.json, "Print one JSON object");
    cmd->add_option("--save-random", a.saveRandom,
                    "With --random: write the random weights (in --dtype) as a model folder DIR and exit");
    cmd->add_option("--profile", a.profile,
                    "Write LibTorch's per-operator trace of prefill + decode to FILE (chrome://tracing JSON); "
                    "scripts/profile_summary.py totals it per operator");
    cmd->add_flag("--estimate", a.estimate,
                  "Only print the memory this shape needs (weights, KV cache, activations) from the config; "
                  "nothing is loaded or allocated");
    cmd->callback([] { runBench(a); });
});

}  // namespace
