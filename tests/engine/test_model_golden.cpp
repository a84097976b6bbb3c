// Parity with the reference (tests/data/golden/tiny-leopard): vision output,
// projected features and logits within 1e-4 in f32, greedy tokens identical,
// KV-cached decoding identical to full recomputation; bf16/f16 close to f32.
// Each comparison prints its max abs difference (llm.c test_gpt2 style).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/kv_cache.h"
#include "engine/model.h"
#include "engine/runtime.h"
#include "engine/safetensors.h"
#include "test_paths.h"

namespace {

std::filesystem::path tinyDir() { return leopard::test::goldenDir() / "tiny-leopard"; }

struct Golden {
    torch::Tensor pixels, vision, features, logits;
    std::vector<int64_t> ids, greedy, eos;
    double minMargin = 0;
    int64_t expandedLength = 0;
};

const Golden& golden() {
    static const Golden g = [] {
        Golden r;
        leopard::SafetensorsFile f(tinyDir() / "golden.safetensors");
        r.pixels = f.tensor("pixel_values").clone();
        r.vision = f.tensor("vision_last_hidden_state").clone();
        r.features = f.tensor("image_features").clone();
        r.logits = f.tensor("logits").clone();
        std::ifstream in(tinyDir() / "golden.json");
        const auto j = nlohmann::json::parse(in);
        r.ids = j.at("input_ids").get<std::vector<int64_t>>();
        r.greedy = j.at("greedy_tokens").get<std::vector<int64_t>>();
        r.eos = j.at("eos_token_ids").get<std::vector<int64_t>>();
        r.minMargin = j.at("min_greedy_margin").get<double>();
        r.expandedLength = j.at("expanded_length").get<int64_t>();
        return r;
    }();
    return g;
}

double maxAbsDiff(const char* what, const torch::Tensor& got, const torch::Tensor& want) {
    REQUIRE(got.sizes() == want.sizes());
    const double d = (got.to(torch::kFloat).cpu() - want).abs().max().item<double>();
    std::printf("%-26s max abs diff %.3g\n", what, d);
    return d;
}

std::shared_ptr<leopard::LeopardModel> loadTiny(c10::ScalarType dtype) {
    return leopard::LeopardModel::load(tinyDir(), {c10::Device(c10::kCPU), dtype, {}});
}

// Greedy decoding by full recomputation of the whole sequence each step
// (no cache): the slow, obviously-right reference for the cached path.
std::vector<int64_t> greedyFull(const leopard::LeopardModel& m, const torch::Tensor& feats, std::vector<int64_t> ids,
                                int64_t maxNew, const std::vector<int64_t>& eos) {
    std::vector<int64_t> out;
    for (int64_t step = 0; step < maxNew; ++step) {
        const auto logits = m.logits(m.decode(m.embedWithImages(ids, feats), 0, nullptr));
        const int64_t next = logits[-1].argmax().item<int64_t>();
        out.push_back(next);
        ids.push_back(next);
        if (std::find(eos.begin(), eos.end(), next) != eos.end()) break;
    }
    return out;
}

// The same with the KV cache: prefill once, then one token per step.
std::vector<int64_t> greedyCached(const leopard::LeopardModel& m, const torch::Tensor& feats,
                                  const std::vector<int64_t>& ids, int64_t maxNew, const std::vector<int64_t>& eos,
                                  std::vector<torch::Tensor>* stepLogits = nullptr) {
    leopard::KVCache cache(m.config().text.num_hidden_layers);
    auto logits = m.logits(m.decode(m.embedWithImages(ids, feats), 0, &cache))[-1];
    std::vector<int64_t> out;
    for (int64_t step = 0; step < maxNew; ++step) {
        if (stepLogits) stepLogits->push_back(logits.to(torch::kFloat));
        const int64_t next = logits.argmax().item<int64_t>();
        out.push_back(next);
        if (std::find(eos.begin(), eos.end(), next) != eos.end()) break;
        const auto emb = m.embedWithImages({next}, torch::Tensor());
        logits = m.logits(m.decode(emb, cache.length(), &cache))[-1];
    }
    return out;
}

}  // namespace

