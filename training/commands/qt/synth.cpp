// `leopard-train synth`: renders the synthetic text-rich multi-image dataset
// (synth/dataset_writer.h), or with --examples the example documents of
// examples/ (synth/examples.h).
#include <cstdio>
#include <sstream>

#include "util/command_line.h"
#include "synth/dataset_writer.h"
#include "synth/examples.h"
#include "synth/qt_app.h"
#include "util/errors.h"

namespace {

leopard::cli::Registrar reg("synth", 10, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("synth", "Render synthetic text-rich multi-image training and eval data");
    static std::string out, examples, categories;
    static uint64_t seed = 1;
    static int train = 0, eval = 0;
    static leopard::synth::CanvasOptions canvas;
    static double instructionRate = 0.5;
    static bool quiet = false;
    cmd->add_option("--out", out, "Output folder (train.jsonl, eval.jsonl, images/)");
    cmd->add_option("--seed", seed, "Seed: equal seeds give byte-identical output")->capture_default_str();
    cmd->add_option("--train", train, "Number of training samples")->capture_default_str();
    cmd->add_option("--eval", eval, "Number of eval samples")->capture_default_str();
    cmd->add_option("--categories", categories,
                    "Comma-separated subset of single_read,which_image,compare,count,arithmetic,diff (default: all of these), "
                    "or the reading exercises read_text,transcribe");
    cmd->add_option("--min-side", canvas.minSide, "Smallest long side of an image, pixels")->capture_default_str();
    cmd->add_option("--max-side", canvas.maxSide, "Largest long side of an image, pixels")->capture_default_str();
    cmd->add_option("--instruction-rate", instructionRate,
                    "Share of training questions that end with the direct-answer instruction")
        ->capture_default_str();
    cmd->add_option("--examples", examples, "Instead of a dataset, write the example documents into this folder");
    cmd->add_flag("--quiet", quiet, "No progress on stderr");
    cmd->callback([] {
        leopard::synth::ensureGuiApplication();
        if (!examples.empty()) {
            for (const auto& f : leopard::synth::writeExamples(examples)) std::printf("%s\n", f.c_str());
            return;
        }
        if (out.empty()) throw leopard::InputError("synth", "--out or --examples is required");
        leopard::synth::SynthOptions o;
        o.outDir = out;
        o.seed = seed;
        o.trainCount = train;
        o.evalCount = eval;
        o.canvas = canvas;
        o.instructionRate = instructionRate;
        std::stringstream list(categories);
        for (std::string name; std::getline(list, name, ',');) {
            if (name.empty()) continue;
            auto c = leopard::synth::parseCategory(name);
            if (!c) throw leopard::InputError("--categories", "unknown category \"" + name + "\"");
            o.categories.push_back(*c);
        }
        if (!quiet)
            o.progress = [](const leopard::Progress& p) {
                if (p.done % 50 == 0 || p.done == p.total)
                    std::fprintf(stderr, "\rsynth: %lld/%lld", static_cast<long long>(p.done),
                                 static_cast<long long>(p.total));
                if (p.done == p.total) std::fputc('\n', stderr);
                return true;
            };
        const auto summary = leopard::synth::writeSynthDataset(o);
        std::printf("wrote %s: %d images\n", out.c_str(), summary.images);
        for (const auto& [name, n] : summary.trainPerCategory) std::printf("  train %-12s %d\n", name.c_str(), n);
        for (const auto& [name, n] : summary.evalPerCategory) std::printf("  eval  %-12s %d\n", name.c_str(), n);
    });
});

}  // namespace
