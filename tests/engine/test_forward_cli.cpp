// `leopard-cli forward` end to end on the tiny golden checkpoint: the binary
// reads golden inputs and writes tensors that match the reference.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/safetensors.h"
#include "test_paths.h"

namespace {

std::filesystem::path tinyDir() { return leopard::test::goldenDir() / "tiny-leopard"; }

// Runs leopard-cli with arguments; returns the exit status, stderr in `err`.
int runCli(const std::string& args, std::string* err = nullptr) {
    const auto cli = leopard::test::binDir() / "leopard-cli";
    REQUIRE(std::filesystem::exists(cli));   // built by the leopard-cli target
    leopard::test::TempDir tmp;
    const std::string cmd = "'" + cli.string() + "' " + args + " >/dev/null 2>'" + (tmp / "err").string() + "'";
    const int status = std::system(cmd.c_str());
    if (err) {
        std::ifstream in(tmp / "err");
        err->assign(std::istreambuf_iterator<char>(in), {});
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("leopard-cli forward reproduces the golden tensors and tokens", "[cli][golden]") {
    leopard::test::TempDir tmp;
    leopard::SafetensorsFile golden(tinyDir() / "golden.safetensors");
    leopard::writeSafetensors(tmp / "in.safetensors",
                              {{"pixel_values", golden.tensor("pixel_values")}, {"input_ids", golden.tensor("input_ids")}});
    const std::string args = "forward --model '" + tinyDir().string() + "' --inputs '" + (tmp / "in.safetensors").string() +
                             "' --out '" + (tmp / "out.safetensors").string() + "' --generate 16 --device cpu --dtype f32";
    REQUIRE(runCli(args) == 0);

    leopard::SafetensorsFile out(tmp / "out.safetensors");
    for (const char* name : {"vision_last_hidden_state", "image_features", "logits"}) {
        const auto got = out.tensor(name), want = golden.tensor(name);
        REQUIRE(got.sizes() == want.sizes());
        const double d = (got - want).abs().max().item<double>();
        std::printf("forward CLI %-26s max abs diff %.3g\n", name, d);
        CHECK(d <= 1e-4);
    }
    std::ifstream in(tinyDir() / "golden.json");
    const auto j = nlohmann::json::parse(in);
    const auto ids = out.tensor("generated_ids");
    const std::vector<int64_t> got(ids.data_ptr<int64_t>(), ids.data_ptr<int64_t>() + ids.numel());
    CHECK(got == j.at("greedy_tokens").get<std::vector<int64_t>>());
}

TEST_CASE("leopard-cli forward reports bad inputs in one line with exit code 2", "[cli]") {
    leopard::test::TempDir tmp;
    std::string err;
    // Missing inputs file.
    CHECK(runCli("forward --model '" + tinyDir().string() + "' --inputs '" + (tmp / "none.safetensors").string() +
                     "' --out '" + (tmp / "o.safetensors").string() + "'", &err) == 2);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);

    // Placeholders without pixels.
    leopard::SafetensorsFile golden(tinyDir() / "golden.safetensors");
    leopard::writeSafetensors(tmp / "ids.safetensors", {{"input_ids", golden.tensor("input_ids")}});
    CHECK(runCli("forward --model '" + tinyDir().string() + "' --inputs '" + (tmp / "ids.safetensors").string() +
                     "' --out '" + (tmp / "o.safetensors").string() + "'", &err) == 2);
    CHECK(err.find("image placeholders") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(tmp / "o.safetensors"));
}
