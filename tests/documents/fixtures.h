// Test documents made by the tests themselves: PDFs (QPdfWriter), a
// multi-page TIFF (QImageWriter pages joined by libtiff's tiffcp), a JPEG
// with an EXIF orientation, hand-made broken files.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

namespace leopard::test {

inline QString qpath(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

struct PdfPage {
    std::string text;
    bool landscape = false;
};

// A PDF with one A4 page per entry, each showing its text in large type.
void writePdf(const std::filesystem::path& path, const std::vector<PdfPage>& pages);

// A text-heavy PDF of `pages` A4 pages (dense paragraphs), for benchmarks
// and concurrency tests.
void writeTextHeavyPdf(const std::filesystem::path& path, int pages);

// An image whose four quadrants have distinct colours (red top-left, green
// top-right, blue bottom-left, white bottom-right): orientation is visible.
QImage quadrantImage(QSize size);

// A multi-page TIFF with one page per image.
void writeMultiPageTiff(const std::filesystem::path& path, const std::vector<QImage>& pages);

// A JPEG of `image` with an EXIF APP1 segment holding `orientation` (1–8).
void writeJpegWithExifOrientation(const std::filesystem::path& path, const QImage& image, int orientation);

// A PNG whose IHDR declares width × height, with no pixel data.
QByteArray pngHeaderOnly(quint32 width, quint32 height);

void writeBytes(const std::filesystem::path& path, const QByteArray& bytes);
QByteArray readBytes(const std::filesystem::path& path);

// Mean absolute difference per channel value of two same-size images.
double meanAbsDiff(const QImage& a, const QImage& b);

// Runs a command line through /bin/sh; returns its exit status.
int shell(const std::string& command);

}  // namespace leopard::test
