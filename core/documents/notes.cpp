#include "documents/notes.h"

#include <cctype>
#include <fstream>
#include <iterator>
#include <sstream>

#include <QFileInfo>
#include <QUrl>
#include <nlohmann/json.hpp>

#include "documents/output_path.h"
#include "util/atomic_file.h"
#include "util/errors.h"

namespace leopard {
namespace fs = std::filesystem;

namespace {

std::string lowerExtension(const fs::path& p) {
    std::string ext = p.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

fs::path folderOf(const fs::path& p) { return p.has_parent_path() ? p.parent_path() : fs::path("."); }

std::string readWholeFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return {};
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string displayName(const QString& file) { return QFileInfo(file).fileName().toStdString(); }

// Thumbnail file names carry only characters every file system and Markdown
// viewer accepts.
std::string safeStem(const QString& file) {
    std::string out;
    for (char c : QFileInfo(file).completeBaseName().toStdString()) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '-' || c == '_';
        out += ok ? c : '_';
    }
    return out.empty() ? std::string("page") : out;
}

// Saves the thumbnails that are set; returns, per source, the link relative
// to the notes folder ("notes.assets/x.png", percent-encoded) or empty.
std::vector<std::string> saveThumbnails(const fs::path& notesPath, const NoteEntry& e) {
    std::vector<std::string> links(e.sources.size());
    const fs::path assets = notesAssetsDir(notesPath);
    const std::string stamp = e.date.toString(QStringLiteral("yyyyMMdd-HHmmss")).toStdString();
    for (size_t i = 0; i < e.sources.size(); ++i) {
        const NoteSource& s = e.sources[i];
        if (s.thumbnail.isNull()) continue;
        std::error_code ec;
        fs::create_directories(assets, ec);
        if (ec) throw InputError(assets.string(), "cannot create the thumbnails folder: " + ec.message());
        // The index keeps two pages of one file (or one file twice) apart;
        // the counter keeps entries written within one second apart.
        std::string name;
        for (int n = 0;; ++n) {
            name = stamp + "-" + std::to_string(i + 1) + "-" + safeStem(s.file) + "-p" + std::to_string(s.page) +
                   (n ? "-" + std::to_string(n) : "") + ".png";
            if (!fs::exists(assets / name)) break;
        }
        const fs::path out = assets / name;
        if (!s.thumbnail.save(QString::fromStdString(out.string()), "PNG"))
            throw InputError(out.string(), "cannot write the thumbnail");
        const QString rel = QString::fromStdString(assets.filename().string() + "/" + name);
        links[i] = QString::fromUtf8(QUrl::toPercentEncoding(rel, "/")).toStdString();
    }
    return links;
}

std::string sourcesLine(const NoteEntry& e) {
    std::string line;
    for (const NoteSource& s : e.sources) {
        if (!line.empty()) line += "; ";
        line += displayName(s.file) + ", p. " + std::to_string(s.page);
    }
    return line;
}

std::string modelLine(const ModelInfo& m) {
    std::string line = m.name.toStdString();
    if (!m.device.empty()) line += " (" + m.device + (m.dtype.empty() ? "" : ", " + m.dtype) + ")";
    return line;
}

// Markdown blockquote of free text: every line prefixed so answers with
// headings or lists cannot break the note's structure.
std::string quoted(const std::string& text) {
    std::string out = "> ";
    for (char c : text) {
        out += c;
        if (c == '\n') out += "> ";
    }
    return out + "\n";
}

std::string markdownEntry(const NoteEntry& e, const std::vector<std::string>& links) {
    std::ostringstream md;
    std::string title = e.question.substr(0, e.question.find('\n'));
    md << "## " << title << "\n\n";
    md << "**Question**\n\n" << quoted(e.question) << "\n";
    md << "**Answer**" << (e.finishReason == FinishReason::Cancelled ? " (partial: stopped before the end)" : "")
       << "\n\n" << quoted(e.answer) << "\n";
    md << "- Model: " << modelLine(e.model) << "\n";
    md << "- Date: " << e.date.toString(Qt::ISODate).toStdString() << "\n";
    md << "- Sources: " << sourcesLine(e) << "\n\n";
    bool any = false;
    for (size_t i = 0; i < links.size(); ++i) {
        if (links[i].empty()) continue;
        md << "![" << displayName(e.sources[i].file) << ", p. " << e.sources[i].page << "](" << links[i] << ") ";
        any = true;
    }
    if (any) md << "\n\n";
    md << "---\n\n";
    return md.str();
}

std::string jsonEntry(const NoteEntry& e, const std::vector<std::string>& links) {
    nlohmann::ordered_json j;
    j["date"] = e.date.toString(Qt::ISODate).toStdString();
    j["question"] = e.question;
    j["answer"] = e.answer;
    j["stop_reason"] = finishReasonName(e.finishReason);
    j["model"] = e.model.name.toStdString();
    j["model_dir"] = e.model.dir.toStdString();
    j["device"] = e.model.device;
    j["dtype"] = e.model.dtype;
    j["sources"] = nlohmann::ordered_json::array();
    for (size_t i = 0; i < e.sources.size(); ++i) {
        nlohmann::ordered_json s;
        s["file"] = e.sources[i].file.toStdString();
        s["page"] = e.sources[i].page;
        if (!links[i].empty()) s["thumbnail"] = links[i];
        j["sources"].push_back(s);
    }
    return j.dump() + "\n";
}

}  // namespace

NotesFormat notesFormatFor(const fs::path& path) {
    const std::string ext = lowerExtension(path);
    if (ext == ".md" || ext == ".markdown") return NotesFormat::Markdown;
    if (ext == ".json" || ext == ".jsonl") return NotesFormat::JsonLines;
    throw InputError(path.string(), "notes must be a .md, .json or .jsonl file");
}

fs::path notesAssetsDir(const fs::path& notesPath) {
    return folderOf(notesPath) / (notesPath.stem().string() + ".assets");
}

void checkNotesTarget(const fs::path& path) {
    notesFormatFor(path);
    checkOutputFile(path);
    std::error_code ec;
    const fs::path assets = notesAssetsDir(path);
    if (fs::exists(assets, ec) && !fs::is_directory(assets, ec))
        throw InputError(assets.string(), "exists and is not a folder (needed for the page thumbnails)");
}

NoteEntry noteFromResult(const std::string& question, const AskResult& result,
                         const std::vector<QImage>& pageImages) {
    NoteEntry e;
    e.question = question;
    e.answer = result.answer;
    e.finishReason = result.finishReason;
    e.model = result.model;
    e.date = QDateTime::currentDateTime();
    for (size_t i = 0; i < result.pages.size(); ++i) {
        NoteSource s{result.pages[i].file, result.pages[i].page, {}};
        if (i < pageImages.size() && !pageImages[i].isNull())
            s.thumbnail = pageImages[i].scaledToHeight(kNoteThumbnailHeight, Qt::SmoothTransformation);
        e.sources.push_back(std::move(s));
    }
    return e;
}

void appendNote(const fs::path& path, const NoteEntry& entry) {
    checkNotesTarget(path);
    const NotesFormat format = notesFormatFor(path);
    const std::vector<std::string> links = saveThumbnails(path, entry);
    std::string content = readWholeFile(path);
    if (!content.empty() && content.back() != '\n') content += '\n';
    if (format == NotesFormat::Markdown) {
        if (!content.empty() && content.size() >= 2 && content.compare(content.size() - 2, 2, "\n\n") != 0)
            content += '\n';
        content += markdownEntry(entry, links);
    } else {
        content += jsonEntry(entry, links);
    }
    writeFileAtomically(path, content);
}

}  // namespace leopard
