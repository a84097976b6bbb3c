// Checkpoint: every on-disk layout (single / sharded safetensors, .bin
// shards, current transformers naming) reads back the same tensors under the
// released names; strict loading; progress and cancellation; bad folders.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/checkpoint.h"
#include "engine/torch_pickle.h"
#include "test_paths.h"
#include "util/errors.h"

using leopard::Checkpoint;
using leopard::InputError;
using leopard::NamedTensors;
using leopard::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string messageOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "<no InputError>";
}

// A tiny checkpoint under released names: fp16 with one bf16 tensor (as
// released), an i64 and an f32 tensor, and the unused SigLIP head.
NamedTensors releasedSet() {
    torch::manual_seed(11);
    return {
        {"vision_tower.vision_model.embeddings.patch_embedding.weight", torch::randn({4, 3, 2, 2}).to(torch::kHalf)},
        {"vision_tower.vision_model.head.probe", torch::randn({1, 1, 4}).to(torch::kHalf)},
        {"multi_modal_projector.linear_1.weight", torch::randn({6, 16}).to(torch::kBFloat16)},
        {"multi_modal_projector.linear_1.bias", torch::randn({6})},
        {"language_model.model.embed_tokens.weight", torch::randn({10, 6}).to(torch::kHalf)},
        {"language_model.model.layers.0.self_attn.q_proj.weight", torch::randn({6, 6}).to(torch::kHalf)},
        {"language_model.lm_head.weight", torch::randn({10, 6}).to(torch::kHalf)},
        {"language_model.model.position_ids", torch::arange(8, torch::kLong)},
    };
}

// The same tensors as current transformers name them.
std::string currentName(const std::string& released) {
    if (released.rfind("language_model.model.", 0) == 0) return "model.language_model." + released.substr(21);
    if (released == "language_model.lm_head.weight") return "lm_head.weight";
    return "model." + released;
}

void writeIndex(const fs::path& path, const std::map<std::string, std::string>& weightMap) {
    const nlohmann::json j = {{"metadata", {{"total_size", 0}}}, {"weight_map", weightMap}};
    std::ofstream(path) << j.dump(2);
}

enum class Layout { Single, ShardedSafetensors, BinShards, SingleBin, CurrentNaming };

// Writes `tensors` into `dir` in the given layout (two shards where sharded).
void writeLayout(const fs::path& dir, Layout layout, const NamedTensors& tensors) {
    const NamedTensors first(tensors.begin(), tensors.begin() + 3), second(tensors.begin() + 3, tensors.end());
    auto indexed = [&](const std::string& pattern, const std::string& indexName, auto write) {
        std::map<std::string, std::string> map;
        int k = 1;
        for (const auto* part : {&first, &second}) {
            char file[64];
            std::snprintf(file, sizeof file, pattern.c_str(), k++);
            write(dir / file, *part);
            for (const auto& [n, t] : *part) map[n] = file;
        }
        writeIndex(dir / indexName, map);
    };
    switch (layout) {
    case Layout::Single: leopard::writeSafetensors(dir / "model.safetensors", tensors, {{"format", "pt"}}); break;
    case Layout::ShardedSafetensors:
        indexed("model-%05d-of-00002.safetensors", "model.safetensors.index.json",
                [](const fs::path& p, const NamedTensors& t) { leopard::writeSafetensors(p, t); });
        break;
    case Layout::BinShards:
        indexed("pytorch_model-%05d-of-00002.bin", "pytorch_model.bin.index.json",
                [](const fs::path& p, const NamedTensors& t) { leopard::writeTorchCheckpoint(p, t); });
        break;
    case Layout::SingleBin: leopard::writeTorchCheckpoint(dir / "pytorch_model.bin", tensors); break;
    case Layout::CurrentNaming: {
        NamedTensors renamed;
        for (const auto& [n, t] : tensors) renamed.emplace_back(currentName(n), t);
        leopard::writeSafetensors(dir / "model.safetensors", renamed);
        break;
    }
    }
}

// Destinations shaped like the checkpoint, all fp32, except the SigLIP head.
std::vector<std::pair<std::string, torch::Tensor>> destinations(const NamedTensors& tensors) {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& [n, t] : tensors)
        if (n.find(".head.") == std::string::npos) out.emplace_back(n, torch::zeros(t.sizes(), torch::kFloat));
    return out;
}

std::vector<std::pair<std::string, torch::Tensor*>> pointers(std::vector<std::pair<std::string, torch::Tensor>>& d) {
    std::vector<std::pair<std::string, torch::Tensor*>> out;
    for (auto& [n, t] : d) out.emplace_back(n, &t);
    return out;
}

}  // namespace

