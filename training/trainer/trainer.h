// The training loop of `leopard-train train` (full training) and the shared
// step machinery `finetune` reuses: answer-only masked loss (example.h),
// AdamW, warmup + cosine (lr_schedule.h), gradient clipping, gradient
// accumulation (one sample per forward: the decoder runs unbatched, so a
// step of B samples accumulates B backward passes), optional bf16 autocast,
// data parallelism (distributed.h), periodic eval (evaluator.h), resumable
// checkpoints (training_checkpoint.h), metrics.jsonl + loss_curve.png
// (metrics_log.h), and at the end a model folder (model_folder.h).
//
// Loss of a step = Σ CE·mask / Σ mask over ALL samples of the step on all
// processes (the token count is all-reduced before the backward passes), so
// W processes with B/W samples each compute exactly the loss and gradient
// of one process with B samples.
//
// Data order: epoch e visits the training file in a permutation drawn from
// (seed, e); global sample g of the run is the (g mod n)-th of epoch g / n,
// and step s uses samples [s·B, (s+1)·B). Process r of W takes the r-th
// slice of B/W of them.
//
// Thread-safety: one run per process at a time (LibTorch global state).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "trainer/distributed.h"
#include "trainer/train_config.h"

namespace leopard::training {

struct TrainRunOptions {
    DistributedOptions distributed;
    int64_t stopAfterStep = 0;   // > 0: checkpoint and stop once this step is done (an interrupted session)
    bool verbose = true;         // progress lines on stderr (rank 0)
};

struct TrainResult {
    int64_t startStep = 0;       // > 0 when resumed from a checkpoint
    int64_t endStep = 0;
    bool finished = false;       // all steps done and the model folder written
    std::vector<double> losses;  // loss of each step run in this call
};

// Throws InputError for bad configs / data / model folders, Error otherwise.
TrainResult runTraining(const TrainConfig& config, const TrainRunOptions& options);

// Sample order of the run (see above): the index into the training file of
// global sample g.
class SampleOrder {
public:
    SampleOrder(size_t count, uint64_t seed) : count_(count), seed_(seed) {}
    size_t at(int64_t g);

private:
    size_t count_;
    uint64_t seed_;
    int64_t epoch_ = -1;
    std::vector<size_t> perm_;
};

}  // namespace leopard::training
