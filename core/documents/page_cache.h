// A least-recently-used cache of rendered pages bounded in bytes (the sum of
// QImage::sizeInBytes()). An image larger than the whole capacity is not
// kept. Keys are (page, variant): the variant tells renders of one page
// apart (a scale, a thumbnail height).
//
// Thread-safety: all methods lock an internal mutex; QImage is implicitly
// shared, so a returned image costs no copy and stays valid after eviction.
#pragma once

#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include <QImage>

namespace leopard {

class PageCache {
public:
    using Key = std::pair<int, qint64>;  // page, variant

    explicit PageCache(qint64 capacityBytes) : capacity_(capacityBytes) {}

    std::optional<QImage> get(const Key& key);
    // Inserts or replaces, then evicts the least recently used entries
    // until the total fits the capacity.
    void put(const Key& key, const QImage& image);
    void clear();

    qint64 bytes() const;
    qint64 capacity() const { return capacity_; }
    size_t size() const;

private:
    struct Entry {
        Key key;
        QImage image;
    };
    void evict();

    mutable std::mutex mutex_;
    qint64 capacity_;
    qint64 bytes_ = 0;
    std::list<Entry> lru_;  // most recently used first
    std::map<Key, std::list<Entry>::iterator> index_;
};

}  // namespace leopard
