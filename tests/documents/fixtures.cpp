#include "fixtures.h"

#include <cstdlib>
#include <stdexcept>

#include <QBuffer>
#include <QFile>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

namespace leopard::test {

void writePdf(const std::filesystem::path& path, const std::vector<PdfPage>& pages) {
    QPdfWriter writer(qpath(path));
    writer.setTitle("Leopard test document");
    writer.setResolution(72);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageOrientation(pages.at(0).landscape ? QPageLayout::Landscape : QPageLayout::Portrait);
    QPainter painter(&writer);
    for (size_t i = 0; i < pages.size(); ++i) {
        if (i > 0) {
            writer.setPageOrientation(pages[i].landscape ? QPageLayout::Landscape : QPageLayout::Portrait);
            writer.newPage();
        }
        QFont font("DejaVu Sans");
        font.setPointSize(28);
        painter.setFont(font);
        painter.drawText(QPointF(40, 80), QString::fromStdString(pages[i].text));
        painter.fillRect(QRectF(40, 120, 200, 60), Qt::black);  // something to see at any scale
    }
    painter.end();
}

void writeTextHeavyPdf(const std::filesystem::path& path, int pages) {
    QPdfWriter writer(qpath(path));
    writer.setResolution(72);
    writer.setPageSize(QPageSize(QPageSize::A4));
    QPainter painter(&writer);
    QFont font("DejaVu Serif");
    font.setPointSize(9);
    painter.setFont(font);
    const QString words = QStringLiteral(
        "Leopard reads text-rich images: slides, scanned pages, charts and tables. "
        "Each page is rendered, planned into tiles and encoded by the vision tower. ");
    for (int p = 0; p < pages; ++p) {
        if (p > 0) writer.newPage();
        painter.drawText(QPointF(40, 40), QString("Page %1").arg(p + 1));
        for (int line = 0; line < 64; ++line)
            painter.drawText(QPointF(40, 60 + line * 11.5), words.mid((line * 7) % 40) + words.left(40));
    }
    painter.end();
}

QImage quadrantImage(QSize size) {
    QImage img(size, QImage::Format_RGB32);
    const int hw = size.width() / 2, hh = size.height() / 2;
    for (int y = 0; y < size.height(); ++y)
        for (int x = 0; x < size.width(); ++x) {
            QRgb c = x < hw ? (y < hh ? qRgb(255, 0, 0) : qRgb(0, 0, 255)) : (y < hh ? qRgb(0, 255, 0) : qRgb(255, 255, 255));
            img.setPixel(x, y, c);
        }
    return img;
}

int shell(const std::string& command) { return std::system(command.c_str()); }

void writeMultiPageTiff(const std::filesystem::path& path, const std::vector<QImage>& pages) {
    std::string cmd = "tiffcp";
    for (size_t i = 0; i < pages.size(); ++i) {
        const auto page = path.parent_path() / ("page" + std::to_string(i) + ".tif");
        if (!pages[i].save(qpath(page), "tiff")) throw std::runtime_error("cannot write " + page.string());
        cmd += " '" + page.string() + "'";
    }
    cmd += " '" + path.string() + "'";
    if (shell(cmd) != 0) throw std::runtime_error("tiffcp failed (install libtiff-tools): " + cmd);
}

void writeJpegWithExifOrientation(const std::filesystem::path& path, const QImage& image, int orientation) {
    QByteArray jpeg;
    QBuffer buf(&jpeg);
    buf.open(QIODevice::WriteOnly);
    image.save(&buf, "jpeg", 95);
    // APP1 "Exif": a big-endian TIFF header and one IFD with one entry,
    // Orientation (tag 0x0112, SHORT, count 1).
    QByteArray tiff("MM\0*\0\0\0\x08", 8);
    tiff += QByteArray("\0\x01", 2);                                   // one entry
    tiff += QByteArray("\x01\x12\0\x03\0\0\0\x01", 8);                 // tag, type, count
    tiff += char(0), tiff += char(orientation), tiff += QByteArray(2, '\0');  // value, padded
    tiff += QByteArray(4, '\0');                                       // no next IFD
    QByteArray app1("Exif\0\0", 6);
    app1 += tiff;
    const int len = app1.size() + 2;
    QByteArray segment("\xff\xe1", 2);
    segment += char(len >> 8), segment += char(len & 0xff);
    segment += app1;
    jpeg.insert(2, segment);  // right after SOI
    writeBytes(path, jpeg);
}

namespace {

// PNG chunk CRC (CRC-32/ISO-HDLC), bitwise: a few bytes of test data only.
quint32 crc32(const QByteArray& data) {
    quint32 c = 0xffffffffu;
    for (char ch : data) {
        c ^= quint8(ch);
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
}

void be32(QByteArray& out, quint32 v) {
    for (int s = 24; s >= 0; s -= 8) out += char((v >> s) & 0xff);
}

}  // namespace

QByteArray pngHeaderOnly(quint32 width, quint32 height) {
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    QByteArray ihdr("IHDR");
    be32(ihdr, width);
    be32(ihdr, height);
    ihdr += QByteArray("\x08\x02\0\0\0", 5);  // 8-bit RGB, no interlace
    const auto chunk = [&png](const QByteArray& typeAndData) {
        be32(png, quint32(typeAndData.size() - 4));
        png += typeAndData;
        be32(png, crc32(typeAndData));
    };
    chunk(ihdr);
    // libpng reads chunks up to the first IDAT before it reports the size;
    // a stub IDAT (a zlib header, no image data) and IEND end the file.
    chunk(QByteArray("IDAT\x78\x9c", 6));
    chunk(QByteArray("IEND"));
    return png;
}

void writeBytes(const std::filesystem::path& path, const QByteArray& bytes) {
    QFile f(qpath(path));
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        throw std::runtime_error("cannot write " + path.string());
}

QByteArray readBytes(const std::filesystem::path& path) {
    QFile f(qpath(path));
    if (!f.open(QIODevice::ReadOnly)) throw std::runtime_error("cannot read " + path.string());
    return f.readAll();
}

double meanAbsDiff(const QImage& a, const QImage& b) {
    if (a.size() != b.size()) return 1e9;
    const QImage x = a.convertToFormat(QImage::Format_RGB888), y = b.convertToFormat(QImage::Format_RGB888);
    double sum = 0;
    for (int r = 0; r < x.height(); ++r) {
        const uchar* p = x.constScanLine(r);
        const uchar* q = y.constScanLine(r);
        for (int i = 0; i < x.width() * 3; ++i) sum += std::abs(int(p[i]) - int(q[i]));
    }
    return sum / (double(x.width()) * x.height() * 3);
}

}  // namespace leopard::test
