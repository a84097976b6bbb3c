#include "engine/kv_cache.h"

#include "util/errors.h"

namespace leopard {

KVCache::KVCache(int64_t layers) : layers_(static_cast<size_t>(layers)) {}

std::pair<torch::Tensor, torch::Tensor> KVCache::append(int64_t layer, const torch::Tensor& k,
                                                        const torch::Tensor& v) {
    if (layer < 0 || layer >= static_cast<int64_t>(layers_.size())) throw Error("KVCache: layer out of range");
    Layer& l = layers_[static_cast<size_t>(layer)];
    const int64_t t = k.size(1), needed = length_ + t;
    const int64_t capacity = l.k.defined() ? l.k.size(1) : 0;
    if (needed > capacity) {
        const int64_t grown = std::max<int64_t>({needed, 2 * capacity, 256});
        auto nk = torch::empty({k.size(0), grown, k.size(2)}, k.options());
        auto nv = torch::empty({v.size(0), grown, v.size(2)}, v.options());
        if (length_ > 0) {
            nk.narrow(1, 0, length_).copy_(l.k.narrow(1, 0, length_));
            nv.narrow(1, 0, length_).copy_(l.v.narrow(1, 0, length_));
        }
        l.k = nk;
        l.v = nv;
    }
    l.k.narrow(1, length_, t).copy_(k);
    l.v.narrow(1, length_, t).copy_(v);
    return {l.k.narrow(1, 0, needed), l.v.narrow(1, 0, needed)};
}

void KVCache::advance(int64_t tokens) { length_ += tokens; }

void KVCache::release() {
    for (auto& l : layers_) l = Layer{};
    length_ = 0;
}

int64_t KVCache::bytes() const {
    int64_t total = 0;
    for (const auto& l : layers_)
        if (l.k.defined()) total += (l.k.numel() + l.v.numel()) * static_cast<int64_t>(l.k.element_size());
    return total;
}

}  // namespace leopard
