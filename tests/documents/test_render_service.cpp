// Background rendering: futures and callbacks, parallel instances, the two
// byte-bounded caches, cancellation and the model DPI policy.
#include <catch2/catch.hpp>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QObject>

#include "documents/page_cache.h"
#include "documents/render_service.h"
#include "fixtures.h"
#include "test_paths.h"
#include "util/errors.h"

using namespace leopard;
using namespace leopard::test;
using Catch::Matchers::Contains;

namespace {

std::shared_ptr<const DocumentSource> heavyPdf(const TempDir& dir, int pages) {
    writeTextHeavyPdf(dir / "heavy.pdf", pages);
    return openDocument(qpath(dir / "heavy.pdf"));
}

}  // namespace

TEST_CASE("pages render in the background and match direct renders", "[render-service][threads]") {
    TempDir dir;
    auto doc = heavyPdf(dir, 6);
    RenderService::Options opt;
    opt.threads = 4;
    RenderService service(doc, opt);
    std::vector<QFuture<QImage>> futures;
    for (int round = 0; round < 3; ++round)
        for (int p = 0; p < 6; ++p) futures.push_back(service.render(p, 1.0 + 0.25 * round));
    for (size_t i = 0; i < futures.size(); ++i) {
        const int page = int(i % 6);
        const double scale = 1.0 + 0.25 * double(i / 6);
        CHECK(waitForImage(futures[i]) == doc->render(page, scale));
    }
}

TEST_CASE("the page cache is bounded in bytes and least-recently-used", "[render-service][cache]") {
    QImage img(100, 100, QImage::Format_RGB32);  // 40000 bytes
    PageCache cache(100000);
    cache.put({0, 1}, img);
    cache.put({1, 1}, img);
    REQUIRE(cache.get({0, 1}));  // 0 is now the most recent
    cache.put({2, 1}, img);      // evicts 1
    CHECK(cache.bytes() == 80000);
    CHECK(cache.get({0, 1}));
    CHECK(!cache.get({1, 1}));
    CHECK(cache.get({2, 1}));
    cache.put({3, 1}, QImage(200, 200, QImage::Format_RGB32));  // larger than the capacity: not kept
    CHECK(!cache.get({3, 1}));
    CHECK(cache.bytes() <= cache.capacity());
}

TEST_CASE("the service's caches respect their byte bounds", "[render-service][cache]") {
    TempDir dir;
    auto doc = heavyPdf(dir, 5);
    const qint64 pageBytes = doc->render(0, 1.0).sizeInBytes();
    RenderService::Options opt;
    opt.pageCacheBytes = pageBytes * 2 + 10;  // two pages fit
    opt.thumbnailCacheBytes = 1 << 20;
    RenderService service(doc, opt);
    for (int p = 0; p < 5; ++p) {
        waitForImage(service.render(p, 1.0));
        CHECK(service.pageCacheBytes() <= opt.pageCacheBytes);
    }
    CHECK(service.pageCacheBytes() == pageBytes * 2);
    // Thumbnails go to their own cache and leave rendered pages alone.
    const QImage thumb = waitForImage(service.thumbnail(0, 100));
    CHECK(thumb.height() == 100);
    CHECK(service.thumbnailCacheBytes() == thumb.sizeInBytes());
    CHECK(service.pageCacheBytes() == pageBytes * 2);
    // A cached result comes back at once (a finished future).
    CHECK(service.thumbnail(0, 100).isFinished());
}

TEST_CASE("cancelled requests end with CancelledError", "[render-service][cancel]") {
    TempDir dir;
    auto doc = heavyPdf(dir, 3);
    RenderService::Options opt;
    opt.threads = 1;
    RenderService service(doc, opt);
    CancelToken token;
    token.cancel();  // as if the user pressed Stop while these were queued
    auto other = service.render(0, 1.5);
    std::vector<QFuture<QImage>> queued;
    for (int p = 0; p < 3; ++p) queued.push_back(service.render(p, 2.0, token));
    CHECK(!waitForImage(other).isNull());  // requests with other tokens go on
    for (auto& f : queued) {
        CHECK_THROWS_AS(waitForImage(f), CancelledError);
        CHECK_THAT(futureError(f).toStdString(), Contains("cancelled"));
    }
}

