// Deterministic random choices for the synthetic data generator.
//
// std::mt19937_64's output sequence is fixed by the C++ standard, but the
// standard distributions (uniform_int_distribution, …) are not: libstdc++ and
// libc++ give different values for the same engine state. These helpers map
// raw engine output to ranges by a fixed rule, so a seed gives the same data
// on every platform and standard library.
//
// Not thread-safe: one Rng per generating thread.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace leopard::synth {

class Rng {
public:
    explicit Rng(uint64_t seed) : engine_(seed) {}

    // Uniform integer in [lo, hi] (inclusive) by rejection sampling, so no
    // value is favoured.
    int64_t intIn(int64_t lo, int64_t hi) {
        const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
        if (span == 0) return static_cast<int64_t>(engine_());  // full 64-bit range
        const uint64_t limit = UINT64_MAX - UINT64_MAX % span;
        uint64_t x;
        do x = engine_();
        while (x >= limit);
        return lo + static_cast<int64_t>(x % span);
    }

    // Uniform double in [0, 1) from the top 53 bits.
    double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

    bool chance(double p) { return unit() < p; }

    template <typename T>
    const T& pick(const std::vector<T>& v) {
        return v.at(static_cast<size_t>(intIn(0, static_cast<int64_t>(v.size()) - 1)));
    }

    // k distinct elements of v in random order (k <= v.size()).
    template <typename T>
    std::vector<T> sample(const std::vector<T>& v, size_t k) {
        std::vector<T> pool = v;
        shuffle(pool);
        pool.resize(k < pool.size() ? k : pool.size());
        return pool;
    }

    // Fisher–Yates with intIn (std::shuffle's algorithm is unspecified).
    template <typename T>
    void shuffle(std::vector<T>& v) {
        for (size_t i = v.size(); i > 1; --i) {
            const auto j = static_cast<size_t>(intIn(0, static_cast<int64_t>(i) - 1));
            std::swap(v[i - 1], v[j]);
        }
    }

    // A child generator, so one sample's retries do not shift the next one.
    Rng fork() { return Rng(engine_()); }

private:
    std::mt19937_64 engine_;
};

}  // namespace leopard::synth
