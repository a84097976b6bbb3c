// The memory estimate the desktop app shows before loading and asking
// (engine/memory_estimate.h): its parameter count is checked against the
// parameters LeopardModel::create actually allocates, part by part and in
// bytes, for configs that exercise every dimension (grouped-query attention,
// a head_dim apart from hidden/heads, tied embeddings, another shuffle
// factor); its KV cache figure against a real KVCache.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/config.h"
#include "engine/kv_cache.h"
#include "engine/memory_estimate.h"
#include "engine/model.h"
#include "test_paths.h"

namespace {

nlohmann::json tinyJson() {
    std::ifstream in(leopard::test::goldenDir() / "tiny-leopard" / "config.json");
    return nlohmann::json::parse(in);
}

// Variants of the tiny config, each changing dimensions the count depends on.
std::map<std::string, leopard::ModelConfig> configs() {
    std::map<std::string, leopard::ModelConfig> out;
    out["golden tiny"] = leopard::parseModelConfig(tinyJson(), "tiny");

    nlohmann::json j = tinyJson();
    j["text_config"]["tie_word_embeddings"] = true;
    out["tied embeddings"] = leopard::parseModelConfig(j, "tied");

    j = tinyJson();
    j["text_config"]["num_attention_heads"] = 6;
    j["text_config"]["num_key_value_heads"] = 2;
    j["text_config"]["head_dim"] = 10;   // not hidden_size / heads (8)
    j["text_config"]["intermediate_size"] = 70;
    j["text_config"]["num_hidden_layers"] = 3;
    j["text_config"]["vocab_size"] = 333;
    out["grouped heads, own head_dim"] = leopard::parseModelConfig(j, "gqa");

    j = tinyJson();
    j["vision_config"]["image_size"] = 84;   // 6×6 patches
    j["vision_config"]["num_channels"] = 1;
    j["vision_config"]["num_hidden_layers"] = 3;
    j["vision_config"]["intermediate_size"] = 40;
    j["leopard_pixel_shuffle_factor"] = 3;
    out["shuffle factor 3, one channel"] = leopard::parseModelConfig(j, "vision");
    return out;
}

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

namespace {

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// `leopard-cli ARGS > OUT`; the exit status.
int runCli(const std::string& args, const std::filesystem::path& out = "/dev/null") {
    const std::string cmd = quoted(leopard::test::binDir() / "leopard-cli") + " " + args + " > " + quoted(out);
    return std::system(cmd.c_str());
}

std::filesystem::path tinyConfig() { return leopard::test::goldenDir() / "tiny-leopard" / "config.json"; }

}  // namespace

TEST_CASE("the parameter count equals what LeopardModel::create allocates", "[memory]") {
    for (const auto& [name, config] : configs()) {
        for (const auto dtype : {c10::kFloat, c10::kBFloat16}) {
            DYNAMIC_SECTION(name << ", " << c10::toString(dtype)) {
                const auto model = leopard::LeopardModel::create(config, {c10::Device(c10::kCPU), dtype});
                int64_t bytes = 0;
                leopard::ParameterCount actual;
                for (const auto& p : model->net()->named_parameters()) {
                    const int64_t n = p.value().numel();
                    bytes += n * static_cast<int64_t>(p.value().element_size());
                    const std::string& key = p.key();
                    if (startsWith(key, "vision_tower.")) actual.vision += n;
                    else if (startsWith(key, "multi_modal_projector.")) actual.projector += n;
                    else if (key == "language_model.model.embed_tokens.weight") actual.embedding += n;
                    else if (startsWith(key, "language_model.lm_head.")) actual.lmHead += n;
                    else if (startsWith(key, "language_model.model.")) actual.decoder += n;
                    else FAIL("unexpected parameter " << key);
                }
                const leopard::ParameterCount counted = leopard::countParameters(config);
                CHECK(counted.vision == actual.vision);
                CHECK(counted.projector == actual.projector);
                CHECK(counted.decoder == actual.decoder);
                CHECK(counted.embedding == actual.embedding);
                CHECK(counted.lmHead == actual.lmHead);

                leopard::InferenceShape shape;
                shape.weightElementSize = static_cast<int64_t>(c10::elementSize(dtype));
                shape.computeElementSize = shape.weightElementSize;
                const leopard::InferenceMemory m = leopard::estimateInferenceMemory(config, shape);
                CHECK(m.weightBytes == bytes);
                CHECK(m.weightBytes == model->parameterBytes());
            }
        }
    }
}

TEST_CASE("tied embeddings have no lm_head in the count", "[memory]") {
    const auto all = configs();
    const auto& untied = all.at("golden tiny");
    const auto& tied = all.at("tied embeddings");
    CHECK(leopard::countParameters(tied).lmHead == 0);
    CHECK(leopard::countParameters(untied).total() - leopard::countParameters(tied).total() ==
          untied.text.vocab_size * untied.text.hidden_size);
}

TEST_CASE("the KV cache estimate is what a KVCache holds and grows linearly with tokens", "[memory]") {
    for (const auto& [name, config] : configs()) {
        DYNAMIC_SECTION(name) {
            const leopard::TextConfig& t = config.text;
            // 256 tokens fill KVCache's first buffer exactly (it allocates at
            // least 256 positions, then doubles): capacity equals content.
            const int64_t tokens = 256;
            leopard::KVCache cache(t.num_hidden_layers);
            const auto kv = torch::zeros({t.num_key_value_heads, tokens, t.head_dim}, torch::kBFloat16);
            for (int64_t layer = 0; layer < t.num_hidden_layers; ++layer) cache.append(layer, kv, kv);
            cache.advance(tokens);
            CHECK(leopard::kvCacheBytes(t, tokens, 2) == cache.bytes());

            const int64_t one = leopard::kvCacheBytes(t, 1, 4);
            CHECK(one == t.num_hidden_layers * 2 * t.num_key_value_heads * t.head_dim * 4);
            for (const int64_t n : {0, 1, 7, 169, 1000, 8192}) CHECK(leopard::kvCacheBytes(t, n, 4) == n * one);

            leopard::InferenceShape shape;
            shape.tiles = 3;
            shape.contextTokens = 500;
            const auto a = leopard::estimateInferenceMemory(config, shape);
            shape.contextTokens = 1500;
            const auto b = leopard::estimateInferenceMemory(config, shape);
            CHECK(b.kvCacheBytes == 3 * a.kvCacheBytes);
            CHECK(b.weightBytes == a.weightBytes);
        }
    }
}

TEST_CASE("activations come from the selection: none without tiles or context, more with more", "[memory]") {
    const auto config = configs().at("golden tiny");
    leopard::InferenceShape shape;
    const auto empty = leopard::estimateInferenceMemory(config, shape);
    CHECK(empty.kvCacheBytes == 0);
    CHECK(empty.activationBytes == 0);
    CHECK(empty.total() == empty.weightBytes);

    shape.tiles = 1;
    shape.contextTokens = config.tokensPerTile() + 20;
    const auto one = leopard::estimateInferenceMemory(config, shape);
    // At least the tile's pixels (f32) and its projected features are kept.
    const int64_t pixels = config.vision.num_channels * config.vision.image_size * config.vision.image_size * 4;
    const int64_t features = config.tokensPerTile() * config.text.hidden_size * 4;
    CHECK(one.activationBytes >= pixels + features + leopard::visionTileActivationBytes(config.vision, 4));
    CHECK(one.activationBytes >=
          pixels + features + leopard::prefillActivationBytes(config.text, shape.contextTokens, 4));

    shape.tiles = 10;
    shape.contextTokens = 10 * config.tokensPerTile() + 20;
    const auto ten = leopard::estimateInferenceMemory(config, shape);
    CHECK(ten.activationBytes > one.activationBytes);
    // The prefill's attention grows with the square of the context.
    CHECK(leopard::prefillActivationBytes(config.text, 2000, 4) >
          2 * leopard::prefillActivationBytes(config.text, 1000, 4));
}

TEST_CASE("leopard-cli bench --estimate reports the config's estimate without reading weights", "[memory][cli]") {
    // A folder with only config.json: nothing may be loaded.
    leopard::test::TempDir dir;
    std::filesystem::copy_file(tinyConfig(), dir / "config.json");
    REQUIRE(std::filesystem::exists(leopard::test::binDir() / "leopard-cli"));
    const auto run = [&](const std::string& dtype) {
        const auto out = dir / ("estimate-" + dtype + ".json");
        REQUIRE(runCli("bench --model " + quoted(dir.path()) + " --device cpu --dtype " + dtype +
                           " --tiles 3 --prompt-tokens 10 --new-tokens 5 --estimate --json",
                       out) == 0);
        std::ifstream in(out);
        return nlohmann::json::parse(in);
    };
    const auto config = leopard::loadModelConfig(dir.path());
    const int64_t params = leopard::countParameters(config).total();
    const auto f32 = run("f32");
    CHECK(f32.at("parameters") == params);
    CHECK(f32.at("weight_bytes") == 4 * params);
    CHECK(f32.at("context_tokens") == 3 * config.tokensPerTile() + 15);
    leopard::InferenceShape shape;
    shape.tiles = 3;
    shape.contextTokens = 3 * config.tokensPerTile() + 15;
    const auto expected = leopard::estimateInferenceMemory(config, shape);
    CHECK(f32.at("kv_cache_bytes") == expected.kvCacheBytes);
    CHECK(f32.at("activation_bytes") == expected.activationBytes);
    CHECK(f32.at("total_bytes") == expected.total());
    const auto bf16 = run("bf16");
    CHECK(bf16.at("dtype") == "bfloat16");
    CHECK(bf16.at("weight_bytes") == 2 * params);
}

TEST_CASE("leopard-cli bench --save-random writes a loadable bf16 folder; bench --model reports load memory against it",
          "[memory][cli]") {
    leopard::test::TempDir dir;
    const auto saved = dir / "random-bf16";
    REQUIRE(runCli("bench --random " + quoted(tinyConfig()) + " --device cpu --dtype bf16 --save-random " +
                   quoted(saved)) == 0);
    // The folder holds the shape's parameters in bf16 and loads as bf16.
    const auto cfg = leopard::loadModelConfig(saved);
    CHECK(cfg.torch_dtype == "bfloat16");
    const int64_t params = leopard::countParameters(cfg).total();
    const auto fileBytes = static_cast<int64_t>(std::filesystem::file_size(saved / "model.safetensors"));
    CHECK(fileBytes >= 2 * params);
    CHECK(fileBytes < 2 * params + (int64_t{1} << 20));   // + the JSON header

    const auto out = dir / "bench.json";
    REQUIRE(runCli("bench --model " + quoted(saved) + " --device cpu --dtype auto --tiles 1 --prompt-tokens 4 " +
                       "--new-tokens 2 --json",
                   out) == 0);
    std::ifstream in(out);
    const auto j = nlohmann::json::parse(in);
    CHECK(j.at("weight_file_bytes") == fileBytes);
    CHECK(j.at("load_peak_rss_bytes").get<int64_t>() > fileBytes);   // the process itself is larger than the weights
    CHECK(j.at("load_peak_rss_vs_files").get<double>() ==
          Approx(double(j.at("load_peak_rss_bytes").get<int64_t>()) / double(fileBytes)));
    CHECK(j.at("decode_tokens") == 1);
}

TEST_CASE("leopard-cli bench --profile writes a chrome trace of the run's LibTorch operators", "[cli]") {
    leopard::test::TempDir dir;
    const auto trace = dir / "trace.json";
    REQUIRE(runCli("bench --random " + quoted(tinyConfig()) +
                   " --device cpu --dtype f32 --tiles 1 --prompt-tokens 4 --new-tokens 3 --profile " +
                   quoted(trace)) == 0);
    std::ifstream in(trace);
    const auto events = nlohmann::json::parse(in);
    REQUIRE(events.is_array());
    bool sawMatrixProduct = false;
    for (const auto& e : events) {
        if (e.value("ph", "") != "X") continue;
        CHECK(e.at("dur").get<double>() >= 0);
        const auto name = e.at("name").get<std::string>();
        sawMatrixProduct = sawMatrixProduct || name == "aten::mm" || name == "aten::mv" || name == "aten::addmm";
    }
    CHECK(sawMatrixProduct);   // the decoder's linear layers ran inside the trace
}
