#include "commands/qt/qa_documents.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <QFile>
#include <QString>
#include <nlohmann/json.hpp>

#include "documents/document_source.h"
#include "documents/file_type.h"
#include "documents/page_image.h"
#include "documents/page_spec.h"
#include "documents/render_policy.h"
#include "documents/render_service.h"
#include "imaging/png_io.h"
#include "util/atomic_file.h"
#include "util/errors.h"

namespace leopard::train {

namespace fs = std::filesystem;

namespace {

// The page selection of each file of a line, as parsePageSpec() text.
std::vector<std::string> pageSelections(const nlohmann::json& line, size_t files) {
    std::vector<std::string> specs(files);
    if (!line.contains("pages") || line["pages"].is_null()) return specs;
    const auto& pages = line["pages"];
    if (!pages.is_array() || pages.size() != files)
        throw InputError("\"pages\" must be a list with one entry per file");
    for (size_t i = 0; i < files; ++i) {
        const auto& p = pages[i];
        if (p.is_string()) {
            specs[i] = p.get<std::string>();
        } else if (p.is_array()) {
            for (const auto& n : p) {
                if (!n.is_number_integer())
                    throw InputError("\"pages\" entries must be lists of page numbers or selections like \"1-3\"");
                specs[i] += (specs[i].empty() ? "" : ",") + std::to_string(n.get<long long>());
            }
        } else if (!p.is_null()) {
            throw InputError("\"pages\" entries must be lists of page numbers or selections like \"1-3\"");
        }
    }
    return specs;
}

// A PNG by name (what the reader accepts) and by content.
bool isPngFile(const fs::path& path) {
    if (path.extension() != ".png" && path.extension() != ".PNG") return false;
    const QString name = QString::fromStdString(path.string());
    QFile f(name);
    return f.open(QIODevice::ReadOnly) && detectFileType(f.read(1024), name) == FileType::Png;
}

// Opens each document once per run and writes each (file, page, scale) once.
class PageWriter {
public:
    // Pages for a model of `tileSize` go to `outDir` (absolute: the
    // rewritten Q/A file lives elsewhere).
    PageWriter(int tileSize, fs::path outDir) : tileSize_(tileSize), outDir_(std::move(outDir)) {}

    // The document at `path`; throws the InputError of opening it (remembered).
    std::shared_ptr<const DocumentSource> open(const fs::path& path) {
        auto it = opened_.find(path);
        if (it == opened_.end()) {
            Opened entry;
            try {
                entry.document = openDocument(QString::fromStdString(path.string()));
            } catch (const InputError& e) {
                entry.error = e.what();
            }
            it = opened_.emplace(path, std::move(entry)).first;
        }
        if (!it->second.document) throw InputError(it->second.error);
        return it->second.document;
    }

    // The PNG files of `selection` (0-based pages) of `path`, each rendered
    // for a budget of `share` tiles. Throws InputError for the document (its
    // line's fault), Error when a page cannot be written (the run's).
    std::vector<fs::path> pages(const fs::path& path, const std::vector<int>& selection, int share) {
        const auto document = open(path);
        RenderService service(document);
        if (document->kind() == DocumentKind::Image && document->pageCount() == 1 && selection == std::vector<int>{0} &&
            service.modelScale(0, tileSize_, share) == 1.0 && isPngFile(path))
            return {path};
        struct Pending {
            size_t index;
            Key key;
            QFuture<QImage> image;
        };
        std::vector<fs::path> files(selection.size());
        std::vector<Pending> pending;
        for (size_t i = 0; i < selection.size(); ++i) {
            Key key{path, selection[i], service.modelScale(selection[i], tileSize_, share)};
            const auto done = written_.find(key);
            if (done != written_.end()) {
                files[i] = done->second;
                continue;
            }
            files[i] = freshName(path, selection[i]);
            pending.push_back({i, std::move(key), service.renderForModel(selection[i], tileSize_, share)});
        }
        for (Pending& p : pending) {
            // The pixels the app's tile pipeline gets (alpha on white).
            const imaging::ImageRGB page = toImageRGB(waitForImage(p.image));
            try {
                imaging::writePng(files[p.index], page);
            } catch (const InputError& e) {
                throw Error(e.what());
            }
            written_.emplace(std::move(p.key), files[p.index]);
        }
        return files;
    }

private:
    struct Opened {
        std::shared_ptr<const DocumentSource> document;
        std::string error;
    };
    using Key = std::tuple<fs::path, int, double>;

    // "<stem>-p<page>.png", with "-2", "-3" … when another file or scale
    // already took the name.
    fs::path freshName(const fs::path& path, int page) {
        const std::string base = path.stem().string() + "-p" + std::to_string(page + 1);
        std::string name = base + ".png";
        for (int n = 2; !names_.insert(name).second; ++n) name = base + "-" + std::to_string(n) + ".png";
        return outDir_ / name;
    }

    const int tileSize_;
    const fs::path outDir_;
    std::map<fs::path, Opened> opened_;
    std::map<Key, fs::path> written_;
    std::set<std::string> names_;
};

}  // namespace

fs::path renderQaDocuments(const fs::path& qaFile, const QaDocumentOptions& o, training::ReadReport* report) {
    std::ifstream in(qaFile, std::ios::binary);
    if (!in) throw InputError(qaFile.string(), "cannot open");
    if (o.tileSize <= 0) throw InputError("finetune", "the model's tile size must be positive");
    std::error_code ec;
    fs::create_directories(o.outDir, ec);
    if (ec) throw InputError(o.outDir.string(), "cannot create the folder (" + ec.message() + ")");
    const fs::path base = fs::absolute(o.docsDir.empty() ? qaFile.parent_path() : o.docsDir);
    PageWriter writer(o.tileSize, fs::absolute(o.outDir));
    std::ostringstream out;
    int lineNo = 0;
    for (std::string line; std::getline(in, line);) {
        ++lineNo;
        nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        const bool hasFiles = j.is_object() && j.contains("files") && j["files"].is_array() &&
                              std::all_of(j["files"].begin(), j["files"].end(),
                                          [](const nlohmann::json& f) { return f.is_string(); });
        if (!hasFiles) {
            out << line << '\n';  // blank, or for the reader to report
            continue;
        }
        try {
            const auto specs = pageSelections(j, j["files"].size());
            std::vector<std::pair<fs::path, std::vector<int>>> selected;
            int pages = 0;
            for (size_t i = 0; i < specs.size(); ++i) {
                fs::path path = j["files"][i].get<std::string>();
                path = (base / path).lexically_normal();  // an absolute path stays itself
                const auto document = writer.open(path);
                selected.emplace_back(path, parsePageSpec(specs[i], document->pageCount(), path.string()));
                pages += static_cast<int>(selected.back().second.size());
            }
            const int share = modelPageBudget(o.tileBudget, pages);
            nlohmann::json files = nlohmann::json::array();
            for (const auto& [path, selection] : selected)
                for (const auto& png : writer.pages(path, selection, share)) files.push_back(png.string());
            j["files"] = files;
            j.erase("pages");
            out << j.dump() << '\n';
        } catch (const InputError& e) {
            const std::string where = qaFile.string() + ":" + std::to_string(lineNo);
            if (o.onError == training::OnError::Fail) throw InputError(where, e.what());
            if (report) {
                ++report->lines;
                ++report->skipped;
                report->problems.push_back(where + ": " + e.what());
            }
            out << '\n';
        }
    }
    const fs::path rewritten = o.outDir / qaFile.filename();
    writeFileAtomically(rewritten, out.str());
    return rewritten;
}

}  // namespace leopard::train
