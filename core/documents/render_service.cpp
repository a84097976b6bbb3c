#include "documents/render_service.h"

#include <cmath>
#include <mutex>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <QException>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include "util/errors.h"

namespace leopard {

// One document instance, borrowed by one job and given back on destruction.
class RenderService::Lease {
public:
    Lease(RenderService& owner, std::shared_ptr<const DocumentSource> doc) : owner_(owner), doc_(std::move(doc)) {}
    ~Lease() {
        {
            std::lock_guard<std::mutex> lock(owner_.instancesMutex_);
            owner_.idle_.push_back(std::move(doc_));
        }
        owner_.instanceFree_.notify_one();
    }
    const DocumentSource& doc() const { return *doc_; }

private:
    RenderService& owner_;
    std::shared_ptr<const DocumentSource> doc_;
};

namespace {

// A rendered page is 8–60 MB. glibc serves such blocks with mmap (or trims
// them off a thread's arena) and hands them back to the kernel on free, so
// every next page is faulted in and zero-filled again: that cost as much as
// rasterising (render-bench: 9 → 17 pages/s on two cores). Keep big blocks
// in the process for reuse instead; the peak is bounded by the pages in
// flight plus the byte-bounded caches.
void keepPageBuffersForReuse() {
#ifdef __GLIBC__
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
    });
#endif
}

}  // namespace

RenderService::RenderService(std::shared_ptr<const DocumentSource> document)
    : RenderService(std::move(document), Options{}) {}

RenderService::RenderService(std::shared_ptr<const DocumentSource> document, Options options)
    : primary_(std::move(document)),
      options_(options),
      pages_(options.pageCacheBytes),
      thumbnails_(options.thumbnailCacheBytes) {
    keepPageBuffersForReuse();
    if (options_.threads <= 0) options_.threads = std::max(1, QThread::idealThreadCount());
    pool_.setMaxThreadCount(options_.threads);
    idle_.push_back(primary_);
}

RenderService::~RenderService() {
    // Queued jobs still run, but only to report CancelledError, so every
    // future finishes; then wait for the pool (declared last) to drain.
    shutdown_.cancel();
    pool_.waitForDone();
}

std::unique_ptr<RenderService::Lease> RenderService::acquire(const CancelToken& cancel) {
    std::unique_lock<std::mutex> lock(instancesMutex_);
    while (idle_.empty()) {
        if (created_ < options_.threads) {
            ++created_;
            lock.unlock();
            try {
                return std::make_unique<Lease>(*this, primary_->clone());
            } catch (...) {
                lock.lock();
                --created_;
                throw;
            }
        }
        instanceFree_.wait_for(lock, std::chrono::milliseconds(50));
        if (cancel.cancelled() || shutdown_.cancelled()) throw CancelledError();
    }
    auto doc = std::move(idle_.back());
    idle_.pop_back();
    return std::make_unique<Lease>(*this, std::move(doc));
}

QFuture<QImage> RenderService::submit(PageCache& cache, PageCache::Key key, int page, double scale,
                                      CancelToken cancel) {
    if (std::optional<QImage> hit = cache.get(key)) return QtFuture::makeReadyFuture(*hit);
    return QtConcurrent::run(&pool_, [this, &cache, key, page, scale, cancel]() -> QImage {
        if (cancel.cancelled() || shutdown_.cancelled()) throw CancelledError();
        if (std::optional<QImage> hit = cache.get(key)) return *hit;  // rendered while queued
        std::unique_ptr<Lease> lease = acquire(cancel);
        QImage image = lease->doc().render(page, scale, &cancel);
        cache.put(key, image);
        return image;
    });
}

QFuture<QImage> RenderService::render(int page, double scale, CancelToken cancel) {
    return submit(pages_, {page, std::llround(scale * 1e6)}, page, scale, std::move(cancel));
}

double RenderService::modelScale(int page, int tileSize, int budget) const {
    // Images: native size, planned and resampled once (render_policy.h).
    if (primary_->kind() == DocumentKind::Image) return 1.0;
    return modelRenderScale(primary_->pageSize(page), tileSize, budget, options_.modelPixelLimit);
}

QFuture<QImage> RenderService::renderForModel(int page, int tileSize, int budget, CancelToken cancel) {
    return render(page, modelScale(page, tileSize, budget), std::move(cancel));
}

QFuture<QImage> RenderService::thumbnail(int page, int heightPx, CancelToken cancel) {
    const double scale = thumbnailScale(primary_->pageSize(page), heightPx);
    return submit(thumbnails_, {page, heightPx}, page, scale, std::move(cancel));
}

void RenderService::whenReady(const QFuture<QImage>& future, QObject* context, Done done) {
    QFuture<QImage>(future).then(context, [done = std::move(done)](QFuture<QImage> f) {
        const QString error = futureError(f);
        done(error.isEmpty() ? f.result() : QImage(), error);
    });
}

QImage waitForImage(QFuture<QImage> future) {
    try {
        return future.result();
    } catch (const QUnhandledException& e) {
        // QtConcurrent wraps exceptions that are not QExceptions.
        if (e.exception()) std::rethrow_exception(e.exception());
        throw Error("rendering failed");
    }
}

QString futureError(const QFuture<QImage>& future) {
    try {
        waitForImage(future);
        return {};
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
}

}  // namespace leopard