TEST_CASE("named_parameters are the released checkpoint names", "[model][golden]") {
    auto m = loadTiny(c10::kFloat);
    const auto params = m->net()->named_parameters();
    leopard::SafetensorsFile f(tinyDir() / "model.safetensors");
    std::set<std::string> names;
    for (const auto& p : params) {
        names.insert(p.key());
        INFO(p.key());
        CHECK(f.contains(p.key()));
    }
    CHECK(names.count("vision_tower.vision_model.embeddings.patch_embedding.weight") == 1);
    CHECK(names.count("vision_tower.vision_model.encoder.layers.1.self_attn.q_proj.bias") == 1);
    CHECK(names.count("multi_modal_projector.linear_1.weight") == 1);
    CHECK(names.count("language_model.model.layers.0.mlp.gate_proj.weight") == 1);
    CHECK(names.count("language_model.lm_head.weight") == 1);
    for (const auto& n : f.names())
        if (n.find(".head.") == std::string::npos) CHECK(names.count(n) == 1);
}

TEST_CASE("f32 forward matches the reference within 1e-4", "[model][golden]") {
    const Golden& g = golden();
    auto m = loadTiny(c10::kFloat);
    torch::NoGradGuard noGrad;
    const auto vision = m->encodeVision(g.pixels);
    CHECK(maxAbsDiff("vision_last_hidden_state", vision, g.vision) <= 1e-4);
    const auto feats = m->project(vision);
    CHECK(maxAbsDiff("image_features", feats, g.features) <= 1e-4);
    CHECK(m->expandedLength(g.ids) == g.expandedLength);
    const auto logits = m->logits(m->decode(m->embedWithImages(g.ids, feats), 0, nullptr));
    CHECK(maxAbsDiff("logits", logits, g.logits) <= 1e-4);

    SECTION("batched vision encoding gives the same features") {
        const auto batched = m->encodeImages(g.pixels, {/*maxBatch=*/2, {}, nullptr});
        CHECK(maxAbsDiff("image_features (batch 2)", batched, g.features) <= 1e-4);
    }
}

TEST_CASE("greedy decoding reproduces the reference tokens, cached and uncached", "[model][golden]") {
    const Golden& g = golden();
    auto m = loadTiny(c10::kFloat);
    torch::NoGradGuard noGrad;
    const auto feats = m->encodeImages(g.pixels, {});
    const auto maxNew = static_cast<int64_t>(g.greedy.size());
    const auto full = greedyFull(*m, feats, g.ids, maxNew, g.eos);
    const auto cached = greedyCached(*m, feats, g.ids, maxNew, g.eos);
    CHECK(full == g.greedy);
    CHECK(cached == g.greedy);

    // The cached logits equal a full recomputation at every step.
    std::vector<torch::Tensor> stepLogits;
    greedyCached(*m, feats, g.ids, maxNew, g.eos, &stepLogits);
    auto ids = g.ids;
    double worst = 0;
    for (size_t i = 0; i < stepLogits.size(); ++i) {
        const auto ref = m->logits(m->decode(m->embedWithImages(ids, feats), 0, nullptr))[-1];
        worst = std::max(worst, (ref - stepLogits[i]).abs().max().item<double>());
        ids.push_back(g.greedy[i]);
    }
    std::printf("%-26s max abs diff %.3g\n", "cached vs full logits", worst);
    CHECK(worst <= 1e-5);
}

TEST_CASE("bf16 and f16 on the CPU agree with f32", "[model][golden]") {
    const Golden& g = golden();
    torch::NoGradGuard noGrad;
    // Half-precision rounding (8 and 11 mantissa bits) through every layer,
    // as a fraction of the largest reference logit.
    const double scale = g.logits.abs().max().item<double>();
    for (auto [dtype, fraction] : {std::pair{c10::kBFloat16, 0.05}, std::pair{c10::kHalf, 0.01}}) {
        const double tol = fraction * scale;
        auto m = loadTiny(dtype);
        for (const auto& p : m->net()->parameters()) CHECK(p.scalar_type() == dtype);
        const auto feats = m->encodeImages(g.pixels, {});
        const auto logits = m->logits(m->decode(m->embedWithImages(g.ids, feats), 0, nullptr));
        const std::string name = "logits " + leopard::dtypeName(dtype);
        CHECK(logits.scalar_type() == m->placement().computeDtype());   // f16 on the CPU computes in f32
        CHECK(maxAbsDiff(name.c_str(), logits, g.logits) <= tol);
        // Greedy tokens must agree when the reference's top-1/top-2 gap is
        // wider than this precision's error on the logits.
        const double err = (logits.to(torch::kFloat) - g.logits).abs().max().item<double>();
        if (2 * err < g.minMargin) {
            const auto tokens = greedyCached(*m, feats, g.ids, static_cast<int64_t>(g.greedy.size()), g.eos);
            CHECK(tokens == g.greedy);
        } else {
            std::printf("%s: logit error %.3g exceeds half the greedy margin %.3g; tokens not compared\n",
                        name.c_str(), err, g.minMargin);
        }
    }
}
