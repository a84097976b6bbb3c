// safetensors reading and writing: round trips, the golden tiny model, and
// every malformed header the reader must refuse with an InputError.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/safetensors.h"
#include "test_paths.h"
#include "util/errors.h"

using leopard::InputError;
using leopard::SafetensorsFile;
using leopard::test::TempDir;
namespace fs = std::filesystem;

namespace {

// A raw safetensors file from a header text and a data section.
void writeRaw(const fs::path& p, const std::string& header, const std::string& data, int64_t lenOverride = -1) {
    std::ofstream out(p, std::ios::binary);
    const uint64_t n = lenOverride >= 0 ? static_cast<uint64_t>(lenOverride) : header.size();
    for (int i = 0; i < 8; ++i) out.put(static_cast<char>((n >> (8 * i)) & 0xff));
    out << header << data;
}

std::string messageOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "<no InputError>";
}

leopard::NamedTensors sampleTensors() {
    torch::manual_seed(7);
    return {
        {"a.f32", torch::randn({3, 5})},
        {"b.f16", torch::randn({4}).to(torch::kHalf)},
        {"c.bf16", torch::randn({2, 3, 2}).to(torch::kBFloat16)},
        {"d.i64", torch::arange(7, torch::kLong)},
        {"e.scalar", torch::tensor(2.5)},
        {"f.empty", torch::zeros({0, 3})},
    };
}

}  // namespace

TEST_CASE("safetensors round trip keeps names, dtypes, shapes, values and metadata", "[safetensors]") {
    TempDir dir;
    const auto path = dir / "t.safetensors";
    const auto tensors = sampleTensors();
    leopard::writeSafetensors(path, tensors, {{"format", "pt"}});

    // Header padded to a multiple of 8 as the Hugging Face writer does.
    std::ifstream in(path, std::ios::binary);
    uint64_t n = 0;
    in.read(reinterpret_cast<char*>(&n), 8);
    CHECK(n % 8 == 0);

    SafetensorsFile f(path);
    CHECK(f.metadata().at("format") == "pt");
    REQUIRE(f.names().size() == tensors.size());
    for (const auto& [name, t] : tensors) {
        INFO(name);
        const auto info = f.info(name);
        CHECK(info.dtype == t.scalar_type());
        CHECK(info.shape == t.sizes().vec());
        const auto back = f.tensor(name);
        CHECK(back.scalar_type() == t.scalar_type());
        CHECK(torch::equal(back, t));
    }
}

TEST_CASE("safetensors views are zero-copy and outlive the file object", "[safetensors]") {
    TempDir dir;
    const auto path = dir / "t.safetensors";
    leopard::writeSafetensors(path, {{"x", torch::arange(1000, torch::kFloat)}});
    torch::Tensor view;
    {
        SafetensorsFile f(path);
        view = f.tensor("x");
        CHECK(view.data_ptr() == f.tensor("x").data_ptr());  // same mapped bytes
        f.release("x");
    }
    CHECK(view[999].item<float>() == 999.0f);  // mapping kept alive, pages re-read after release
}

TEST_CASE("safetensors copies misaligned data instead of viewing it", "[safetensors]") {
    TempDir dir;
    const auto path = dir / "t.safetensors";
    // One padding byte first puts the f32 tensor at an odd address.
    const std::string header = R"({"pad":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                               R"("x":{"dtype":"F32","shape":[2],"data_offsets":[1,9]}})";
    float vals[2] = {1.5f, -2.0f};
    std::string data(1, '\0');
    data.append(reinterpret_cast<const char*>(vals), 8);
    writeRaw(path, header + std::string((8 - header.size() % 8) % 8, ' '), data);
    SafetensorsFile f(path);
    const auto x = f.tensor("x");
    CHECK(reinterpret_cast<uintptr_t>(x.data_ptr()) % 4 == 0);
    CHECK(x[0].item<float>() == 1.5f);
    CHECK(x[1].item<float>() == -2.0f);
}

