// `leopard-cli tiles`: shows what the model sees. Renders the pages of the
// given files as the model input would be rendered (render_policy.h), plans
// their tiles (LEOPARD.md §3) and writes, in DIR, plan.json and every tile
// in model order as PNG, before normalization:
//
//   leopard-cli tiles --out tiles/ report.pdf --pages 1-2 photo.jpg
//   → tiles/plan.json, tiles/000_report-p1_global.png, 001_report-p1_tile1.png, …
//
// --pages applies to the file before it; given before any file it applies
// to every file without its own. A file that cannot be read is reported
// and skipped; the command fails (exit 2) only when none can be read.
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>

#include <QDir>
#include <QFileInfo>
#include <nlohmann/json.hpp>

#include "util/command_line.h"
#include "documents/document_source.h"
#include "documents/page_image.h"
#include "documents/page_spec.h"
#include "documents/render_policy.h"
#include "documents/render_service.h"
#include "imaging/tiles.h"
#include "util/atomic_file.h"
#include "util/errors.h"

namespace {

constexpr int kDefaultTileSize = 364;  // Leopard-LLaVA's SigLIP image_size, when no model is given

struct Options {
    int budget = 50;
    int tileSize = 0;
    std::string model;
    std::string out;
    std::vector<std::string> files;
    std::vector<std::string> pageSpecs;
};

// One page or image headed for the plan.
struct Input {
    std::string file;
    int page = 0;        // 0-based
    bool multiPage = false;
    double scale = 1.0;  // render scale used
    leopard::imaging::ImageRGB image;
};

int tileSizeFromModel(const std::string& dir) {
    const std::string path = dir + "/config.json";
    std::ifstream in(path);
    if (!in) throw leopard::InputError(path, "cannot be read");
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(in);
        return config.at("vision_config").at("image_size").get<int>();
    } catch (const nlohmann::json::exception& e) {
        throw leopard::InputError(path, std::string("no usable vision_config.image_size (") + e.what() + ")");
    }
}

// The --pages spec of each file, from where the options stood on the line.
std::vector<std::string> pageSpecsPerFile(const CLI::App& cmd, const CLI::Option* filesOpt,
                                          const CLI::Option* pagesOpt, const Options& o) {
    std::string global;
    std::map<size_t, std::string> own;
    size_t filesSeen = 0, specsSeen = 0;
    for (const CLI::Option* opt : cmd.parse_order()) {
        if (opt == filesOpt) ++filesSeen;
        if (opt == pagesOpt) {
            const std::string& spec = o.pageSpecs.at(specsSeen++);
            if (filesSeen == 0) global = spec;
            else own[filesSeen - 1] = spec;
        }
    }
    std::vector<std::string> specs(o.files.size(), global);
    for (const auto& [i, spec] : own) specs[i] = spec;
    return specs;
}

std::string safeName(const std::string& s) {
    std::string out;
    for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '_';
    return out;
}

std::string imageName(const Input& in) {
    const std::string stem = safeName(QFileInfo(QString::fromStdString(in.file)).completeBaseName().toStdString());
    return in.multiPage ? stem + "-p" + std::to_string(in.page + 1) : stem;
}

// Opens each file and renders its selected pages; unreadable files are
// reported on stderr and left out.
std::vector<Input> loadInputs(const Options& o, const std::vector<std::string>& specs, int tileSize) {
    struct Selected {
        std::shared_ptr<leopard::DocumentSource> doc;
        std::vector<int> pages;
    };
    std::vector<Selected> selected;
    size_t imageCount = 0;
    for (size_t i = 0; i < o.files.size(); ++i) {
        try {
            std::shared_ptr<leopard::DocumentSource> doc = leopard::openDocument(QString::fromStdString(o.files[i]));
            auto pages = leopard::parsePageSpec(specs[i], doc->pageCount(), o.files[i]);
            imageCount += pages.size();
            selected.push_back({std::move(doc), std::move(pages)});
        } catch (const leopard::InputError& e) {
            std::fprintf(stderr, "leopard-cli: %s\n", e.what());
        }
    }
    // Each page's share of the question's budget decides its resolution.
    const int perPage = leopard::modelPageBudget(o.budget, int(imageCount));
    std::vector<Input> inputs;
    for (const Selected& s : selected) {
        const std::string file = s.doc->filePath().toStdString();
        leopard::RenderService service(s.doc);
        std::vector<QFuture<QImage>> futures;
        for (int page : s.pages) futures.push_back(service.renderForModel(page, tileSize, perPage));
        try {
            for (size_t k = 0; k < s.pages.size(); ++k) {
                Input in{file, s.pages[k], s.doc->pageCount() > 1, service.modelScale(s.pages[k], tileSize, perPage), {}};
                in.image = leopard::toImageRGB(leopard::waitForImage(futures[k]));
                inputs.push_back(std::move(in));
            }
        } catch (const leopard::InputError& e) {
            std::fprintf(stderr, "leopard-cli: %s\n", e.what());
        }
    }
    return inputs;
}

