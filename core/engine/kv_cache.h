// Per-conversation key/value cache of the LLaMA decoder: for every layer the
// rotated keys and the values of all tokens seen so far, kept apart from the
// read-only weights (one cache per InferenceSession).
//
// Storage grows by doubling, so appending one token per decode step costs no
// copy of the whole history. A forward pass over T new tokens writes each
// layer's K/V at positions [length, length+T) with append(), then calls
// advance(T) once; a pass that throws half-way leaves length() unchanged.
//
//   KVCache cache(cfg.text.num_hidden_layers);
//   auto [k, v] = cache.append(layer, kNew, vNew);   // views [Hkv, length+T, D]
//   cache.advance(T);
//   cache.truncate(n);   // forget everything after position n (prefix reuse)
//
// Thread-safety: none; owned and used by one session at a time.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include <torch/torch.h>

namespace leopard {

class KVCache {
public:
    explicit KVCache(int64_t layers);

    // Writes k, v [Hkv, T, D] after the committed positions of `layer` and
    // returns the layer's keys and values up to and including them.
    std::pair<torch::Tensor, torch::Tensor> append(int64_t layer, const torch::Tensor& k, const torch::Tensor& v);
    void advance(int64_t tokens);

    int64_t length() const { return length_; }
    void truncate(int64_t n) { length_ = std::min(length_, std::max<int64_t>(n, 0)); }
    void clear() { length_ = 0; }
    // Frees the storage as well.
    void release();
    // Bytes held by the buffers (capacity, not length).
    int64_t bytes() const;

private:
    struct Layer {
        torch::Tensor k, v;   // [Hkv, capacity, D]
    };
    std::vector<Layer> layers_;
    int64_t length_ = 0;
};

}  // namespace leopard
