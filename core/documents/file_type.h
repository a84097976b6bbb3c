// Recognises what a file is from its first bytes (magic numbers) and, for
// office formats that share a container (ZIP for OOXML/ODF, OLE2 for the
// old binary formats), from its extension. The content decides: a ".png"
// that holds text is not a PNG, and a JPEG named ".png" is a JPEG.
//
// Thread-safety: pure functions.
#pragma once

#include <QByteArray>
#include <QString>

namespace leopard {

enum class FileType {
    Unknown,
    Pdf,
    Png,
    Jpeg,
    Gif,
    Bmp,
    Webp,
    Tiff,
    Office,  // a ZIP/OLE2/flat-XML container with an office extension
};

// Classifies `head` (the file's first bytes; 1024 are enough) together with
// the file name's extension.
FileType detectFileType(const QByteArray& head, const QString& fileName);

// True for the extensions handed to LibreOffice (pptx, ppt, odp, docx, …).
bool isOfficeExtension(const QString& fileName);

// The Qt image-format name ("png", "jpeg", …) for an image type, else empty.
QByteArray qtImageFormat(FileType type);

// A human name for the type an extension promises ("a PNG image"), used in
// errors when the content does not match; empty for unknown extensions.
QString expectedTypeName(const QString& fileName);

}  // namespace leopard
