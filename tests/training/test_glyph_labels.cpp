// The vision tower's glyph loss: per-patch labels through the tile geometry,
// the "glyph_maps" data key and the "glyph_loss_weight" config key, the loss
// itself, and a training run whose head stays out of the model folder.
// LibTorch first: its glog defines CHECK, which Catch must redefine after it.
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <algorithm>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "engine/model.h"
#include "engine/safetensors.h"
#include "imaging/png_io.h"
#include "text/tokenizer_factory.h"
#include "trainer/example.h"
#include "trainer/glyph_labels.h"
#include "trainer/model_folder.h"
#include "trainer/train_config.h"
#include "trainer/trainer.h"
#include "trainer_fixture.h"
#include "util/errors.h"

using namespace leopard;
using namespace leopard::training;

namespace {

// A glyph map whose left half is `left` and right half `right`.
imaging::ImageRGB halves(int w, int h, uint8_t left, uint8_t right) {
    imaging::ImageRGB m(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) m.row(y)[3 * x] = x < w / 2 ? left : right;
    return m;
}

}  // namespace

TEST_CASE("glyph labels follow the global view's squash and the tiles' resize and paste", "[glyph]") {
    // 64 × 32 at tile 32: a 1 × 2 grid, nothing resized or padded.
    const auto plan = imaging::planTiles({{64, 32}}, 32, 50);
    REQUIRE(plan.images[0].grid == std::optional<std::array<int, 2>>({1, 2}));
    const auto labels = glyphPatchLabels(halves(64, 32, 'A', 'B'), plan.images[0], 32, 8);
    REQUIRE(labels.size() == 3 * 16);   // global view + 2 tiles, 4 × 4 patches each
    for (int t = 0; t < 3; ++t)
        for (int p = 0; p < 16; ++p) {
            INFO("tile " << t << " patch " << p);
            const int col = p % 4;
            // global view: the whole image squashed, left half in columns 0-1
            const int64_t want = t == 0 ? (col < 2 ? 'A' : 'B') : t == 1 ? 'A' : 'B';
            CHECK(labels[static_cast<size_t>(t * 16 + p)] == want);
        }

    // A plan that pads: 96 × 48 goes onto a 2 × 3 grid (96 × 64) pasted 8 px
    // down, so the top patch row of the first tiles lies on black padding.
    const auto padded = imaging::planTiles({{96, 48}}, 32, 50).images[0];
    REQUIRE(padded.grid == std::optional<std::array<int, 2>>({2, 3}));
    REQUIRE(padded.paste == std::array<int, 2>{0, 8});
    const auto l2 = glyphPatchLabels(halves(96, 48, 'C', 'C'), padded, 32, 8);
    REQUIRE(l2.size() == 7 * 16);
    for (int p = 0; p < 16; ++p) {
        INFO("first tile, patch " << p);
        CHECK(l2[static_cast<size_t>(16 + p)] == (p < 4 ? 0 : 'C'));   // row 0: centre y 4 < paste 8
    }
    CHECK(std::count(l2.begin(), l2.begin() + 16, 'C') == 16);   // the global view has no padding

    CHECK_THROWS_AS(glyphPatchLabels(halves(32, 32, 'A', 'A'), plan.images[0], 32, 8), InputError);
}

TEST_CASE("glyph_maps: one per image, resolved like images; glyph_loss_weight must not be negative", "[glyph]") {
    test::TempDir dir;
    imaging::writePng(dir / "a.png", imaging::ImageRGB(8, 8));
    const std::string turns = R"("conversations": [{"from": "human", "value": "<image>\nq"}, {"from": "gpt", "value": "a"}])";
    std::ofstream(dir / "ok.jsonl") << R"({"images": ["a.png"], "glyph_maps": ["a.png"], )" << turns << "}\n";
    std::ofstream(dir / "bad.jsonl") << R"({"images": ["a.png"], "glyph_maps": ["a.png", "a.png"], )" << turns << "}\n";
    const auto ok = readTrainJsonl(dir / "ok.jsonl");
    REQUIRE(ok.size() == 1);
    CHECK(ok[0].glyphMaps == std::vector<std::filesystem::path>{dir / "a.png"});
    CHECK_THROWS_WITH(readTrainJsonl(dir / "bad.jsonl"), Catch::Matchers::Contains("2 glyph maps for 1 images"));

    nlohmann::json j = {{"model_config", "m.json"}, {"tokenizer", "v"}, {"train_data", "t.jsonl"}, {"out", "o"}};
    CHECK(parseTrainConfig(j, "/base", "cfg").glyphLossWeight == 0.0);
    j["glyph_loss_weight"] = 0.5;
    CHECK(parseTrainConfig(j, "/base", "cfg").glyphLossWeight == 0.5);
    j["glyph_loss_weight"] = -1;
    CHECK_THROWS_AS(parseTrainConfig(j, "/base", "cfg"), InputError);
}

