// Renders the pages of one document on background threads, for the viewer
// (any scale), the model (render_policy.h's DPI policy) and thumbnails,
// with two LRU caches bounded in bytes: full pages and thumbnails are kept
// apart so that scrolling through thumbnails never evicts model renders.
//
//   leopard::RenderService service(std::move(doc));
//   QFuture<QImage> f = service.renderForModel(0, /*tileSize=*/364, /*budget=*/49);
//   QImage page = leopard::waitForImage(f);   // worker threads, CLI
//   service.thumbnail(3, 400, this, [](QImage img, QString error) { ... });  // GUI
//
// Nothing blocks the caller: work runs on the service's own QThreadPool;
// results arrive through a QFuture or through a callback invoked on the
// thread of a context QObject. Errors travel inside the future: wait with
// waitForImage() to get the original leopard::InputError / CancelledError.
//
// Parallelism: a Poppler document is never used by two threads at once, so
// the service renders with up to `threads` instances of the document (the
// one it was given and clones of it), each used by one job at a time.
//
// Cancellation: each request takes a CancelToken, checked before rendering
// and by Poppler while it renders; destroying the service cancels what is
// queued and waits for running jobs.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include <QFuture>
#include <QImage>
#include <QObject>
#include <QThreadPool>

#include "documents/document_source.h"
#include "documents/page_cache.h"
#include "documents/render_policy.h"

namespace leopard {

class RenderService {
public:
    struct Options {
        qint64 pageCacheBytes = qint64(512) << 20;
        qint64 thumbnailCacheBytes = qint64(64) << 20;
        int threads = 0;  // 0: QThread::idealThreadCount()
        qint64 modelPixelLimit = kDefaultModelPixelLimit;  // PDF and office pages only
    };

    explicit RenderService(std::shared_ptr<const DocumentSource> document);
    RenderService(std::shared_ptr<const DocumentSource> document, Options options);
    ~RenderService();
    RenderService(const RenderService&) = delete;
    RenderService& operator=(const RenderService&) = delete;

    const DocumentSource& document() const { return *primary_; }

    // Page `page` at `scale` (1.0 = 72 dpi / native pixels), cached.
    QFuture<QImage> render(int page, double scale, CancelToken cancel = {});
    // Page `page` at the model-input resolution for tiles of `tileSize`
    // pixels and `budget` tiles for this page (see render_policy.h).
    QFuture<QImage> renderForModel(int page, int tileSize, int budget, CancelToken cancel = {});
    // Page `page` scaled to `heightPx` device pixels high, in the thumbnail cache.
    QFuture<QImage> thumbnail(int page, int heightPx, CancelToken cancel = {});

    // Callback flavour: `done(image, error)` runs on `context`'s thread once
    // the future finishes (error is empty on success; not called when
    // `context` is destroyed first).
    using Done = std::function<void(const QImage& image, const QString& error)>;
    static void whenReady(const QFuture<QImage>& future, QObject* context, Done done);

    // The scale renderForModel() uses for `page`: the render policy's for PDF
    // and office pages, 1 (native pixels) for images.
    double modelScale(int page, int tileSize, int budget) const;

    qint64 pageCacheBytes() const { return pages_.bytes(); }
    qint64 thumbnailCacheBytes() const { return thumbnails_.bytes(); }

private:
    class Lease;
    QFuture<QImage> submit(PageCache& cache, PageCache::Key key, int page, double scale, CancelToken cancel);
    std::unique_ptr<Lease> acquire(const CancelToken& cancel);

    std::shared_ptr<const DocumentSource> primary_;
    Options options_;
    PageCache pages_;
    PageCache thumbnails_;
    CancelToken shutdown_;

    // Instances of the document not in use by a job; `created_` counts all.
    std::mutex instancesMutex_;
    std::condition_variable instanceFree_;
    std::vector<std::shared_ptr<const DocumentSource>> idle_;
    int created_ = 1;

    QThreadPool pool_;  // last: destroyed (and waited for) first
};

// Waits for `future` and returns its image, rethrowing the exception the
// job threw (InputError, CancelledError, …). Blocks: not for GUI threads.
QImage waitForImage(QFuture<QImage> future);

// The message of the error inside a finished future, empty when none.
QString futureError(const QFuture<QImage>& future);

}  // namespace leopard
