#include "text/bpe_model.h"

#include <mutex>
#include <queue>

#include "text/byte_level.h"
#include "util/errors.h"

namespace leopard::text {

BpeModel::BpeModel(std::unordered_map<std::string, int32_t> vocab,
                   const std::vector<std::pair<std::string, std::string>>& merges, std::optional<int32_t> unkId,
                   bool ignoreMerges, const std::string& source)
    : vocab_(std::move(vocab)), ignoreMerges_(ignoreMerges) {
    merges_.reserve(merges.size());
    for (std::size_t rank = 0; rank < merges.size(); ++rank) {
        const auto& [a, b] = merges[rank];
        const auto ia = vocab_.find(a), ib = vocab_.find(b), iab = vocab_.find(a + b);
        if (ia == vocab_.end() || ib == vocab_.end() || iab == vocab_.end())
            throw InputError(source, "merge \"" + a + " " + b + "\" uses a token that is not in the vocabulary");
        // A pair listed twice keeps its first (best) rank.
        merges_.emplace(pairKey(ia->second, ib->second), Merge{static_cast<int32_t>(rank), iab->second});
    }
    for (int b = 0; b < 256; ++b) {
        std::string symbol = bytesToByteLevel(std::string(1, static_cast<char>(b)));
        const auto it = vocab_.find(symbol);
        byteIds_[b] = it != vocab_.end() ? it->second : unkId.value_or(-1);
    }
}

std::optional<int32_t> BpeModel::tokenToId(const std::string& token) const {
    const auto it = vocab_.find(token);
    if (it == vocab_.end()) return std::nullopt;
    return it->second;
}

void BpeModel::encodeWord(std::string_view bytes, std::vector<int32_t>& out) const {
    const bool cacheable = bytes.size() <= kMaxCachedWordBytes;
    // Per-thread buffer: looking a word up costs no allocation.
    thread_local std::string key;
    if (cacheable) {
        key.assign(bytes);
        std::shared_lock lock(cacheMutex_);
        const auto it = cache_.find(key);
        if (it != cache_.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<int32_t> ids;
    const auto whole = ignoreMerges_ ? vocab_.find(bytesToByteLevel(bytes)) : vocab_.end();
    if (whole != vocab_.end())
        ids.push_back(whole->second);  // ignore_merges: a word in the vocabulary is one token
    else
        mergeWord(bytes, ids);
    out.insert(out.end(), ids.begin(), ids.end());
    if (cacheable) {
        std::unique_lock lock(cacheMutex_);
        // Bounded memory for endless streams of new words: start over.
        if (cache_.size() >= kMaxCacheEntries) cache_.clear();
        cache_.emplace(key, std::move(ids));
    }
}

void BpeModel::mergeWord(std::string_view bytes, std::vector<int32_t>& out) const {
    // Symbols form a doubly linked list; candidate merges wait in a min-heap
    // ordered by (rank, position) — the tokenizers library's order — and
    // are dropped when popped if either side has changed since.
    struct Symbol {
        int32_t id;
        int prev, next;
    };
    std::vector<Symbol> symbols;
    symbols.reserve(bytes.size());
    for (char c : bytes) {
        const int32_t id = byteIds_[static_cast<unsigned char>(c)];
        if (id < 0) continue;
        const int index = static_cast<int>(symbols.size());
        symbols.push_back({id, index - 1, index + 1});
    }
    if (symbols.empty()) return;
    symbols.back().next = -1;

    struct Candidate {
        int32_t rank;
        int pos;
        int32_t left, right, merged;
        bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> queue;
    auto consider = [&](int left) {
        if (left < 0) return;
        const int right = symbols[left].next;
        if (right < 0) return;
        const auto it = merges_.find(pairKey(symbols[left].id, symbols[right].id));
        if (it != merges_.end()) queue.push({it->second.rank, left, symbols[left].id, symbols[right].id, it->second.id});
    };
    for (int i = 0; i + 1 < static_cast<int>(symbols.size()); ++i) consider(i);

    while (!queue.empty()) {
        const Candidate c = queue.top();
        queue.pop();
        Symbol& left = symbols[c.pos];
        if (left.id != c.left || left.next < 0) continue;
        Symbol& right = symbols[left.next];
        if (right.id != c.right) continue;
        left.id = c.merged;
        right.id = -1;  // removed
        left.next = right.next;
        if (left.next >= 0) symbols[left.next].prev = c.pos;
        consider(left.prev);
        consider(c.pos);
    }
    for (int i = 0; i >= 0; i = symbols[i].next) out.push_back(symbols[i].id);
}

}  // namespace leopard::text
