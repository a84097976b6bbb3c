// Helpers for the desktop application's QtTest suites: an isolated
// settings/data location, small documents made on the fly, a source that
// records which threads render, and an event-loop stall meter.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <set>

#include <QDir>
#include <QElapsedTimer>
#include <QFont>
#include <QPainter>
#include <QPdfWriter>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include "documents/document_source.h"
#include "util/paths.h"

namespace leopard::test {

// Settings and app data go to ~/.qttest/… and start empty.
inline void isolateUserFiles() {
    QStandardPaths::setTestModeEnabled(true);
    for (auto loc : {QStandardPaths::AppDataLocation, QStandardPaths::GenericConfigLocation})
        QDir(QStandardPaths::writableLocation(loc)).removeRecursively();
    QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + "/Leopard Desk")
        .removeRecursively();
}

// A PDF with one A4 page per entry, showing its text in large type.
inline void writePdf(const QString& path, const QStringList& pages) {
    QPdfWriter pdf(path);
    pdf.setPageSize(QPageSize(QPageSize::A4));
    pdf.setResolution(72);
    QPainter p(&pdf);
    QFont font;
    font.setPointSize(28);
    p.setFont(font);
    for (int i = 0; i < pages.size(); ++i) {
        if (i > 0) pdf.newPage();
        p.drawText(QRect(40, 40, 500, 700), Qt::TextWordWrap, pages[i]);
    }
}

// A screenshot-like PNG: `size`, a flat background, `text` centred in large type.
inline void writeScreenshot(const QString& path, QSize size, QColor colour, const QString& text) {
    QImage img(size, QImage::Format_RGB32);
    img.fill(colour);
    QPainter p(&img);
    QFont font;
    font.setPointSize(24);
    p.setFont(font);
    p.drawText(img.rect(), Qt::AlignCenter, text);
    p.end();
    QVERIFY(img.save(path));
}

// The model the *_model suites run: $LEOPARD_MODEL, else the bundled one.
inline QString modelForTests() {
    return qEnvironmentVariable("LEOPARD_MODEL", QString::fromStdString(bundledModelDir().string()));
}

// Wraps a source and records the thread of every render() call (clones
// share the record: RenderService renders with clones).
class ThreadRecordingSource : public DocumentSource {
public:
    struct Record {
        std::mutex mutex;
        std::set<QThread*> threads;
        std::atomic<int> renders{0};
    };
    ThreadRecordingSource(std::unique_ptr<DocumentSource> inner, std::shared_ptr<Record> record)
        : inner_(std::move(inner)), record_(std::move(record)) {}

    DocumentKind kind() const override { return inner_->kind(); }
    QString filePath() const override { return inner_->filePath(); }
    QString title() const override { return inner_->title(); }
    int pageCount() const override { return inner_->pageCount(); }
    QSizeF pageSize(int page) const override { return inner_->pageSize(page); }
    QImage render(int page, double scale, const CancelToken* cancel) const override {
        {
            std::lock_guard<std::mutex> lock(record_->mutex);
            record_->threads.insert(QThread::currentThread());
        }
        ++record_->renders;
        return inner_->render(page, scale, cancel);
    }
    QString pageText(int page) const override { return inner_->pageText(page); }
    std::unique_ptr<DocumentSource> clone() const override {
        return std::make_unique<ThreadRecordingSource>(inner_->clone(), record_);
    }

private:
    std::unique_ptr<DocumentSource> inner_;
    std::shared_ptr<Record> record_;
};

// A GUI-thread timer ticking every `intervalMs`; the longest gap between
// ticks is the longest the event loop was blocked.
class StallMeter {
public:
    explicit StallMeter(int intervalMs = 5) {
        timer_.setInterval(intervalMs);
        QObject::connect(&timer_, &QTimer::timeout, [this] {
            const qint64 now = clock_.elapsed();
            if (ticks_ > 0) longest_ = std::max(longest_, now - last_);
            last_ = now;
            ++ticks_;
        });
        clock_.start();
        timer_.start();
    }
    int ticks() const { return ticks_; }
    qint64 longestStallMs() const { return longest_; }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = 0, longest_ = 0;
    int ticks_ = 0;
};

}  // namespace leopard::test
