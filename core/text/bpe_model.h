// The BPE model of a byte-level tokenizer: vocabulary, ranked merges and the
// merge loop, with a cache of results per pre-token.
//
// Thread-safety: immutable after construction except the cache, which is
// guarded by a shared mutex; encodeWord() is thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace leopard::text {

class BpeModel {
public:
    // `vocab`: byte-level token string -> id. `merges`: pairs of token
    // strings in rank order (rank 0 merges first). Throws InputError(source, …)
    // if a merge names a token missing from the vocabulary.
    BpeModel(std::unordered_map<std::string, int32_t> vocab,
             const std::vector<std::pair<std::string, std::string>>& merges, std::optional<int32_t> unkId,
             bool ignoreMerges, const std::string& source);

    // Appends the ids of one pre-token given as raw bytes.
    void encodeWord(std::string_view bytes, std::vector<int32_t>& out) const;

    std::optional<int32_t> tokenToId(const std::string& token) const;
    const std::unordered_map<std::string, int32_t>& vocab() const { return vocab_; }

private:
    void mergeWord(std::string_view bytes, std::vector<int32_t>& out) const;

    struct Merge {
        int32_t rank;
        int32_t id;  // the merged token
    };
    static std::uint64_t pairKey(int32_t a, int32_t b) {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
    }

    std::unordered_map<std::string, int32_t> vocab_;
    std::unordered_map<std::uint64_t, Merge> merges_;
    // Id of the one-byte token for each byte (unk, or -1 = dropped, when the
    // vocabulary lacks it; byte-level vocabularies have all 256).
    std::array<int32_t, 256> byteIds_{};
    bool ignoreMerges_ = false;

    static constexpr std::size_t kMaxCachedWordBytes = 256;
    static constexpr std::size_t kMaxCacheEntries = 200000;
    mutable std::shared_mutex cacheMutex_;
    mutable std::unordered_map<std::string, std::vector<int32_t>> cache_;
};

}  // namespace leopard::text
