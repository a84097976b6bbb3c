// Data parallelism with c10d Gloo: two `leopard-train train` processes with
// half the batch each follow exactly the loss of one process with the whole
// batch (within float tolerance: the gradient sums are added in another order).
// LibTorch first: its glog defines CHECK, which Catch must redefine after it.
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "trainer/metrics_log.h"
#include "trainer_fixture.h"

using namespace leopard;

namespace {

void writeConfig(const test::TinyTrainingData& d, const std::filesystem::path& file, const std::filesystem::path& out) {
    const nlohmann::json j = {{"model_config", d.modelConfig.string()}, {"tokenizer", d.vocab.string()},
                              {"train_data", d.train.string()},         {"out", out.string()},
                              {"steps", 5},                             {"batch_size", 4},
                              {"lr", 3e-3},                             {"warmup_steps", 1},
                              {"seed", 3},                              {"tile_budget", 12},
                              {"log_every", 1}};
    std::ofstream(file) << j.dump(2);
}

int run(const std::string& args) {
    const auto cmd = "OMP_NUM_THREADS=1 \"" + (test::binDir() / "leopard-train").string() + "\" train " + args +
                     " > /dev/null 2>&1";
    return std::system(cmd.c_str());
}

}  // namespace

TEST_CASE("distributed: 2 processes with half batches match 1 process with the whole batch", "[distributed][slow]") {
    const auto d = test::makeTinyTrainingData(16, 0);
    test::TempDir dir;
    writeConfig(d, dir / "one.json", dir / "one");
    writeConfig(d, dir / "two.json", dir / "two");
    REQUIRE(run("--config \"" + (dir / "one.json").string() + "\"") == 0);

    const auto rdzv = (dir / "rendezvous").string();
    int rc1 = -1;
    std::thread second([&] {
        rc1 = run("--config \"" + (dir / "two.json").string() + "\" --world-size 2 --rank 1 --rendezvous " + rdzv);
    });
    const int rc0 = run("--config \"" + (dir / "two.json").string() + "\" --world-size 2 --rank 0 --rendezvous " + rdzv);
    second.join();
    REQUIRE(rc0 == 0);
    REQUIRE(rc1 == 0);

    const auto one = training::readLossPoints(dir / "one" / "metrics.jsonl");
    const auto two = training::readLossPoints(dir / "two" / "metrics.jsonl");
    REQUIRE(one.size() == 5);
    REQUIRE(two.size() == 5);
    for (size_t i = 0; i < one.size(); ++i) {
        CHECK(two[i].first == one[i].first);
        CHECK(two[i].second == Approx(one[i].second).epsilon(1e-4));
    }
    CHECK(one.back().second < one.front().second);
}
