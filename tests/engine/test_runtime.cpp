#include <catch2/catch.hpp>

#include <torch/torch.h>

#include "engine/runtime.h"
#include "util/errors.h"

TEST_CASE("configureRuntime sets intra-op threads from the option", "[runtime]") {
    leopard::configureRuntime({1, true});
    CHECK(at::get_num_threads() == 1);
    leopard::configureRuntime({2, true});
    CHECK(at::get_num_threads() == 2);
}

TEST_CASE("the BLAS LibTorch loaded is resolved from the process maps", "[runtime]") {
    // Force LibTorch to touch BLAS so the library is mapped.
    auto a = torch::ones({64, 64});
    auto c = torch::mm(a, a);
    CHECK(c[0][0].item<float>() == 64.0f);
    const std::string blas = leopard::loadedBlasLibrary();
    CHECK(blas != "none loaded");
    INFO(blas);
    CHECK(blas.find(".so") != std::string::npos);
}

TEST_CASE("devices and dtypes parse, bad ones are input errors", "[runtime]") {
    CHECK(leopard::parseDevice("cpu").is_cpu());
    CHECK(leopard::parseDtype("bf16", c10::Device(c10::kCPU)) == c10::kBFloat16);
    CHECK(leopard::parseDtype("f16", c10::Device(c10::kCPU)) == c10::kHalf);
    CHECK(leopard::parseDtype("float32", c10::Device(c10::kCPU)) == c10::kFloat);
    CHECK_THROWS_AS(leopard::parseDtype("int4", c10::Device(c10::kCPU)), leopard::InputError);
    CHECK_THROWS_AS(leopard::parseDevice("tpu"), leopard::InputError);
}

TEST_CASE("auto dtype: f32 checkpoints stay f32 on the CPU, 16-bit ones use bf16 where the CPU has it", "[runtime]") {
    const c10::Device cpu(c10::kCPU);
    CHECK(leopard::parseDtype("auto", cpu, "float32") == c10::kFloat);
    CHECK(leopard::parseDtype("auto", cpu) == c10::kFloat);
    const auto sixteen = leopard::cpuFeatures().avx512_bf16 ? c10::kBFloat16 : c10::kFloat;
    CHECK(leopard::parseDtype("auto", cpu, "float16") == sixteen);
    CHECK(leopard::parseDtype("auto", cpu, "bfloat16") == sixteen);
    CHECK(leopard::parseDtype("f32", cpu, "bfloat16") == c10::kFloat);  // explicit wins
    CHECK(leopard::dtypeName(c10::kBFloat16) == "bfloat16");
    if (!torch::cuda::is_available()) CHECK_THROWS_AS(leopard::parseDevice("cuda"), leopard::InputError);
}
