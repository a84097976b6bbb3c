// `leopard-train finetune`: LoRA on a model folder from a Q/A JSONL file
// (trainer/finetune.h). With Qt (LEOPARD_WITH_DOCUMENTS, the full build)
// the Q/A file's documents are first rendered to PNG pages under
// <out>/rendered/ (commands/qt/qa_documents.h); the engine-only build reads
// PNGs only. Prints a memory estimate before starting; with
// --metrics-jsonl, one JSON line {"step","loss","progress"} per step on
// stdout (what the GUI's fine-tune dialog reads), human text on stderr.
#include <cstdio>
#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/runtime.h"
#include "util/command_line.h"
#include "trainer/finetune.h"
#include "trainer/model_folder.h"
#include "util/errors.h"
#ifdef LEOPARD_WITH_DOCUMENTS
#include "commands/qt/qa_documents.h"
#include "engine/config.h"
#endif

namespace {

leopard::cli::Registrar reg("finetune", 40, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("finetune", "LoRA fine-tuning of a model folder on a Q/A JSONL file");
    static leopard::training::FinetuneOptions o;
    static std::string model, data, docs, out, targets = "q,k,v,o,gate,up,down", dtype = "float32";
    static bool metrics = false, skipBad = false;
    static int threads = 0;
    cmd->add_option("--model", model, "Base model folder")->required();
#ifdef LEOPARD_WITH_DOCUMENTS
    cmd->add_option("--data", data,
                    "Q/A JSONL: {files, pages, question, answer} per line. files: PDF, PPTX/PPT/ODP (LibreOffice), "
                    "PNG, JPEG, WebP, TIFF; pages (optional): per file a list of 1-based page numbers or a "
                    "selection like \"1-3\", empty for all. Pages are rendered to PNG under <out>/rendered/ "
                    "as the app renders them for the model; PNGs are used as they are")
        ->required();
#else
    cmd->add_option("--data", data, "Q/A JSONL: {files, question, answer} per line; files: PNG images (this build "
                                    "has no document rendering)")
        ->required();
#endif
    cmd->add_option("--docs", docs, "Folder the Q/A file's paths are relative to (default: its own folder)");
    cmd->add_option("--out", out, "Adapter folder to write")->required();
    static std::string mergedOut;
    cmd->add_option("--merged-out", mergedOut,
                    "Also write a model folder with the adapter merged in (what the app loads)");
    cmd->add_option("--rank", o.lora.rank, "LoRA rank r")->capture_default_str();
    cmd->add_option("--alpha", o.lora.alpha, "LoRA alpha (scale alpha/r)")->capture_default_str();
    cmd->add_option("--dropout", o.lora.dropout, "LoRA dropout")->capture_default_str();
    cmd->add_option("--targets", targets, "Comma list of q,k,v,o,gate,up,down,projector,vision,lm_head")->capture_default_str();
    cmd->add_option("--epochs", o.epochs, "Epochs")->capture_default_str();
    cmd->add_option("--batch-size", o.batchSize, "Samples per step")->capture_default_str();
    cmd->add_option("--lr", o.lr, "Peak learning rate")->capture_default_str();
    cmd->add_option("--seed", o.seed, "Seed (data order, adapter init, dropout)")->capture_default_str();
    cmd->add_option("--dtype", dtype, "Base weights while training: float32 or bfloat16")->capture_default_str();
    cmd->add_flag("--skip-bad-lines", skipBad, "Skip malformed Q/A lines (reported) instead of stopping");
    cmd->add_flag("--metrics-jsonl", metrics, "Print {\"step\",\"loss\",\"progress\"} JSON lines on stdout");
    cmd->add_option("--threads", threads, "Intra-op CPU threads (default: $LEOPARD_THREADS, else every core)");
    cmd->callback([] {
        leopard::configureRuntime({threads, /*quiet=*/metrics});
        o.model = model;
        o.out = out;
        if (dtype == "bfloat16") o.dtype = c10::kBFloat16;
        else if (dtype != "float32") throw leopard::InputError("--dtype", "float32 or bfloat16");
        o.lora.targets.clear();
        std::stringstream list(targets);
        for (std::string t; std::getline(list, t, ',');)
            if (!t.empty()) o.lora.targets.push_back(t);
        leopard::training::ReadReport report;
        const leopard::training::ReadOptions ro{
            skipBad ? leopard::training::OnError::Skip : leopard::training::OnError::Fail, true};
        std::filesystem::path pngData = data;
#ifdef LEOPARD_WITH_DOCUMENTS
        leopard::train::QaDocumentOptions render;
        render.docsDir = docs;
        render.outDir = std::filesystem::path(out) / "rendered";
        render.tileSize = static_cast<int>(leopard::loadModelConfig(model).vision.image_size);
        render.tileBudget = o.tileBudget;
        render.onError = ro.onError;
        pngData = leopard::train::renderQaDocuments(data, render, &report);
#endif
        const auto samples = leopard::training::readQaJsonl(pngData, docs, ro, &report, data);
        for (const auto& p : report.problems) std::fprintf(stderr, "skipped %s\n", p.c_str());
        o.onStep = [](int64_t step, int64_t steps, double loss) {
            if (metrics)
                std::printf("%s\n", nlohmann::json{{"step", step}, {"loss", loss},
                                                   {"progress", static_cast<double>(step) / steps}}
                                        .dump()
                                        .c_str()),
                    std::fflush(stdout);
            else
                std::fprintf(stderr, "step %lld/%lld loss %.4f\n", static_cast<long long>(step),
                             static_cast<long long>(steps), loss);
        };
        const auto r = leopard::training::runFinetune(samples, o, [](const auto& m) {
            std::fprintf(stderr,
                         "memory estimate: %.1f MB base weights + %.1f MB adapter (params, grads, AdamW) + %.1f MB "
                         "activations = %.1f MB\n",
                         m.baseBytes / 1e6, m.adapterBytes / 1e6, m.activationBytes / 1e6, m.total() / 1e6);
        });
        std::fprintf(stderr, "adapter written to %s (final loss %.4f)\n", out.c_str(), r.losses.back());
        if (!mergedOut.empty()) {
            leopard::training::writeMergedModelFolder(model, out, mergedOut);
            std::fprintf(stderr, "merged model written to %s\n", mergedOut.c_str());
        }
    });
});

}  // namespace
