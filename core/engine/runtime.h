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
    bool avx2 = false, avx512f = false, avx512_bf16 = false, amx_bf16 = false;
    std::string modelName;
};
CpuFeatures cpuFeatures();

// "auto" → cuda:0 when torch::cuda::is_available(), else cpu; "cpu",
// "cuda", "cuda:N" as given. Throws InputError for anything else or for a
// CUDA device on a build without CUDA.
c10::Device parseDevice(const std::string& text);

// "f32"/"float32", "bf16"/"bfloat16", "f16"/"float16"/"half", or "auto":
// bf16 on CUDA; on CPU the dtype recorded as fastest for this CPU
// (see README: f32 unless the CPU has avx512_bf16).
c10::ScalarType parseDtype(const std::string& text, const c10::Device& device);
std::string dtypeName(c10::ScalarType t);

// Facts for `doctor` and the GUI's About box: one "key: value" per line.
std::vector<std::pair<std::string, std::string>> engineRuntimeReport();

}  // namespace leopard
