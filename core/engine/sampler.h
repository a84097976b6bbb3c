// Choosing the next token from logits: greedy (argmax, the reference) or
// sampling with temperature, top-k, top-p (nucleus) and a repetition
// penalty (transformers' definition: a seen token's logit is divided by the
// penalty when positive, multiplied when negative). Sampling draws from a
// std::mt19937_64 seeded by the caller, so a seed reproduces a run.
//
//   leopard::Sampler s({/*temperature=*/0.7, /*topK=*/40, /*topP=*/0.9, 1.1, /*seed=*/42});
//   int64_t id = s.next(logits, history);
//
// Thread-safety: none (holds the random state); one per generation.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include <torch/torch.h>

namespace leopard {

struct SamplingOptions {
    double temperature = 0.0;        // ≤ 0: greedy
    int64_t topK = 0;                // 0: no limit
    double topP = 1.0;               // 1: no limit
    double repetitionPenalty = 1.0;  // 1: none
    uint64_t seed = 0;

    bool greedy() const { return temperature <= 0.0; }
};

class Sampler {
public:
    explicit Sampler(const SamplingOptions& options);
    // logits [V] (any dtype/device) → chosen id. `history` are the ids the
    // repetition penalty applies to (prompt and generated so far).
    int64_t next(const torch::Tensor& logits, const std::vector<int64_t>& history);
    const SamplingOptions& options() const { return options_; }

private:
    SamplingOptions options_;
    std::mt19937_64 rng_;
};

}  // namespace leopard
