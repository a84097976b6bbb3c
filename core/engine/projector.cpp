#include "engine/projector.h"

#include <cmath>

#include "util/errors.h"

namespace leopard {

torch::Tensor pixelShuffle(const torch::Tensor& x, int64_t factor) {
    const int64_t b = x.size(0), n = x.size(1), c = x.size(2);
    const auto g = static_cast<int64_t>(std::lround(std::sqrt(static_cast<double>(n))));
    if (g * g != n || g % factor != 0)
        throw Error("pixelShuffle: " + std::to_string(n) + " tokens do not form a grid divisible by " +
                    std::to_string(factor));
    auto h = x.reshape({b, g, g / factor, c * factor});                       // [B, G, G/f, f·C]
    h = h.permute({0, 2, 1, 3}).reshape({b, g / factor, g / factor, c * factor * factor});   // [B, G/f, G/f, f²·C]
    return h.permute({0, 2, 1, 3}).reshape({b, n / (factor * factor), c * factor * factor});   // [B, N/f², f²·C]
}

ProjectorImpl::ProjectorImpl(const ModelConfig& c, const TensorPlacement& p)
    : act(parseActivation(c.projector_hidden_act, "projector_hidden_act")), factor(c.pixel_shuffle_factor) {
    linear_1 = register_module("linear_1", Linear(c.projectorInputSize(), c.text.hidden_size, true, p));
    linear_2 = register_module("linear_2", Linear(c.text.hidden_size, c.text.hidden_size, true, p));
}

torch::Tensor ProjectorImpl::forward(const torch::Tensor& vision) const {
    return linear_2->forward(applyActivation(act, linear_1->forward(pixelShuffle(vision, factor))));
}

}  // namespace leopard