TEST_CASE("every layout reads back the same tensors under released names", "[checkpoint]") {
    const auto tensors = releasedSet();
    const auto layout = GENERATE(Layout::Single, Layout::ShardedSafetensors, Layout::BinShards, Layout::SingleBin,
                                 Layout::CurrentNaming);
    INFO("layout " << static_cast<int>(layout));
    TempDir dir;
    writeLayout(dir.path(), layout, tensors);
    Checkpoint ckpt(dir.path());
    CHECK(ckpt.format() == (layout == Layout::BinShards || layout == Layout::SingleBin ? "pytorch" : "safetensors"));
    CHECK(ckpt.files().size() == (layout == Layout::ShardedSafetensors || layout == Layout::BinShards ? 2u : 1u));
    REQUIRE(ckpt.names().size() == tensors.size());
    for (const auto& [name, t] : tensors) {
        INFO(name);
        REQUIRE(ckpt.contains(name));
        CHECK(ckpt.info(name).dtype == t.scalar_type());
        CHECK(ckpt.info(name).shape == t.sizes().vec());
        CHECK(torch::equal(ckpt.tensor(name), t));
    }

    // Loading converts each tensor into its destination's dtype.
    auto dst = destinations(tensors);
    ckpt.loadInto(pointers(dst));
    for (size_t i = 0; i < dst.size(); ++i) {
        const auto& [name, d] = dst[i];
        INFO(name);
        CHECK(torch::equal(d, ckpt.tensor(name).to(torch::kFloat)));
    }
}

TEST_CASE("released naming maps both schemes", "[checkpoint]") {
    CHECK(leopard::releasedTensorName("model.vision_tower.vision_model.post_layernorm.weight") ==
          "vision_tower.vision_model.post_layernorm.weight");
    CHECK(leopard::releasedTensorName("model.multi_modal_projector.linear_2.bias") == "multi_modal_projector.linear_2.bias");
    CHECK(leopard::releasedTensorName("model.language_model.layers.3.mlp.up_proj.weight") ==
          "language_model.model.layers.3.mlp.up_proj.weight");
    CHECK(leopard::releasedTensorName("lm_head.weight") == "language_model.lm_head.weight");
    CHECK(leopard::releasedTensorName("language_model.model.norm.weight") == "language_model.model.norm.weight");
}

TEST_CASE("loadInto with a dtype keeps half tensors half and fills a module", "[checkpoint]") {
    const auto tensors = releasedSet();
    TempDir dir;
    writeLayout(dir.path(), Layout::Single, tensors);
    Checkpoint ckpt(dir.path());

    // A module tree registered under released names, built in fp32.
    torch::nn::Module root;
    auto lm = root.register_module("language_model", std::make_shared<torch::nn::Module>());
    auto inner = lm->register_module("model", std::make_shared<torch::nn::Module>());
    auto embed = inner->register_module("embed_tokens", std::make_shared<torch::nn::Module>());
    auto weight = embed->register_parameter("weight", torch::zeros({10, 6}));
    auto projector = root.register_module("multi_modal_projector", std::make_shared<torch::nn::Module>());
    auto linear = projector->register_module("linear_1", std::make_shared<torch::nn::Module>());
    linear->register_parameter("weight", torch::zeros({6, 16}));
    linear->register_parameter("bias", torch::zeros({6}));

    leopard::LoadOptions opt;
    opt.dtype = torch::kBFloat16;
    opt.ignore = [](const std::string& n) {
        return n.rfind("vision_tower.", 0) == 0 || n.find("layers.") != std::string::npos ||
               n == "language_model.lm_head.weight" || n == "language_model.model.position_ids";
    };
    ckpt.loadInto(root, opt);
    const auto params = root.named_parameters();
    CHECK(params["language_model.model.embed_tokens.weight"].scalar_type() == torch::kBFloat16);
    CHECK(weight.scalar_type() == torch::kBFloat16);  // same parameter object, new data
    CHECK(torch::equal(weight, ckpt.tensor("language_model.model.embed_tokens.weight").to(torch::kBFloat16)));
    CHECK(torch::equal(params["multi_modal_projector.linear_1.bias"],
                       ckpt.tensor("multi_modal_projector.linear_1.bias").to(torch::kBFloat16)));
    // The result owns its memory: it does not alias the file mapping.
    CHECK(weight.data_ptr() != ckpt.tensor("language_model.model.embed_tokens.weight").data_ptr());
}

