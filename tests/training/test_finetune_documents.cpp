// `leopard-train finetune` on documents: a Q/A file naming a PDF page and a
// PNG screenshot fine-tunes the bundled model; the PDF page is rendered as
// the app renders it for the model, the PNG is used untouched, and a page
// out of range is reported with the Q/A file's line number (skipped with
// --skip-bad-lines, fatal without), as are the reader's own problems.
// LibTorch first: its glog defines CHECK, which Catch must redefine after it.
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "documents/document_source.h"
#include "documents/page_image.h"
#include "documents/render_policy.h"
#include "documents/render_service.h"
#include "engine/config.h"
#include "imaging/png_io.h"
#include "test_paths.h"
#include "trainer/finetune.h"
#include "util/paths.h"

namespace fs = std::filesystem;
using namespace leopard;

namespace {

struct Run {
    int exitCode = -1;
    std::string err;
};

std::string readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

Run finetune(const test::TempDir& dir, const std::string& args) {
    const fs::path err = dir / "stderr.txt";
    const std::string cmd = "OMP_NUM_THREADS=1 \"" + (test::binDir() / "leopard-train").string() +
                            "\" finetune --model \"" + bundledModelDir().string() + "\" --data \"" +
                            (dir / "qa.jsonl").string() + "\" --docs \"" + test::examplesDir().string() +
                            "\" --epochs 1 " + args + " > /dev/null 2> \"" + err.string() + "\"";
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, readText(err)};
}

std::vector<std::string> lines(const fs::path& file) {
    std::vector<std::string> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace

TEST_CASE("finetune: PDF pages are rendered by the app's policy, PNGs pass through, bad pages name their line",
          "[finetune][slow]") {
    test::TempDir dir;
    std::ofstream(dir / "qa.jsonl")
        << R"({"files": ["report.pdf", "screenshot-before.png"], "pages": [[2], []], "question": "How many sites?", "answer": "9"})"
           "\n"
        << R"({"files": ["screenshot-before.png"], "question": "Which theme?", "answer": "Light"})"
           "\n"
        << R"({"files": ["report.pdf"], "pages": [[3]], "question": "How many audits?", "answer": "5"})"
           "\n"
        << R"({"files": ["screenshot-before.png"], "question": "Which font size?", "answer": " "})"
           "\n";
    const std::string qa = (dir / "qa.jsonl").string();

    const fs::path adapter = dir / "adapter";
    const fs::path merged = dir / "merged";
    const Run ok = finetune(dir, "--skip-bad-lines --out \"" + adapter.string() + "\" --merged-out \"" +
                                     merged.string() + "\"");
    INFO(ok.err);
    REQUIRE(ok.exitCode == 0);
    CHECK(fs::exists(adapter / "adapter_model.safetensors"));
    CHECK(fs::exists(adapter / "adapter_config.json"));
    // --merged-out: a model folder the app loads (what the GUI's dialog offers).
    CHECK(fs::exists(merged / "model.safetensors"));
    CHECK(fs::exists(merged / "tokenizer.json"));
    CHECK(toJson(loadModelConfig(merged)) == toJson(loadModelConfig(bundledModelDir())));
    // Both the renderer's and the reader's problems name the user's file and line.
    CHECK(ok.err.find(qa + ":3: ") != std::string::npos);
    CHECK(ok.err.find("page 3 is out of range") != std::string::npos);
    CHECK(ok.err.find(qa + ":4: empty answer") != std::string::npos);

    // The rewritten Q/A file keeps the lines where they were.
    const auto rewritten = lines(adapter / "rendered" / "qa.jsonl");
    REQUIRE(rewritten.size() == 4);
    CHECK(rewritten[2].empty());
    const auto first = nlohmann::json::parse(rewritten[0]);
    REQUIRE(first["files"].size() == 2);
    CHECK(!first.contains("pages"));
    const fs::path screenshot = test::examplesDir() / "screenshot-before.png";
    CHECK(fs::equivalent(first["files"][1].get<std::string>(), screenshot));
    CHECK(fs::equivalent(nlohmann::json::parse(rewritten[1])["files"][0].get<std::string>(), screenshot));

    // Page 2 of the PDF, at the scale the app renders it for the model when
    // it shares the trainer's tile budget with one other page.
    const fs::path page = first["files"][0].get<std::string>();
    CHECK(fs::equivalent(page.parent_path(), adapter / "rendered"));
    const auto document = std::shared_ptr<const DocumentSource>(
        openDocument(QString::fromStdString((test::examplesDir() / "report.pdf").string())));
    RenderService service(document);
    const int tileSize = static_cast<int>(loadModelConfig(bundledModelDir()).vision.image_size);
    const int budget = modelPageBudget(training::FinetuneOptions{}.tileBudget, 2);
    const QImage expected = waitForImage(service.renderForModel(1, tileSize, budget));
    const imaging::ImageRGB rendered = imaging::readPng(page);
    CHECK(rendered.width == expected.width());
    CHECK(rendered.height == expected.height());
    CHECK(rendered.pixels == toImageRGB(expected).pixels);

    // Without --skip-bad-lines the bad page stops the run, naming its line.
    const Run failed = finetune(dir, "--out \"" + (dir / "adapter2").string() + "\"");
    CHECK(failed.exitCode == 2);
    CHECK(failed.err.find(qa + ":3: ") != std::string::npos);
    CHECK(!fs::exists(dir / "adapter2" / "adapter_config.json"));
}
