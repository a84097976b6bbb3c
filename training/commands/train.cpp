// `leopard-train train --config FILE.json`: trains a Leopard-architecture
// model from scratch or from a model folder (trainer/trainer.h). Run it
// again after an interruption to resume from <out>/checkpoint. Several
// processes: --world-size W --rank R --rendezvous FILE (or the RANK,
// WORLD_SIZE and LEOPARD_RENDEZVOUS environment variables).
#include <cstdio>

#include "engine/memory.h"
#include "engine/runtime.h"
#include "trainer/trainer.h"
#include "util/command_line.h"

namespace {

leopard::cli::Registrar reg("train", 30, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("train", "Train a model from a recipe config (resumes from <out>/checkpoint)");
    static std::string config;
    static leopard::training::TrainRunOptions run;
    static std::string rendezvous;
    static int64_t steps = 0;
    static int threads = 0;
    run.distributed = leopard::training::DistributedOptions::fromEnvironment();
    cmd->add_option("--config", config, "Training config JSON (see training/recipes/)")->required();
    cmd->add_option("--world-size", run.distributed.worldSize, "Processes training together")->capture_default_str();
    cmd->add_option("--rank", run.distributed.rank, "This process's rank, 0 … world-size − 1")->capture_default_str();
    cmd->add_option("--rendezvous", rendezvous, "A file path all processes share, for the c10d FileStore");
    cmd->add_option("--stop-after", run.stopAfterStep, "Checkpoint and stop after this step (resume later)");
    cmd->add_option("--steps", steps, "Override the config's total steps");
    cmd->add_option("--threads", threads, "Intra-op CPU threads (default: $LEOPARD_THREADS, else every core)");
    cmd->callback([] {
        // LibTorch alone starts with one thread here: the recipe ran on one core.
        leopard::configureRuntime({threads, /*quiet=*/false});
        auto c = leopard::training::loadTrainConfig(config);
        if (steps > 0) c.steps = steps;
        if (!rendezvous.empty()) run.distributed.rendezvousFile = rendezvous;
        const auto r = leopard::training::runTraining(c, run);
        if (run.distributed.rank == 0)
            std::printf("%s at step %lld: %s (peak RSS %.0f MiB)\n", r.finished ? "finished" : "stopped",
                        static_cast<long long>(r.endStep), c.out.c_str(),
                        static_cast<double>(leopard::peakRssBytes()) / (1 << 20));
    });
});

}  // namespace
