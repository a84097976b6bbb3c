// Learning rate by step: linear warmup from lr/warmup to lr over
// `warmupSteps`, then a cosine from lr down to minLr at `totalSteps`
// (LEOPARD.md §7: 3 % warmup, cosine to 0). Pure function; thread-safe.
#pragma once

#include <cstdint>

namespace leopard::training {

// step is 0-based: the rate used for the update that makes step+1.
double learningRate(int64_t step, int64_t totalSteps, int64_t warmupSteps, double lr, double minLr);

}  // namespace leopard::training