TEST_CASE("destroying the service finishes every future", "[render-service][cancel]") {
    TempDir dir;
    auto doc = heavyPdf(dir, 4);
    std::vector<QFuture<QImage>> futures;
    {
        RenderService::Options opt;
        opt.threads = 1;
        RenderService service(doc, opt);
        for (int p = 0; p < 4; ++p) futures.push_back(service.render(p, 2.0));
    }
    for (auto& f : futures) CHECK(f.isFinished());
}

TEST_CASE("errors inside jobs reach the caller", "[render-service]") {
    TempDir dir;
    auto doc = heavyPdf(dir, 1);
    RenderService service(doc);
    CHECK_THROWS_WITH(waitForImage(service.render(0, -1.0)), Contains("heavy.pdf") && Contains("scale"));
}

TEST_CASE("callbacks run on the context object's thread", "[render-service]") {
    TempDir dir;
    auto doc = heavyPdf(dir, 2);
    RenderService service(doc);
    QObject context;
    QImage got;
    QString error = "not called";
    bool onContextThread = false;
    RenderService::whenReady(service.thumbnail(1, 64), &context, [&](const QImage& img, const QString& err) {
        got = img;
        error = err;
        onContextThread = QThread::currentThread() == context.thread();
    });
    QElapsedTimer t;
    t.start();
    while (error == "not called" && t.elapsed() < 30000) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    CHECK(error.isEmpty());
    CHECK(got.height() == 64);
    CHECK(onContextThread);
}

TEST_CASE("model renders follow the DPI policy", "[render-service][policy]") {
    TempDir dir;
    auto doc = heavyPdf(dir, 1);
    RenderService service(doc);
    const double scale = service.modelScale(0, 364, 12);
    CHECK(scale == Approx(modelRenderScale(doc->pageSize(0), 364, 12)));
    const QImage img = waitForImage(service.renderForModel(0, 364, 12));
    CHECK(std::abs(img.height() - doc->pageSize(0).height() * scale) <= 1.0);

    // Images are used at native size.
    REQUIRE(quadrantImage(QSize(300, 200)).save(qpath(dir / "img.png")));
    RenderService images(openDocument(qpath(dir / "img.png")));
    CHECK(waitForImage(images.renderForModel(0, 364, 12)).size() == QSize(300, 200));
}

TEST_CASE("images above 12 MP are model input at their native size", "[render-service][policy]") {
    // 4240 × 3120 = 13.2 MP (a phone photo): planned and resampled from its
    // own pixels, as the reference does, not first shrunk to a pixel limit.
    TempDir dir;
    QImage photo(4240, 3120, QImage::Format_RGB32);
    photo.fill(qRgb(200, 180, 40));
    for (int y = 0; y < photo.height(); y += 50)
        for (int x = 0; x < photo.width(); ++x) photo.setPixel(x, y, qRgb(0, 0, 0));
    REQUIRE(photo.save(qpath(dir / "photo.png")));
    RenderService service(openDocument(qpath(dir / "photo.png")));
    for (int budget : {1, 24, 49}) CHECK(service.modelScale(0, 364, budget) == 1.0);
    const QImage model = waitForImage(service.renderForModel(0, 364, 49));
    CHECK(model.size() == photo.size());
    CHECK(model.pixel(123, 100) == qRgb(0, 0, 0));  // a native one-pixel line survives
    CHECK(model.pixel(123, 101) == qRgb(200, 180, 40));

    // PDF pages keep the render policy, pixel limit included.
    auto pdf = heavyPdf(dir, 1);
    RenderService::Options capped;
    capped.modelPixelLimit = 1'000'000;
    RenderService pdfService(pdf, capped);
    CHECK(pdfService.modelScale(0, 364, 49) == modelRenderScale(pdf->pageSize(0), 364, 49, 1'000'000));
}
