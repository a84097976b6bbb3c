#include "engine/sampler.h"

#include <algorithm>

#include "util/errors.h"

namespace leopard {

Sampler::Sampler(const SamplingOptions& options) : options_(options), rng_(options.seed) {
    if (options.topK < 0) throw InputError("bad top-k " + std::to_string(options.topK) + ": must be ≥ 0");
    if (!(options.topP > 0.0 && options.topP <= 1.0))
        throw InputError("bad top-p " + std::to_string(options.topP) + ": must be in (0, 1]");
    if (!(options.repetitionPenalty > 0.0))
        throw InputError("bad repetition penalty " + std::to_string(options.repetitionPenalty) + ": must be > 0");
}

int64_t Sampler::next(const torch::Tensor& logitsIn, const std::vector<int64_t>& history) {
    auto logits = logitsIn.detach().to(torch::kCPU, torch::kFloat).contiguous().clone();   // [V]
    const int64_t vocab = logits.size(0);
    float* l = logits.data_ptr<float>();
    if (options_.repetitionPenalty != 1.0) {
        std::vector<int64_t> seen(history);
        std::sort(seen.begin(), seen.end());
        seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
        const auto p = static_cast<float>(options_.repetitionPenalty);
        for (int64_t id : seen)
            if (id >= 0 && id < vocab) l[id] = l[id] > 0 ? l[id] / p : l[id] * p;
    }
    if (options_.greedy()) return logits.argmax().item<int64_t>();

    // Candidates sorted by logit, cut by top-k, then by top-p mass.
    logits.div_(options_.temperature);
    const int64_t k = options_.topK > 0 ? std::min(options_.topK, vocab) : vocab;
    auto [values, indices] = logits.topk(k);   // descending
    const auto probs = torch::softmax(values, 0);
    const float* p = probs.data_ptr<float>();
    const int64_t* idx = indices.data_ptr<int64_t>();
    int64_t keep = k;
    if (options_.topP < 1.0) {
        double mass = 0;
        for (int64_t i = 0; i < k; ++i) {
            mass += p[i];
            if (mass >= options_.topP) {
                keep = i + 1;
                break;
            }
        }
    }
    double total = 0;
    for (int64_t i = 0; i < keep; ++i) total += p[i];
    std::uniform_real_distribution<double> uniform(0.0, total);
    double u = uniform(rng_);
    for (int64_t i = 0; i < keep; ++i) {
        u -= p[i];
        if (u <= 0) return idx[i];
    }
    return idx[keep - 1];
}

}  // namespace leopard
