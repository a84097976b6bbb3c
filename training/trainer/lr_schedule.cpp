#include "trainer/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace leopard::training {

double learningRate(int64_t step, int64_t totalSteps, int64_t warmupSteps, double lr, double minLr) {
    if (step < warmupSteps) return lr * static_cast<double>(step + 1) / static_cast<double>(warmupSteps);
    const int64_t decaySteps = std::max<int64_t>(totalSteps - warmupSteps, 1);
    const double t = std::clamp(static_cast<double>(step - warmupSteps) / static_cast<double>(decaySteps), 0.0, 1.0);
    return minLr + 0.5 * (lr - minLr) * (1.0 + std::cos(M_PI * t));
}

}  // namespace leopard::training
