// `leopard-train check-data`: validates train/eval JSONL files (the checks
// the training loop makes when it reads them) and prints every problem with
// its line number.
#include <cstdio>

#include "util/command_line.h"
#include "data/dataset.h"
#include "util/errors.h"

namespace {

leopard::cli::Registrar reg("check-data", 15, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("check-data", "Check train.jsonl / eval.jsonl files: JSON, turns, answers, images");
    static std::vector<std::string> files;
    static bool eval = false;
    cmd->add_option("files", files, "JSONL files")->required();
    cmd->add_flag("--eval", eval, "The files are in the eval shape (images_path, question, answers …)");
    cmd->callback([] {
        int bad = 0;
        for (const auto& f : files) {
            leopard::training::ReadReport report;
            const leopard::training::ReadOptions o{leopard::training::OnError::Skip, true};
            const size_t n = eval ? leopard::training::readEvalJsonl(f, o, &report).size()
                                  : leopard::training::readTrainJsonl(f, o, &report).size();
            for (const auto& p : report.problems) std::fprintf(stderr, "%s\n", p.c_str());
            std::printf("%s: %zu good, %d bad of %d lines\n", f.c_str(), n, report.skipped, report.lines);
            bad += report.skipped;
        }
        if (bad) throw leopard::InputError("check-data", std::to_string(bad) + " bad lines");
    });
});

}  // namespace
