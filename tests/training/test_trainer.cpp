// The training loop: schedule, loss going down, bit-for-bit resume, the
// model folder it writes, atomic checkpoints and bad input.
// LibTorch first: its glog defines CHECK, which Catch must redefine after it.
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include <cmath>
#include <csignal>
#include <fstream>
#include <sys/resource.h>

#include "engine/model.h"
#include "engine/safetensors.h"
#include "imaging/png_io.h"
#include "text/tokenizer_factory.h"
#include "trainer/example.h"
#include "trainer/lr_schedule.h"
#include "trainer/metrics_log.h"
#include "trainer/model_folder.h"
#include "trainer/trainer.h"
#include "trainer/training_checkpoint.h"
#include "util/atomic_file.h"
#include "trainer_fixture.h"
#include "util/errors.h"

using namespace leopard;
using namespace leopard::training;

namespace {

const test::TinyTrainingData& data() {
    static const auto d = test::makeTinyTrainingData(24, 6);
    return d;
}

TrainRunOptions quiet() {
    TrainRunOptions o;
    o.verbose = false;
    return o;
}

double mean(const std::vector<double>& v, size_t from, size_t n) {
    double s = 0;
    for (size_t i = from; i < from + n; ++i) s += v[i];
    return s / static_cast<double>(n);
}

}  // namespace

TEST_CASE("lr schedule: linear warmup to the peak, cosine down to min_lr", "[trainer]") {
    CHECK(learningRate(0, 100, 10, 1.0, 0.1) == Approx(0.1));
    CHECK(learningRate(9, 100, 10, 1.0, 0.1) == Approx(1.0));
    CHECK(learningRate(10, 100, 10, 1.0, 0.1) == Approx(1.0));
    CHECK(learningRate(55, 100, 10, 1.0, 0.1) == Approx(0.55));   // half way: the middle
    CHECK(learningRate(100, 100, 10, 1.0, 0.1) == Approx(0.1));
    for (int s = 11; s < 100; ++s) CHECK(learningRate(s, 100, 10, 1.0, 0.1) < learningRate(s - 1, 100, 10, 1.0, 0.1));
}

TEST_CASE("masked loss: only answer tokens count, and only they get gradient from the loss", "[trainer]") {
    const auto& d = data();
    const auto tiny = test::makeTinyModel(d);
    const auto& tok = tiny.tokenizer;
    const auto& model = tiny.model;
    const auto& mc = model->config();
    const ExampleBuilder builder(*tok, tiny.format, model->config(), 12);
    const auto samples = readTrainJsonl(d.train);
    auto ex = builder.prepare(samples[0]);
    REQUIRE(ex.maskedTokens > 0);
    // The answer + end of turn, nothing else.
    const auto answerIds = tok->encode(samples[0].turns[1].value, false);
    CHECK(ex.maskedTokens == static_cast<int64_t>(answerIds.size()) + 1);
    const auto loss = maskedLoss(*model, ex);
    CHECK(loss.count == ex.maskedTokens);
    // A near-uniform random model: about log(V) per counted token.
    CHECK(loss.sum.item<double>() / loss.count == Approx(std::log(double(mc.text.vocab_size))).epsilon(0.1));
}

TEST_CASE("train: the loss goes down over a few steps on a few dozen samples", "[trainer][train]") {
    test::TempDir out;
    auto c = test::tinyTrainConfig(data(), out.path());
    c.steps = 16;
    const auto r = runTraining(c, quiet());
    REQUIRE(r.finished);
    REQUIRE(r.losses.size() == 16);
    CHECK(mean(r.losses, 13, 3) < 0.8 * mean(r.losses, 0, 3));
}

