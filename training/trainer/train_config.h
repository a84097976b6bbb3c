// The settings of one `leopard-train train` run, read from a recipe's JSON
// file. Paths inside the file are relative to the file's folder. The model's
// shape is NOT here: it comes from a model config.json ("model_config"), or
// from the checkpoint named by "init_from".
//
//   {
//     "model_config": "model_config.json",   // or "init_from": "some/model-dir"
//     "tokenizer": "vocab",                   // folder with tokenizer.model + tokenizer_config.json
//     "train_data": "data/train.jsonl", "eval_data": "data/eval.jsonl",
//     "out": "model",
//     "steps": 2000, "batch_size": 8, "lr": 1e-3, "min_lr": 1e-5, "warmup_steps": 50,
//     "weight_decay": 0.0, "beta1": 0.9, "beta2": 0.999, "grad_clip": 1.0,
//     "seed": 1, "tile_budget": 50, "autocast": "none" | "bf16",
//     "device": "cpu" | "cuda" | "cuda:N" | "auto",
//     "log_every": 10, "eval_every": 200, "eval_samples": 60, "max_new_tokens": 16,
//     "checkpoint_every": 100, "time_limit_minutes": 0, "skip_bad_lines": false,
//     "glyph_loss_weight": 0.0
//   }
//
// Plain value type; thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace leopard::training {

struct TrainConfig {
    std::filesystem::path modelConfig;  // a config.json file (new model), or
    std::filesystem::path initFrom;     // a model folder to start from
    std::filesystem::path tokenizer;
    std::filesystem::path trainData, evalData;
    std::filesystem::path out;

    int64_t steps = 100;
    int64_t batchSize = 8;       // samples per optimizer step, over all processes
    double lr = 1e-3, minLr = 0.0;
    int64_t warmupSteps = 0;
    double weightDecay = 0.0, beta1 = 0.9, beta2 = 0.999;
    double gradClip = 1.0;       // ≤ 0: off
    uint64_t seed = 1;
    int tileBudget = 50;
    bool autocastBf16 = false;
    // Where the model trains (engine/runtime.h parseDevice). The default is
    // the CPU: resumption is bit-exact there; "auto" takes a GPU when present.
    std::string device = "cpu";
    int64_t logEvery = 10;
    int64_t evalEvery = 0;       // 0: only at the end
    int64_t evalSamples = 0;     // 0: the whole eval file
    int64_t maxNewTokens = 16;
    int64_t checkpointEvery = 0; // 0: only at the end (and on a time limit)
    // > 0: after this long, stop and write the model folder as it is (the
    // checkpoint stays: a later run with a larger limit continues from it).
    double timeLimitMinutes = 0;
    bool skipBadLines = false;   // malformed JSONL lines: skip (and report) or fail
    // > 0: samples with "glyph_maps" also train a linear head on the vision
    // tower's patches to name the character each shows (trainer/glyph_labels.h);
    // its mean CE per patch, times this weight, joins the answer loss. The
    // head lives in the training checkpoint only, never in the model folder.
    double glyphLossWeight = 0.0;
};

// Throws InputError("<file>", reason) for a missing file, malformed JSON,
// an unknown key or a value of the wrong type / out of range.
TrainConfig parseTrainConfig(const nlohmann::json& j, const std::filesystem::path& baseDir, const std::string& source);
TrainConfig loadTrainConfig(const std::filesystem::path& file);

}  // namespace leopard::training
