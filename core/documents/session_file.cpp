#include "documents/session_file.h"

#include <fstream>

#include <QFileInfo>
#include <nlohmann/json.hpp>

#include "documents/output_path.h"
#include "util/atomic_file.h"
#include "util/errors.h"

namespace leopard {
namespace fs = std::filesystem;

namespace {
constexpr const char* kFormat = "leopard-session";
constexpr int kVersion = 1;
}  // namespace

SessionData loadSession(const fs::path& path) {
    SessionData s;
    std::error_code ec;
    if (!fs::exists(path, ec)) return s;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string(), "cannot read the session file");
    nlohmann::json j;
    try {
        in >> j;
        if (j.value("format", std::string()) != kFormat) throw InputError(path.string(), "not a Leopard session file");
        if (j.value("version", 0) > kVersion)
            throw InputError(path.string(), "session written by a newer version of Leopard Desk");
        s.model = QString::fromStdString(j.value("model", std::string()));
        for (const auto& src : j.at("sources")) {
            SourceSelection sel;
            sel.path = QString::fromStdString(src.at("file").get<std::string>());
            sel.pages = src.value("pages", std::string());
            s.sources.push_back(std::move(sel));
        }
        for (const auto& t : j.at("turns")) {
            s.turns.push_back({t.at("question").get<std::string>(), t.at("answer").get<std::string>(),
                               finishReasonFromName(t.value("stop_reason", std::string()))});
        }
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path.string(), std::string("malformed session file: ") + e.what());
    }
    return s;
}

void saveSession(const fs::path& path, const SessionData& session) {
    nlohmann::ordered_json j;
    j["format"] = kFormat;
    j["version"] = kVersion;
    j["model"] = session.model.toStdString();
    j["sources"] = nlohmann::ordered_json::array();
    for (const SourceSelection& sel : session.sources) {
        nlohmann::ordered_json src;
        src["file"] = QFileInfo(sel.path).absoluteFilePath().toStdString();
        src["pages"] = sel.pages;
        j["sources"].push_back(src);
    }
    j["turns"] = nlohmann::ordered_json::array();
    for (const Turn& t : session.turns) {
        j["turns"].push_back({{"question", t.question}, {"answer", t.answer}, {"stop_reason", finishReasonName(t.finishReason)}});
    }
    writeFileAtomically(path, j.dump(2) + "\n");
}

void checkSessionTarget(const fs::path& path) { checkOutputFile(path); }

}  // namespace leopard
