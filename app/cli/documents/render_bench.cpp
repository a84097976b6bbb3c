// `leopard-cli render-bench [FILE.pdf]`: rendering throughput against
// poppler-utils' pdftoppm on the same file in the same run, plus tile
// planning + resampling throughput. Without FILE it writes a text-heavy
// 20-page PDF with QPdfWriter first. Target: the project, on all cores, at
// least 1.5× pdftoppm's single process at 144 dpi.
#include <cstdio>
#include <memory>

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include "util/command_line.h"
#include "documents/document_source.h"
#include "documents/page_image.h"
#include "documents/render_service.h"
#include "imaging/tiles.h"
#include "util/errors.h"

namespace {

struct Options {
    std::string file;
    int pages = 20;
    double dpi = 144;
    int threads = 0;
    int tileSize = 364;
};

// Dense 9-point text on every page: the case where rasterising glyphs
// dominates, as in papers and reports.
void writeSamplePdf(const QString& path, int pages) {
    QPdfWriter writer(path);
    writer.setResolution(72);
    writer.setPageSize(QPageSize(QPageSize::A4));
    QPainter painter(&writer);
    QFont font("DejaVu Serif");
    font.setPointSize(9);
    painter.setFont(font);
    const QString words = QStringLiteral(
        "Leopard reads text-rich images: slides, scanned pages, charts and tables. Each page is rendered, "
        "planned into tiles and encoded by the vision tower before the language model answers. ");
    for (int p = 0; p < pages; ++p) {
        if (p > 0) writer.newPage();
        painter.drawText(QPointF(40, 40), QString("Page %1").arg(p + 1));
        for (int line = 0; line < 66; ++line)
            painter.drawText(QPointF(40, 60 + line * 11.5), words.mid((line * 13 + p) % 90, 100));
    }
    painter.end();
}

// Renders every page through a RenderService without its cache; returns
// the rendered pages and the seconds it took.
std::pair<std::vector<QImage>, double> renderAll(const QString& file, double scale, int threads) {
    QElapsedTimer clock;
    clock.start();
    std::shared_ptr<const leopard::DocumentSource> doc = leopard::openDocument(file);
    leopard::RenderService::Options opt;
    opt.threads = threads;
    opt.pageCacheBytes = 0;
    leopard::RenderService service(doc, opt);
    std::vector<QFuture<QImage>> futures;
    for (int p = 0; p < doc->pageCount(); ++p) futures.push_back(service.render(p, scale));
    std::vector<QImage> images;
    for (auto& f : futures) images.push_back(leopard::waitForImage(f));
    return {std::move(images), clock.nsecsElapsed() / 1e9};
}

double runPdftoppm(const QString& file, double dpi, const QString& outDir) {
    const QString exe = QStandardPaths::findExecutable("pdftoppm");
    if (exe.isEmpty()) return -1;
    QElapsedTimer clock;
    clock.start();
    QProcess p;
    p.start(exe, {"-r", QString::number(dpi), file, outDir + "/page"});
    if (!p.waitForFinished(-1) || p.exitCode() != 0) throw leopard::Error("pdftoppm failed");
    return clock.nsecsElapsed() / 1e9;
}

void run(const Options& o) {
    // QPdfWriter draws text, which needs a QGuiApplication.
    static int argc = 1;
    static char name[] = "leopard-cli";
    static char* argv[] = {name, nullptr};
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);

    QTemporaryDir tmp;
    if (!tmp.isValid()) throw leopard::Error("cannot create a temporary folder");
    QString file = QString::fromStdString(o.file);
    if (file.isEmpty()) {
        file = tmp.filePath("sample.pdf");
        writeSamplePdf(file, o.pages);
    }
    const int threads = o.threads > 0 ? o.threads : QThread::idealThreadCount();
    const double scale = o.dpi / 72.0;

    renderAll(file, scale, 1);  // warm the font and file caches for both contenders
    const auto [images, seconds] = renderAll(file, scale, threads);
    const double single = renderAll(file, scale, 1).second;
    const double pdftoppm = runPdftoppm(file, o.dpi, tmp.path());

    const double n = double(images.size());
    std::printf("file:                  %s (%d pages, %.0f dpi, %dx%d px)\n", file.toStdString().c_str(),
                int(images.size()), o.dpi, images[0].width(), images[0].height());
    std::printf("leopard, %d thread(s):  %.2f pages/s (%.3f s)\n", threads, n / seconds, seconds);
    std::printf("leopard, 1 thread:     %.2f pages/s (%.3f s)\n", n / single, single);
    if (pdftoppm > 0) {
        std::printf("pdftoppm -r %.0f:      %.2f pages/s (%.3f s)\n", o.dpi, n / pdftoppm, pdftoppm);
        std::printf("speed-up:              %.2fx pdftoppm (target >= 1.5x)\n", pdftoppm / seconds);
    } else {
        std::printf("pdftoppm:              not installed (apt-get install poppler-utils)\n");
    }

    std::vector<leopard::imaging::ImageRGB> pages;
    for (const QImage& img : images) pages.push_back(leopard::toImageRGB(img));
    QElapsedTimer clock;
    clock.start();
    const auto batch = leopard::imaging::prepareTiles(pages, o.tileSize, 50);
    const double tiling = clock.nsecsElapsed() / 1e9;
    std::printf("tiling (plan+resample+normalize, T=%d, budget 50): %.1f tiles/s (%d tiles, %.3f s)\n",
                o.tileSize, batch.count / tiling, batch.count, tiling);
}

leopard::cli::Registrar reg("render-bench", 95, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("render-bench", "Benchmark page rendering against pdftoppm, and tiling");
    static Options o;
    cmd->add_option("FILE", o.file, "PDF to render (default: a generated text-heavy PDF)");
    cmd->add_option("--pages", o.pages, "Pages of the generated PDF")->capture_default_str();
    cmd->add_option("--dpi", o.dpi, "Resolution")->capture_default_str();
    cmd->add_option("--threads", o.threads, "Render threads (default: all cores)");
    cmd->add_option("--tile", o.tileSize, "Tile size for the tiling figure")->capture_default_str();
    cmd->callback([] { run(o); });
});

}  // namespace
