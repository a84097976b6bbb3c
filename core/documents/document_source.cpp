#include "documents/document_source.h"

#include <QFile>
#include <QFileInfo>

#include "documents/file_type.h"
#include "documents/image_source.h"
#include "documents/office_converter.h"
#include "documents/pdf_source.h"
#include "util/errors.h"

namespace leopard {

void DocumentSource::checkPage(int page) const {
    if (page < 0 || page >= pageCount())
        throw InputError(filePath().toStdString(), "page " + std::to_string(page + 1) +
                                                       " is out of range: it has " +
                                                       std::to_string(pageCount()) + " pages");
}

std::unique_ptr<DocumentSource> openDocument(const QString& path, const OpenOptions& options) {
    const std::string file = path.toStdString();
    const QFileInfo info(path);
    if (!info.exists()) throw InputError(file, "no such file");
    if (info.isDir()) throw InputError(file, "is a folder, not a document");
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) throw InputError(file, "cannot be read: " + f.errorString().toStdString());
    const QByteArray head = f.read(1024);
    f.close();
    if (head.isEmpty()) throw InputError(file, "the file is empty (0 bytes)");

    const FileType type = detectFileType(head, path);
    switch (type) {
    case FileType::Pdf:
        return PdfSource::open(path, options);
    case FileType::Office:
        return PdfSource::open(convertOfficeToPdf(path, options), options, path, DocumentKind::Office);
    case FileType::Unknown: {
        const QString expected = expectedTypeName(path);
        throw InputError(file, expected.isEmpty()
                                   ? "not a supported document (PDF, image or office document)"
                                   : "not " + expected.toStdString() + ": its content is something else");
    }
    default:
        return ImageSource::open(path, qtImageFormat(type), options);
    }
}

}  // namespace leopard
