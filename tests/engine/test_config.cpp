#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/config.h"
#include "engine/decoder.h"
#include "test_paths.h"
#include "util/errors.h"

using nlohmann::json;

namespace {

json tinyJson() {
    std::ifstream in(leopard::test::goldenDir() / "tiny-leopard" / "config.json");
    return json::parse(in);
}

std::string parseError(const json& j) {
    try {
        leopard::parseModelConfig(j, "cfg/config.json");
    } catch (const leopard::InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("the tiny golden config parses into typed fields", "[config]") {
    const json j = tinyJson();
    const auto c = leopard::loadModelConfig(leopard::test::goldenDir() / "tiny-leopard");
    CHECK(c.vision.hidden_size == j["vision_config"]["hidden_size"].get<int64_t>());
    CHECK(c.vision.numPatches() == (c.vision.image_size / c.vision.patch_size) * (c.vision.image_size / c.vision.patch_size));
    CHECK(c.text.num_key_value_heads == j["text_config"]["num_key_value_heads"].get<int64_t>());
    CHECK(c.text.head_dim == c.text.hidden_size / c.text.num_attention_heads);
    CHECK(c.text.eos_token_ids == j["text_config"]["eos_token_id"].get<std::vector<int64_t>>());
    CHECK(c.image_token_index == j["image_token_index"].get<int64_t>());
    CHECK(c.pixel_shuffle_factor == 2);
    CHECK_FALSE(c.text.rope_scaling.has_value());
    CHECK_FALSE(c.generation.has_value());
    CHECK(c.tokensPerTile() == c.vision.numPatches() / 4);
}

TEST_CASE("toJson round-trips through the parser", "[config]") {
    json j = tinyJson();
    j["text_config"]["rope_scaling"] = {{"rope_type", "llama3"}, {"factor", 8.0}, {"low_freq_factor", 1.0},
                                        {"high_freq_factor", 4.0}, {"original_max_position_embeddings", 8192}};
    const auto c = leopard::parseModelConfig(j, "x");
    const auto back = leopard::parseModelConfig(leopard::toJson(c), "y");
    CHECK(leopard::toJson(back) == leopard::toJson(c));
    REQUIRE(back.text.rope_scaling.has_value());
    CHECK(back.text.rope_scaling->factor == 8.0);
    CHECK(back.text.eos_token_ids == c.text.eos_token_ids);
}

TEST_CASE("bad configs are input errors naming the file and the field", "[config]") {
    json j = tinyJson();
    j["text_config"].erase("hidden_size");
    CHECK(parseError(j) == "cfg/config.json: missing field text_config.hidden_size");

    j = tinyJson();
    j["architectures"] = {"MistralForCausalLM"};
    CHECK(parseError(j).find("unknown architecture") != std::string::npos);

    j = tinyJson();
    j["image_token_index"] = j["text_config"]["vocab_size"];
    CHECK(parseError(j).find("image_token_index") != std::string::npos);

    j = tinyJson();
    j["text_config"]["num_key_value_heads"] = 3;
    CHECK(parseError(j).find("num_key_value_heads") != std::string::npos);

    j = tinyJson();
    j["leopard_pixel_shuffle_factor"] = 3;   // a 4×4 patch grid does not divide by 3
    CHECK(parseError(j).find("pixel shuffle") != std::string::npos);

    j = tinyJson();
    j["vision_config"]["hidden_size"] = "wide";
    CHECK(parseError(j).find("vision_config.hidden_size") != std::string::npos);

    CHECK_THROWS_AS(leopard::loadModelConfig("/nonexistent/model"), leopard::InputError);
}

TEST_CASE("generation_config.json adds stop ids", "[config]") {
    leopard::test::TempDir dir;
    std::ofstream(dir / "config.json") << tinyJson().dump();
    std::ofstream(dir / "generation_config.json") << R"({"eos_token_id": [2, 7], "max_new_tokens": 5})";
    const auto c = leopard::loadModelConfig(dir.path());
    REQUIRE(c.generation.has_value());
    CHECK(c.generation->max_new_tokens == 5);
    CHECK(c.stopTokenIds() == std::vector<int64_t>({1, 2, 7}));
}

TEST_CASE("llama3 rope scaling follows the three wavelength bands", "[config][rope]") {
    leopard::TextConfig t;
    t.head_dim = 128;
    t.rope_theta = 500000.0;
    const auto plain = leopard::ropeInverseFrequencies(t);
    t.rope_scaling = leopard::RopeScaling{"llama3", 8.0, 1.0, 4.0, 8192};
    const auto scaled = leopard::ropeInverseFrequencies(t);
    REQUIRE(plain.size(0) == 64);
    int kept = 0, divided = 0, blended = 0;
    for (int64_t i = 0; i < 64; ++i) {
        const double inv = plain[i].item<double>(), s = scaled[i].item<double>();
        const double wavelen = 2 * M_PI / inv;
        if (wavelen < 8192.0 / 4) {
            CHECK(s == Approx(inv).epsilon(1e-6));
            ++kept;
        } else if (wavelen > 8192.0) {
            CHECK(s == Approx(inv / 8).epsilon(1e-6));
            ++divided;
        } else {
            CHECK(s < inv);
            CHECK(s > inv / 8);
            ++blended;
        }
    }
    CHECK(kept > 0);
    CHECK(divided > 0);
    CHECK(blended > 0);
}
