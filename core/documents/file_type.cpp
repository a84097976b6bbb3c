#include "documents/file_type.h"

#include <QFileInfo>
#include <QStringList>

namespace leopard {

namespace {

QString suffixOf(const QString& fileName) { return QFileInfo(fileName).suffix().toLower(); }

bool startsWith(const QByteArray& head, const char* magic, int offset = 0) {
    return head.mid(offset).startsWith(QByteArray(magic));
}

}  // namespace

bool isOfficeExtension(const QString& fileName) {
    static const QStringList office = {
        "pptx", "ppt", "pps", "ppsx", "odp", "fodp", "key",
        "docx", "doc", "odt", "fodt", "rtf",
        "xlsx", "xls", "ods", "fods",
    };
    return office.contains(suffixOf(fileName));
}

FileType detectFileType(const QByteArray& head, const QString& fileName) {
    if (startsWith(head, "\x89PNG\r\n\x1a\n")) return FileType::Png;
    if (startsWith(head, "\xff\xd8\xff")) return FileType::Jpeg;
    if (startsWith(head, "GIF87a") || startsWith(head, "GIF89a")) return FileType::Gif;
    if (startsWith(head, "BM")) return FileType::Bmp;
    if (startsWith(head, "RIFF") && startsWith(head, "WEBP", 8)) return FileType::Webp;
    if (head.startsWith(QByteArray("II*\0", 4)) || head.startsWith(QByteArray("MM\0*", 4))) return FileType::Tiff;
    // Poppler, like Acrobat, accepts the %PDF header anywhere in the first KiB.
    if (head.left(1024).contains("%PDF-")) return FileType::Pdf;
    if (isOfficeExtension(fileName)) {
        const bool zip = startsWith(head, "PK\x03\x04");
        const bool ole2 = startsWith(head, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1");
        const bool xml = head.trimmed().startsWith("<?xml") || head.trimmed().startsWith("<office:");
        const bool rtf = startsWith(head, "{\\rtf");
        if (zip || ole2 || xml || rtf) return FileType::Office;
    }
    return FileType::Unknown;
}

QByteArray qtImageFormat(FileType type) {
    switch (type) {
    case FileType::Png: return "png";
    case FileType::Jpeg: return "jpeg";
    case FileType::Gif: return "gif";
    case FileType::Bmp: return "bmp";
    case FileType::Webp: return "webp";
    case FileType::Tiff: return "tiff";
    default: return {};
    }
}

QString expectedTypeName(const QString& fileName) {
    const QString s = suffixOf(fileName);
    if (s == "pdf") return "a PDF";
    if (s == "png") return "a PNG image";
    if (s == "jpg" || s == "jpeg") return "a JPEG image";
    if (s == "gif") return "a GIF image";
    if (s == "bmp") return "a BMP image";
    if (s == "webp") return "a WebP image";
    if (s == "tif" || s == "tiff") return "a TIFF image";
    if (isOfficeExtension(fileName)) return "an office document (" + s + ")";
    return {};
}

}  // namespace leopard