TEST_CASE("glyph loss: CE of the head over every patch, with gradient into the vision tower", "[glyph]") {
    const auto d = test::makeTinyTrainingData(2, 1);
    const auto tiny = test::makeTinyModel(d);
    const auto& model = tiny.model;
    const auto& mc = model->config();
    auto sample = readTrainJsonl(d.train)[0];
    for (size_t i = 0; i < sample.images.size(); ++i) {
        const auto img = imaging::readPng(sample.images[i]);
        sample.glyphMaps.push_back(sample.images[i].string() + ".glyphs.png");
        imaging::writePng(sample.glyphMaps.back(), halves(img.width, img.height, 'x', 0));
    }
    const ExampleBuilder builder(*tiny.tokenizer, tiny.format, model->config(), 12);
    const auto ex = builder.prepare(sample);
    REQUIRE(ex.patchLabels.defined());
    CHECK(ex.patchLabels.size(0) == ex.pixels.size(0));
    CHECK(ex.patchLabels.size(1) == mc.vision.numPatches());

    torch::manual_seed(1);
    torch::nn::Linear head(mc.vision.hidden_size, 256);
    for (auto& item : model->net()->named_parameters()) item.value().set_requires_grad(true);
    const auto withHead = maskedLoss(*model, ex, &head);
    REQUIRE(withHead.glyphSum.defined());
    CHECK(withHead.glyphCount == ex.patchLabels.numel());
    // An untrained head: about log(256) per patch.
    CHECK(withHead.glyphSum.item<double>() / withHead.glyphCount == Approx(std::log(256.0)).epsilon(0.25));
    withHead.glyphSum.backward();
    const auto& patchWeight = model->net()->vision_tower->vision_model->embeddings->patch_embedding->weight;
    REQUIRE(patchWeight.grad().defined());
    CHECK(patchWeight.grad().abs().sum().item<double>() > 0);
    // No head, or no labels: the answer loss alone, as before.
    CHECK_FALSE(maskedLoss(*model, ex).glyphSum.defined());
}

TEST_CASE("train with glyph_loss_weight: the head is checkpointed, the model folder holds only the model",
          "[glyph][train]") {
    const auto d = test::makeTinyTrainingData(8, 2);
    // The same data with a glyph map beside every image.
    std::ifstream in(d.train);
    std::ostringstream lines;
    for (std::string line; std::getline(in, line);) {
        auto j = nlohmann::json::parse(line);
        for (const auto& rel : j["images"]) {
            const auto path = d.train.parent_path() / rel.get<std::string>();
            const auto img = imaging::readPng(path);
            imaging::writePng(path.string() + ".glyphs.png", halves(img.width, img.height, 'q', 'z'));
            j["glyph_maps"].push_back(rel.get<std::string>() + ".glyphs.png");
        }
        lines << j.dump() << "\n";
    }
    const auto glyphTrain = d.train.parent_path() / "glyph-train.jsonl";
    std::ofstream(glyphTrain) << lines.str();

    test::TempDir out;
    auto c = test::tinyTrainConfig(d, out.path());
    c.trainData = glyphTrain;
    c.steps = 4;
    c.checkpointEvery = 2;
    c.glyphLossWeight = 1.0;
    TrainRunOptions quiet;
    quiet.verbose = false;
    REQUIRE(runTraining(c, quiet).finished);
    const SafetensorsFile model(out.path() / "model.safetensors");
    for (const auto& name : model.names()) CHECK(name.rfind("glyph_head", 0) == std::string::npos);
    const SafetensorsFile ckpt(out.path() / "checkpoint" / "model.safetensors");
    CHECK(ckpt.contains("glyph_head.weight"));
    std::ifstream metrics(out.path() / "metrics.jsonl");
    bool logged = false;
    for (std::string line; std::getline(metrics, line);) logged |= nlohmann::json::parse(line).contains("glyph_loss");
    CHECK(logged);
}