void run(const Options& o, const std::vector<std::string>& specs) {
    const int tileSize = o.tileSize > 0 ? o.tileSize : !o.model.empty() ? tileSizeFromModel(o.model) : kDefaultTileSize;
    if (tileSize <= 0) throw leopard::InputError("--tile", "the tile size must be positive");
    std::vector<Input> inputs = loadInputs(o, specs, tileSize);
    if (inputs.empty()) throw leopard::InputError("tiles", "none of the files could be read");

    std::vector<std::array<int, 2>> sizes;
    for (const Input& in : inputs) sizes.push_back({in.image.width, in.image.height});
    const leopard::imaging::TilePlan plan = leopard::imaging::planTiles(sizes, tileSize, o.budget);

    const QString outDir = QString::fromStdString(o.out);
    if (!QDir().mkpath(outDir)) throw leopard::InputError(o.out, "cannot create the output folder");
    nlohmann::ordered_json doc;
    doc["tile_size"] = tileSize;
    doc["budget"] = plan.budget;
    doc["total_tiles"] = plan.totalModelTiles();
    doc["images"] = nlohmann::ordered_json::array();
    int index = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
        const Input& in = inputs[i];
        nlohmann::ordered_json entry;
        entry["file"] = in.file;
        entry["page"] = in.page + 1;
        entry["render_scale"] = in.scale;
        entry["size"] = {in.image.width, in.image.height};
        const nlohmann::json planned = leopard::imaging::imageToJson(plan, i);
        for (const auto& [key, value] : planned.items()) entry[key] = value;
        auto& names = entry["tile_files"] = nlohmann::ordered_json::array();
        const auto tiles = leopard::imaging::makeTiles(in.image, plan.images[i], tileSize);
        for (size_t k = 0; k < tiles.size(); ++k) {
            char prefix[16];
            std::snprintf(prefix, sizeof prefix, "%03d_", index++);
            const std::string name = prefix + imageName(in) + (k == 0 ? "_global" : "_tile" + std::to_string(k)) + ".png";
            const QString path = outDir + "/" + QString::fromStdString(name);
            if (!leopard::toQImage(tiles[k]).save(path, "png"))
                throw leopard::InputError(path.toStdString(), "cannot be written");
            names.push_back(name);
        }
        doc["images"].push_back(std::move(entry));
    }
    leopard::writeFileAtomically(std::filesystem::path(o.out) / "plan.json", doc.dump(2) + "\n");
    std::printf("%zu image(s), %d tile(s) of %d×%d → %s\n", inputs.size(), plan.totalModelTiles(), tileSize,
                tileSize, o.out.c_str());
}

leopard::cli::Registrar reg("tiles", 40, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("tiles", "Write the tiles the model would see for the given files, with plan.json");
    static Options o;
    cmd->add_option("--budget", o.budget, "Tiles for the whole question before one global view per image")
        ->capture_default_str();
    cmd->add_option("--tile", o.tileSize, "Tile size in pixels (default: the model's, else 364)");
    cmd->add_option("--model", o.model, "Model folder whose config.json gives vision_config.image_size");
    static CLI::Option* pages = cmd->add_option("--pages", o.pageSpecs,
                                                "Pages like 1-3,7 of the file before it (before any file: of all files)")
                                    ->allow_extra_args(false);
    cmd->add_option("--out", o.out, "Output folder")->required();
    static CLI::Option* files = cmd->add_option("FILE", o.files, "PDFs, images, office documents")->required();
    cmd->callback([cmd] { run(o, pageSpecsPerFile(*cmd, files, pages, o)); });
});

}  // namespace
