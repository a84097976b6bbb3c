#include "documents/runtime_info.h"

#include <QStandardPaths>
#include <QtGlobal>
#include <poppler-version.h>

namespace leopard {

std::string findSoffice() {
    for (const char* name : {"soffice", "libreoffice"}) {
        const QString path = QStandardPaths::findExecutable(QString::fromLatin1(name));
        if (!path.isEmpty()) return path.toStdString();
    }
    return {};
}

std::vector<std::pair<std::string, std::string>> documentsRuntimeReport() {
    std::vector<std::pair<std::string, std::string>> r;
    r.emplace_back("qt", std::string(qVersion()) + " (built with " QT_VERSION_STR ")");
    r.emplace_back("poppler", Poppler::Version::string().toStdString());
    const std::string soffice = findSoffice();
    r.emplace_back("libreoffice", soffice.empty()
                                      ? "not found: slide decks and office documents need it "
                                        "(sudo apt-get install libreoffice-impress-nogui)"
                                      : soffice);
    return r;
}

}  // namespace leopard
