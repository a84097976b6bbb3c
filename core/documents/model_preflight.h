// What can be known about a model folder before loading it, in
// milliseconds (config files and weight-file headers, no tensor data):
// whether the folder is complete, and how much memory loading it and asking
// about a selection will take. The desktop app shows both in the settings
// dialog when a folder is chosen, and the estimate under the question box
// before asking (docs/ARCHITECTURE.md "Model folder").
//
//   leopard::ModelFolderCheck check = leopard::checkModelFolder(dir);
//   if (!check.ok()) label->setText(check.problem);   // what is wrong and what to do
//   leopard::MemoryPlan plan = leopard::planMemory(*check.config, "auto", "auto", tiles, 512);
//   note->setText(leopard::describeMemory(plan));      // "≈ 1.2 GB: weights … + KV cache … + activations …"
//
// The header includes no LibTorch header (ui/ uses it).
//
// Thread-safety: free functions of their arguments, safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <QString>

#include "engine/config.h"
#include "engine/memory_estimate.h"

namespace leopard {

struct ModelFolderCheck {
    std::optional<ModelConfig> config;  // set when config.json parses and passes validate()
    QString problem;                    // empty when the folder is complete; else what is wrong and what to do
    bool ok() const { return problem.isEmpty(); }
};

// Checks, in order: config.json reads and its invariants hold; the weights
// are there (every weight file's header reads, shards named by an index
// exist: engine/checkpoint.h); a tokenizer.json or tokenizer.model is there.
// Reports the first problem found.
ModelFolderCheck checkModelFolder(const QString& dir);

// The memory a question about `tiles` tiles with an answer of up to
// `answerTokens` tokens needs, on the device and in the dtype the settings
// name (resolved as loading resolves them: engine/runtime.h).
struct MemoryPlan {
    InferenceMemory memory;
    std::string device;          // resolved: "cpu", "cuda:0"
    std::string dtype;           // resolved: "float32", "bfloat16", "float16"
    int64_t tiles = 0;
    int64_t answerTokens = 0;
    int64_t contextTokens = 0;   // tiles × tokens per tile + answerTokens (the question's text not counted)
    int64_t maxContext = 0;      // the model's max_position_embeddings
    int64_t availableBytes = 0;  // free memory on the device now
    bool fits() const { return memory.total() <= availableBytes; }
    bool fitsContext() const { return contextTokens <= maxContext; }
};

// Throws InputError for a device or dtype the runtime refuses ("cuda" on a
// machine without CUDA, an unknown dtype).
MemoryPlan planMemory(const ModelConfig& config, const std::string& device, const std::string& dtype, int64_t tiles,
                      int64_t answerTokens);

// One line for the user: "≈ 1.3 GB: weights 1.1 GB + KV cache 134 MB +
// activations 52 MB (f32 on cpu, 14.2 GB free)", followed by what to change
// when it does not fit in the free memory or in the model's context.
QString describeMemory(const MemoryPlan& plan);

}  // namespace leopard