TEST_CASE("the golden tiny-leopard model lists the released names its config implies", "[safetensors]") {
    const auto folder = leopard::test::goldenDir() / "tiny-leopard";
    std::ifstream cfgIn(folder / "config.json");
    const auto cfg = nlohmann::json::parse(cfgIn);
    SafetensorsFile f(folder / "model.safetensors");

    const int visionLayers = cfg["vision_config"]["num_hidden_layers"];
    const int textLayers = cfg["text_config"]["num_hidden_layers"];
    const int64_t hidden = cfg["text_config"]["hidden_size"];
    const int64_t vocab = cfg["text_config"]["vocab_size"];
    for (int i = 0; i < visionLayers; ++i)
        CHECK(f.contains("vision_tower.vision_model.encoder.layers." + std::to_string(i) + ".self_attn.q_proj.weight"));
    CHECK_FALSE(f.contains("vision_tower.vision_model.encoder.layers." + std::to_string(visionLayers) + ".mlp.fc1.weight"));
    for (int i = 0; i < textLayers; ++i)
        CHECK(f.contains("language_model.model.layers." + std::to_string(i) + ".mlp.gate_proj.weight"));
    CHECK((f.info("language_model.model.embed_tokens.weight").shape == std::vector<int64_t>{vocab, hidden}));
    CHECK((f.info("multi_modal_projector.linear_2.weight").shape == std::vector<int64_t>{hidden, hidden}));
    CHECK(f.contains("vision_tower.vision_model.post_layernorm.weight"));
    CHECK(f.tensor("language_model.model.norm.weight").scalar_type() == torch::kFloat);
}

TEST_CASE("malformed safetensors files are refused with the file and the reason", "[safetensors][bad-input]") {
    TempDir dir;
    const auto path = dir / "bad.safetensors";
    const std::string file = path.string();
    const std::string data(16, '\0');
    auto check = [&](const std::string& reason) {
        const auto msg = messageOf([&] { SafetensorsFile f(path); });
        INFO(msg);
        CHECK(msg.find(file) != std::string::npos);
        CHECK(msg.find(reason) != std::string::npos);
    };

    SECTION("missing") { check("cannot open"); }
    SECTION("empty / truncated before the length") {
        std::ofstream(path) << "abc";
        check("truncated");
    }
    SECTION("header length beyond the file") {
        writeRaw(path, "{}", "", 4096);
        check("exceeds the file size");
    }
    SECTION("header length absurd") {
        writeRaw(path, "{}", "", int64_t(1) << 40);
        check("absurd");
    }
    SECTION("header not JSON") {
        writeRaw(path, "{not json", data);
        check("not valid JSON");
    }
    SECTION("header not an object") {
        writeRaw(path, "[1,2]", data);
        check("not a JSON object");
    }
    SECTION("unknown dtype") {
        writeRaw(path, R"({"x":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}})", data);
        check("unknown dtype F8_E4M3");
    }
    SECTION("shape does not match the byte range") {
        writeRaw(path, R"({"x":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}})", data);
        check("need 12 bytes but data_offsets span 16");
    }
    SECTION("offsets outside the data section") {
        writeRaw(path, R"({"x":{"dtype":"F32","shape":[8],"data_offsets":[0,32]}})", data);
        check("outside the data section");
    }
    SECTION("offsets reversed") {
        writeRaw(path, R"({"x":{"dtype":"U8","shape":[0],"data_offsets":[8,4]}})", data);
        check("begin <= end");
    }
    SECTION("overlapping tensors") {
        writeRaw(path,
                 R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                 R"("y":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                 data);
        check("overlapping");
    }
    SECTION("negative shape") {
        writeRaw(path, R"({"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", data);
        check("non-negative");
    }
    SECTION("shape overflowing 64 bits") {
        writeRaw(path, R"({"x":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}})", data);
        check("too large");
    }
    SECTION("metadata not strings") {
        writeRaw(path, R"({"__metadata__":{"format":1}})", data);
        check("not a string");
    }
}

TEST_CASE("asking for an absent tensor names the file and the tensor", "[safetensors][bad-input]") {
    TempDir dir;
    const auto path = dir / "t.safetensors";
    leopard::writeSafetensors(path, {{"x", torch::ones({2})}});
    SafetensorsFile f(path);
    const auto msg = messageOf([&] { f.tensor("y"); });
    CHECK(msg.find(path.string()) != std::string::npos);
    CHECK(msg.find("'y'") != std::string::npos);
}
