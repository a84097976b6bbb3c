#include "documents/page_cache.h"

namespace leopard {

std::optional<QImage> PageCache::get(const Key& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->image;
}

void PageCache::put(const Key& key, const QImage& image) {
    const qint64 size = image.sizeInBytes();
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
        bytes_ -= it->second->image.sizeInBytes();
        lru_.erase(it->second);
        index_.erase(it);
    }
    if (size > capacity_) return;
    lru_.push_front({key, image});
    index_[key] = lru_.begin();
    bytes_ += size;
    evict();
}

void PageCache::evict() {
    while (bytes_ > capacity_ && !lru_.empty()) {
        bytes_ -= lru_.back().image.sizeInBytes();
        index_.erase(lru_.back().key);
        lru_.pop_back();
    }
}

void PageCache::clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    lru_.clear();
    index_.clear();
    bytes_ = 0;
}

qint64 PageCache::bytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return bytes_;
}

size_t PageCache::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lru_.size();
}

}  // namespace leopard