TEST_CASE("train: an interrupted run resumed from its checkpoint continues bit for bit", "[trainer][train]") {
    // One intra-op thread: with two, this run's step 7 loss differed from the
    // straight run's in the 8th digit (4.5770888556 vs 4.5770892189): the
    // multi-threaded CPU kernels' summation order is not fixed by the inputs
    // alone. Resume itself (weights, AdamW moments and step, data position)
    // is what this test checks.
    const int threads = at::get_num_threads();
    at::set_num_threads(1);
    struct Restore {
        int n;
        ~Restore() { at::set_num_threads(n); }
    } restore{threads};
    test::TempDir a, b;
    auto ca = test::tinyTrainConfig(data(), a.path());
    auto cb = test::tinyTrainConfig(data(), b.path());
    ca.steps = cb.steps = 8;
    const auto straight = runTraining(ca, quiet());

    auto stop = quiet();
    stop.stopAfterStep = 3;
    const auto first = runTraining(cb, stop);
    CHECK_FALSE(first.finished);
    CHECK(first.endStep == 3);
    CHECK(std::filesystem::exists(b / "checkpoint" / "state.json"));
    const auto second = runTraining(cb, quiet());
    CHECK(second.startStep == 3);
    REQUIRE(second.finished);

    std::vector<double> resumed = first.losses;
    resumed.insert(resumed.end(), second.losses.begin(), second.losses.end());
    REQUIRE(resumed.size() == straight.losses.size());
    for (size_t i = 0; i < resumed.size(); ++i) {
        INFO("step " << i + 1);
        CHECK(resumed[i] == straight.losses[i]);  // exact
    }
    const SafetensorsFile wa(a / "model.safetensors"), wb(b / "model.safetensors");
    REQUIRE(wa.names() == wb.names());
    for (const auto& name : wa.names()) CHECK(torch::equal(wa.tensor(name), wb.tensor(name)));
}

TEST_CASE("train: writes a model folder the engine loads, with metrics, loss curve and eval report", "[trainer][train]") {
    test::TempDir out;
    auto c = test::tinyTrainConfig(data(), out.path());
    c.steps = 4;
    c.evalData = data().eval;
    REQUIRE(runTraining(c, quiet()).finished);
    const auto model = LeopardModel::load(out.path(), {});
    const auto tok = text::loadTokenizer(out.path());
    const auto format = text::PromptFormat::fromModelDir(out.path());
    CHECK(format.imagePlaceholder == smallModelPromptFormat().imagePlaceholder);
    CHECK(model->config().image_token_index == *tok->tokenToId(format.imagePlaceholder));
    CHECK(model->config().stopTokenIds() == std::vector<int64_t>{*tok->tokenToId(format.endOfTurn)});
    CHECK(readLossPoints(out / "metrics.jsonl").size() == 4);
    const auto curve = imaging::readPng(out / "loss_curve.png");
    CHECK(curve.width == 640);
    std::ifstream report(out / "eval_report.json");
    const auto j = nlohmann::json::parse(report);
    CHECK(j["overall"]["count"] == 6);
}

TEST_CASE("checkpoint: a write failure (disk full) leaves the previous checkpoint intact", "[trainer]") {
    test::TempDir dir;
    auto w = torch::ones({64, 64});
    w.set_requires_grad(true);
    torch::optim::AdamW opt({w}, torch::optim::AdamWOptions(0.1));
    w.sum().backward();
    opt.step();
    const NamedTensors tensors{{"w", w}};
    saveTrainingCheckpoint(dir / "checkpoint", tensors, opt, {{"step", 1}});
    const auto saved = w.detach().clone();

    {   // Files may not grow past 4 KiB: the 16 KiB tensor file cannot be written.
        torch::NoGradGuard g;
        w.add_(1.0);
    }
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit old{};
    getrlimit(RLIMIT_FSIZE, &old);
    rlimit tiny = old;
    tiny.rlim_cur = 4096;
    setrlimit(RLIMIT_FSIZE, &tiny);
    bool threw = false;
    try {
        saveTrainingCheckpoint(dir / "checkpoint", tensors, opt, {{"step", 2}});
    } catch (const std::exception&) {
        threw = true;
    }
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, oldHandler);
    CHECK(threw);
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        CHECK(entry.path().filename() == "checkpoint");   // no temporary folder left

    const auto state = loadTrainingCheckpoint(dir / "checkpoint", tensors, opt);
    REQUIRE(state);
    CHECK((*state)["step"] == 1);
    CHECK(torch::equal(w.detach(), saved));
}

TEST_CASE("checkpoint: saving again replaces the previous one and leaves no old or temporary folder", "[trainer]") {
    // The second save is the first that removes a full folder (the one that
    // crashed on the CUDA machine, util/atomic_file.h removeTree).
    test::TempDir dir;
    auto w = torch::zeros({8, 8});
    w.set_requires_grad(true);
    torch::optim::AdamW opt({w}, torch::optim::AdamWOptions(0.1));
    const NamedTensors tensors{{"w", w}};
    for (int step = 1; step <= 3; ++step) {
        {
            torch::NoGradGuard g;
            w.fill_(static_cast<float>(step));
        }
        saveTrainingCheckpoint(dir / "checkpoint", tensors, opt, {{"step", step}});
    }
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        names.push_back(entry.path().filename().string());
    CHECK(names == std::vector<std::string>{"checkpoint"});
    {
        torch::NoGradGuard g;
        w.zero_();
    }
    const auto state = loadTrainingCheckpoint(dir / "checkpoint", tensors, opt);
    REQUIRE(state);
    CHECK((*state)["step"] == 3);
    CHECK(torch::equal(w.detach(), torch::full({8, 8}, 3.0f)));
}