TEST_CASE("loading is strict about names and shapes", "[checkpoint][bad-input]") {
    const auto tensors = releasedSet();
    TempDir dir;
    writeLayout(dir.path(), Layout::ShardedSafetensors, tensors);
    Checkpoint ckpt(dir.path());
    auto dst = destinations(tensors);

    SECTION("the SigLIP pooling head is ignored quietly") { CHECK_NOTHROW(ckpt.loadInto(pointers(dst))); }
    SECTION("a missing tensor is named") {
        dst.emplace_back("language_model.model.norm.weight", torch::zeros({6}));
        const auto msg = messageOf([&] { ckpt.loadInto(pointers(dst)); });
        CHECK(msg.find(dir.path().string()) != std::string::npos);
        CHECK(msg.find("1 tensor(s) the model needs are missing: language_model.model.norm.weight") != std::string::npos);
    }
    SECTION("unexpected tensors are named, unless ignored") {
        dst.erase(dst.begin() + 1, dst.begin() + 3);  // the two projector tensors
        const auto msg = messageOf([&] { ckpt.loadInto(pointers(dst)); });
        CHECK(msg.find("2 unexpected tensor(s): multi_modal_projector.linear_1.bias, "
                       "multi_modal_projector.linear_1.weight") != std::string::npos);
        leopard::LoadOptions opt;
        opt.ignore = [](const std::string& n) { return n.rfind("multi_modal_projector.", 0) == 0; };
        CHECK_NOTHROW(ckpt.loadInto(pointers(dst), opt));
    }
    SECTION("a wrong shape names the file, the tensor and both shapes") {
        dst[1].second = torch::zeros({16, 6});  // multi_modal_projector.linear_1.weight is [6, 16]
        const auto msg = messageOf([&] { ckpt.loadInto(pointers(dst)); });
        CHECK(msg.find(ckpt.fileOf("multi_modal_projector.linear_1.weight").string()) != std::string::npos);
        CHECK(msg.find("has shape [6, 16], the model expects [16, 6]") != std::string::npos);
        CHECK(torch::count_nonzero(dst[0].second).item<int64_t>() == 0);  // nothing copied before the check
    }
}

TEST_CASE("progress is reported per tensor and can cancel", "[checkpoint]") {
    const auto tensors = releasedSet();
    TempDir dir;
    writeLayout(dir.path(), Layout::BinShards, tensors);
    Checkpoint ckpt(dir.path());
    auto dst = destinations(tensors);

    std::vector<std::string> seen;
    leopard::LoadOptions opt;
    opt.progress = [&](const leopard::Progress& p) {
        CHECK(p.stage == "loading");
        CHECK(p.total == static_cast<int64_t>(dst.size()));
        if (!p.detail.empty()) seen.push_back(p.detail);
        return true;
    };
    ckpt.loadInto(pointers(dst), opt);
    CHECK(seen.size() == dst.size());

    int calls = 0;
    opt.progress = [&](const leopard::Progress&) { return ++calls < 3; };
    CHECK_THROWS_AS(ckpt.loadInto(pointers(dst), opt), leopard::CancelledError);
    CHECK(calls == 3);
}

TEST_CASE("bad model folders are refused naming the file and the reason", "[checkpoint][bad-input]") {
    TempDir dir;
    const auto tensors = releasedSet();
    auto refused = [&](const std::string& where, const std::string& reason) {
        const auto msg = messageOf([&] { Checkpoint c(dir.path()); });
        INFO(msg);
        CHECK(msg.find(where) != std::string::npos);
        CHECK(msg.find(reason) != std::string::npos);
    };
    SECTION("missing folder") {
        const auto msg = messageOf([&] { Checkpoint c(dir / "absent"); });
        CHECK(msg.find("absent: model folder not found") != std::string::npos);
    }
    SECTION("no weight files") {
        std::ofstream(dir / "config.json") << "{}";
        refused(dir.path().string(), "no weights found");
    }
    SECTION("missing shard") {
        writeLayout(dir.path(), Layout::BinShards, tensors);
        fs::remove(dir / "pytorch_model-00002-of-00002.bin");
        refused("pytorch_model.bin.index.json", "shard 'pytorch_model-00002-of-00002.bin' named in the index is missing");
    }
    SECTION("index names a tensor its shard lacks") {
        writeLayout(dir.path(), Layout::ShardedSafetensors, tensors);
        writeIndex(dir / "model.safetensors.index.json", {{"ghost.weight", "model-00001-of-00002.safetensors"}});
        refused("model-00001-of-00002.safetensors", "tensor 'ghost.weight' listed in model.safetensors.index.json");
    }
    SECTION("index leaves the folder") {
        writeIndex(dir / "model.safetensors.index.json", {{"w", "../elsewhere.safetensors"}});
        refused("model.safetensors.index.json", "not a file in the model folder");
    }
    SECTION("index not JSON") {
        std::ofstream(dir / "pytorch_model.bin.index.json") << "{";
        refused("pytorch_model.bin.index.json", "not a valid JSON object");
    }
    SECTION("the same tensor under both namings") {
        leopard::writeSafetensors(dir / "model.safetensors",
                                  {{"lm_head.weight", torch::ones({2})}, {"language_model.lm_head.weight", torch::ones({2})}});
        refused("model.safetensors", "appears twice");
    }
    SECTION("truncated safetensors") {
        leopard::writeSafetensors(dir / "model.safetensors", tensors);
        fs::resize_file(dir / "model.safetensors", fs::file_size(dir / "model.safetensors") - 10);
        refused("model.safetensors", "outside the data section");
    }
    SECTION("truncated .bin") {
        leopard::writeTorchCheckpoint(dir / "pytorch_model.bin", tensors);
        fs::resize_file(dir / "pytorch_model.bin", 100);
        refused("pytorch_model.bin", "not a readable torch.save zip archive");
    }
}

