// Process-wide runtime set-up for LibTorch: intra-op threads, BLAS check,
// device and dtype selection, and the facts `leopard-cli doctor` reports.
//
// Thread-safety: configureRuntime() is meant to be called once at start-up
// from the main thread, before any inference; the query functions are safe
// from any thread.
#pragma once

#include <string>
#include <vector>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

namespace leopard {

struct RuntimeOptions {
    int threads = 0;        // 0: $LEOPARD_THREADS, else the number of cores
    bool quiet = false;     // suppress the reference-BLAS warning
};

// Sets intra-op threads (option, then $LEOPARD_THREADS, then core count) and
// warns on stderr when the slow reference BLAS is what got loaded.
void configureRuntime(const RuntimeOptions& options = {});

// The BLAS shared library actually mapped into this process, resolved at run
// time from /proc/self/maps (e.g. "libopenblasp-r0.3.21.so (openmp)",
// "libblas.so.3 (reference)"), or "none loaded".
std::string loadedBlasLibrary();
bool referenceBlasActive();

struct CpuFeatures {
    bool avx2 = false, avx512f = false, avx512bw = false, avx512vl = false, avx512_bf16 = false, amx_bf16 = false;
    std::string modelName;
};
CpuFeatures cpuFeatures();

// "auto" → cuda:0 when torch::cuda::is_available(), else cpu; "cpu",
// "cuda", "cuda:N" as given. Throws InputError for anything else or for a
// CUDA device on a build without CUDA.
c10::Device parseDevice(const std::string& text);

// "f32"/"float32", "bf16"/"bfloat16", "f16"/"float16"/"half", or "auto".
// "auto" is bf16 on CUDA. On the CPU it is bf16 when the checkpoint is
// stored in 16 bits (`storedDtype`, config.json "torch_dtype": the released
// Leopard weights are float16, trained in bf16) and the CPU has native bf16
// dot products (avx512_bf16): half the memory of f32 (an 8B model fits in
// ~17 GB instead of ~33 GB) and ~2.5× its matmul speed. Otherwise float32
// (f16 and emulated bf16 are slow on CPUs; f32 checkpoints stay exact).
c10::ScalarType parseDtype(const std::string& text, const c10::Device& device, const std::string& storedDtype = {});
std::string dtypeName(c10::ScalarType t);

// Facts for `doctor` and the GUI's About box: one "key: value" per line.
std::vector<std::pair<std::string, std::string>> engineRuntimeReport();

}  // namespace leopard