TEST_CASE("removeTree: removes nested folders, not what links point to; a missing path is fine", "[trainer]") {
    test::TempDir dir;
    const auto keep = dir / "keep.txt";
    std::ofstream(keep) << "stays";
    const auto tree = dir / "tree";
    std::filesystem::create_directories(tree / "a" / "b");
    std::ofstream(tree / "a" / "b" / "f.bin") << "x";
    std::ofstream(tree / "top.txt") << "y";
    std::filesystem::create_symlink(keep, tree / "a" / "link");
    std::filesystem::create_directory_symlink(dir.path(), tree / "loop");
    removeTree(tree);
    CHECK_FALSE(std::filesystem::exists(tree));
    CHECK(std::filesystem::exists(keep));
    CHECK_NOTHROW(removeTree(tree));
    removeTree(keep);   // a single file
    CHECK_FALSE(std::filesystem::exists(keep));
}

TEST_CASE("train: the config names the device; an unknown or missing device is an input error", "[trainer]") {
    nlohmann::json j = {{"model_config", "m.json"}, {"tokenizer", "v"}, {"train_data", "t.jsonl"}, {"out", "o"}};
    CHECK(parseTrainConfig(j, "/base", "cfg").device == "cpu");   // bit-exact resumption by default
    j["device"] = "cuda:1";
    CHECK(parseTrainConfig(j, "/base", "cfg").device == "cuda:1");
    j["device"] = 3;
    CHECK_THROWS_AS(parseTrainConfig(j, "/base", "cfg"), InputError);

    test::TempDir out;
    auto c = test::tinyTrainConfig(data(), out.path());
    c.steps = 1;
    c.device = "tpu";
    CHECK_THROWS_AS(runTraining(c, quiet()), InputError);
    if (!torch::cuda::is_available()) {
        c.device = "cuda";
        CHECK_THROWS_AS(runTraining(c, quiet()), InputError);
    }
    c.device = "auto";   // the CPU here unless a GPU is present: trains
    CHECK(runTraining(c, quiet()).finished);
}

TEST_CASE("train: bad input is reported", "[trainer]") {
    const auto& d = data();
    test::TempDir dir;
    std::vector<std::string> lines;
    {
        std::ifstream in(d.train);
        for (std::string l; std::getline(in, l);) lines.push_back(l);
    }
    // Images are resolved against the JSONL's folder: write next to it.
    auto write = [&](const std::string& name, const std::vector<std::string>& ls) {
        const auto p = d.train.parent_path() / name;
        std::ofstream o(p);
        for (const auto& l : ls) o << l << '\n';
        return p;
    };
    auto c = test::tinyTrainConfig(d, dir.path());
    c.steps = 1;

    SECTION("malformed JSONL: fatal with the line number, or skipped with skip_bad_lines") {
        c.trainData = write("bad.jsonl", {lines[0], "{not json", lines[1], lines[2], lines[3]});
        try {
            runTraining(c, quiet());
            FAIL("no error");
        } catch (const InputError& e) {
            CHECK(std::string(e.what()).find("line 2") != std::string::npos);
        }
        c.skipBadLines = true;
        CHECK(runTraining(c, quiet()).finished);
    }
    SECTION("a missing image") {
        auto l = lines[0];
        l.replace(l.find("images/"), 7, "missing/");
        c.trainData = write("missing.jsonl", {l, lines[1]});
        CHECK_THROWS_AS(runTraining(c, quiet()), InputError);
    }
    SECTION("an empty answer") {
        auto j = nlohmann::json::parse(lines[0]);
        j["conversations"][1]["value"] = " ";
        c.trainData = write("empty.jsonl", {j.dump(), j.dump(), j.dump(), j.dump()});
        CHECK_THROWS_AS(runTraining(c, quiet()), InputError);
    }
    SECTION("a model folder of another architecture") {
        const auto other = dir / "bert";
        std::filesystem::create_directories(other);
        std::ofstream(other / "config.json") << R"({"architectures": ["BertModel"], "hidden_size": 64})";
        c.modelConfig.clear();
        c.initFrom = other;
        CHECK_THROWS_AS(runTraining(c, quiet()), InputError);
    }
}