TEST_CASE("the golden tiny-leopard folder opens as a checkpoint", "[checkpoint]") {
    const auto folder = leopard::test::goldenDir() / "tiny-leopard";
    std::ifstream in(folder / "config.json");
    const auto cfg = nlohmann::json::parse(in);
    Checkpoint ckpt(folder);
    CHECK(ckpt.format() == "safetensors");
    // Per vision layer: 4 attention projections + 2 layer norms + 2 MLP
    // linears, each weight and bias; per text layer: 7 linears + 2 norms.
    const int v = cfg["vision_config"]["num_hidden_layers"], t = cfg["text_config"]["num_hidden_layers"];
    int visionLayerTensors = 0, textLayerTensors = 0;
    for (const auto& n : ckpt.names()) {
        if (n.rfind("vision_tower.vision_model.encoder.layers.", 0) == 0) ++visionLayerTensors;
        if (n.rfind("language_model.model.layers.", 0) == 0) ++textLayerTensors;
    }
    CHECK(visionLayerTensors == v * 16);
    CHECK(textLayerTensors == t * 9);
    const int64_t vocab = cfg["text_config"]["vocab_size"], hidden = cfg["text_config"]["hidden_size"];
    CHECK((ckpt.info("language_model.lm_head.weight").shape == std::vector<int64_t>{vocab, hidden}));
}

namespace {
// Resident set now and at its peak since the last resetPeakRss(), in bytes.
int64_t statusBytes(const std::string& key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + ":", 0) == 0) return std::stoll(line.substr(key.size() + 1)) * 1024;
    return -1;
}
bool resetPeakRss() { return static_cast<bool>(std::ofstream("/proc/self/clear_refs") << "5"); }
}  // namespace

TEST_CASE("loading a bf16 safetensors checkpoint in bf16 peaks near one copy of the file", "[checkpoint][slow]") {
    // The target is peak RSS <= 1.15 x the file size: the mapping's pages
    // are given back as each tensor is copied out.
    TempDir dir;
    NamedTensors tensors;
    for (int i = 0; i < 12; ++i)
        tensors.emplace_back("language_model.model.layers." + std::to_string(i) + ".mlp.up_proj.weight",
                             torch::full({2048, 4096}, static_cast<float>(i), torch::kBFloat16));
    leopard::writeSafetensors(dir / "model.safetensors", tensors);
    std::vector<int64_t> shape{2048, 4096};
    tensors.clear();  // the written copies are not part of the measurement

    Checkpoint ckpt(dir.path());
    const double fileBytes = static_cast<double>(ckpt.totalFileBytes());
    REQUIRE(resetPeakRss());
    const int64_t before = statusBytes("VmRSS");
    std::vector<std::pair<std::string, torch::Tensor>> dst;
    for (const auto& name : ckpt.names()) dst.emplace_back(name, torch::empty(shape, torch::kBFloat16));
    ckpt.loadInto(pointers(dst));
    const int64_t peak = statusBytes("VmHWM");
    const double ratio = static_cast<double>(peak - before) / fileBytes;
    WARN("file " << fileBytes / 1e6 << " MB, peak RSS growth while loading " << (peak - before) / 1e6
                 << " MB, ratio " << ratio);
    CHECK(ratio <= 1.15);
    CHECK(torch::equal(dst[5].second, ckpt.tensor(dst[5].first)));
}
