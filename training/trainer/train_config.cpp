#include "trainer/train_config.h"

#include <fstream>
#include <set>
#include <sstream>

#include "util/errors.h"

namespace leopard::training {

namespace {

template <typename T>
void read(const nlohmann::json& j, const char* key, T& into, const std::string& source) {
    if (!j.contains(key)) return;
    try {
        into = j.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw InputError(source, std::string("\"") + key + "\" has the wrong type");
    }
}

void readPath(const nlohmann::json& j, const char* key, std::filesystem::path& into,
              const std::filesystem::path& base, const std::string& source) {
    std::string s;
    read(j, key, s, source);
    if (!s.empty()) into = std::filesystem::path(s).is_absolute() ? std::filesystem::path(s) : base / s;
}

}  // namespace

TrainConfig parseTrainConfig(const nlohmann::json& j, const std::filesystem::path& baseDir,
                             const std::string& source) {
    if (!j.is_object()) throw InputError(source, "expected a JSON object");
    static const std::set<std::string> known = {
        "model_config", "init_from", "tokenizer", "train_data", "eval_data", "out", "steps", "batch_size", "lr",
        "min_lr", "warmup_steps", "weight_decay", "beta1", "beta2", "grad_clip", "seed", "tile_budget", "autocast",
        "log_every", "eval_every", "eval_samples", "max_new_tokens", "checkpoint_every", "time_limit_minutes",
        "skip_bad_lines", "device", "glyph_loss_weight", "comment"};
    for (const auto& [key, value] : j.items())
        if (!known.count(key)) throw InputError(source, "unknown key \"" + key + "\"");
    TrainConfig c;
    readPath(j, "model_config", c.modelConfig, baseDir, source);
    readPath(j, "init_from", c.initFrom, baseDir, source);
    readPath(j, "tokenizer", c.tokenizer, baseDir, source);
    readPath(j, "train_data", c.trainData, baseDir, source);
    readPath(j, "eval_data", c.evalData, baseDir, source);
    readPath(j, "out", c.out, baseDir, source);
    read(j, "steps", c.steps, source);
    read(j, "batch_size", c.batchSize, source);
    read(j, "lr", c.lr, source);
    read(j, "min_lr", c.minLr, source);
    read(j, "warmup_steps", c.warmupSteps, source);
    read(j, "weight_decay", c.weightDecay, source);
    read(j, "beta1", c.beta1, source);
    read(j, "beta2", c.beta2, source);
    read(j, "grad_clip", c.gradClip, source);
    read(j, "seed", c.seed, source);
    read(j, "tile_budget", c.tileBudget, source);
    std::string autocast = "none";
    read(j, "autocast", autocast, source);
    if (autocast != "none" && autocast != "bf16") throw InputError(source, "\"autocast\" must be \"none\" or \"bf16\"");
    c.autocastBf16 = autocast == "bf16";
    read(j, "log_every", c.logEvery, source);
    read(j, "eval_every", c.evalEvery, source);
    read(j, "eval_samples", c.evalSamples, source);
    read(j, "max_new_tokens", c.maxNewTokens, source);
    read(j, "checkpoint_every", c.checkpointEvery, source);
    read(j, "time_limit_minutes", c.timeLimitMinutes, source);
    read(j, "skip_bad_lines", c.skipBadLines, source);
    read(j, "device", c.device, source);
    read(j, "glyph_loss_weight", c.glyphLossWeight, source);

    if (c.modelConfig.empty() == c.initFrom.empty())
        throw InputError(source, "exactly one of \"model_config\" and \"init_from\" is required");
    if (c.tokenizer.empty() && c.initFrom.empty()) throw InputError(source, "\"tokenizer\" is required");
    if (c.trainData.empty()) throw InputError(source, "\"train_data\" is required");
    if (c.out.empty()) throw InputError(source, "\"out\" is required");
    if (c.steps < 1) throw InputError(source, "\"steps\" must be at least 1");
    if (c.batchSize < 1) throw InputError(source, "\"batch_size\" must be at least 1");
    if (!(c.lr > 0)) throw InputError(source, "\"lr\" must be positive");
    if (c.minLr < 0 || c.minLr > c.lr) throw InputError(source, "\"min_lr\" must lie in [0, lr]");
    if (c.warmupSteps < 0) throw InputError(source, "\"warmup_steps\" must not be negative");
    if (c.tileBudget < 1) throw InputError(source, "\"tile_budget\" must be at least 1");
    if (c.logEvery < 1) throw InputError(source, "\"log_every\" must be at least 1");
    if (c.glyphLossWeight < 0) throw InputError(source, "\"glyph_loss_weight\" must not be negative");
    return c;
}

TrainConfig loadTrainConfig(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file.string(), "cannot open");
    std::stringstream s;
    s << in.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(s.str());
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file.string(), std::string("malformed JSON: ") + e.what());
    }
    return parseTrainConfig(j, file.parent_path(), file.string());
}

}  // namespace leopard::training
