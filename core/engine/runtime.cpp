#include "engine/runtime.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <torch/torch.h>

#include "util/errors.h"
#include "util/paths.h"

namespace leopard {

namespace {

int defaultThreadCount() {
    if (const char* env = std::getenv("LEOPARD_THREADS"); env && *env) {
        const int n = std::atoi(env);
        if (n > 0) return n;
    }
    const unsigned hw = std::thread::hardware_concurrency();
    return hw > 0 ? static_cast<int>(hw) : 1;
}

std::string baseName(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

void configureRuntime(const RuntimeOptions& options) {
    const int threads = options.threads > 0 ? options.threads : defaultThreadCount();
    at::set_num_threads(threads);
    if (!options.quiet && referenceBlasActive()) {
        std::fprintf(stderr,
                     "warning: the reference BLAS (%s) is active; matrix products will be ~10x slower.\n"
                     "         Install OpenBLAS: sudo apt-get install libopenblas0-openmp\n",
                     loadedBlasLibrary().c_str());
    }
}

std::string loadedBlasLibrary() {
    // The library that provides sgemm_ is the one LibTorch calls; Debian's
    // libtorch links libblas.so.3, which the alternatives system points at
    // OpenBLAS, BLIS, MKL or the reference implementation.
    std::ifstream maps("/proc/self/maps");
    std::string line;
    std::set<std::string> seen;
    std::string result;
    while (std::getline(maps, line)) {
        const auto slash = line.find('/');
        if (slash == std::string::npos) continue;
        const std::string path = line.substr(slash);
        if (!seen.insert(path).second) continue;
        const std::string name = baseName(path);
        const bool blasLike = name.rfind("libblas.so", 0) == 0 || name.find("openblas") != std::string::npos ||
                              name.rfind("libblis", 0) == 0 || name.rfind("libmkl", 0) == 0;
        if (!blasLike) continue;
        // Classify by the resolved path: the alternatives system maps
        // libblas.so.3 to e.g. .../openblas-openmp/libblas.so.3 or
        // .../blas/libblas.so.3 (the reference implementation).
        std::string kind;
        if (path.find("openblas") != std::string::npos) {
            kind = path.find("openmp") != std::string::npos ? "OpenBLAS (openmp)"
                   : path.find("pthread") != std::string::npos ? "OpenBLAS (pthread)"
                                                                : "OpenBLAS";
        } else if (path.find("blis") != std::string::npos) {
            kind = "BLIS";
        } else if (path.find("mkl") != std::string::npos) {
            kind = "MKL";
        } else {
            kind = "reference BLAS";
        }
        if (!kind.empty()) {
            // OpenBLAS/BLIS/MKL win over a libblas.so.3 shim name.
            if (result.empty() || result.find("reference") != std::string::npos)
                result = kind + ": " + path;
        }
    }
    return result.empty() ? "none loaded" : result;
}

bool referenceBlasActive() {
    return loadedBlasLibrary().rfind("reference BLAS", 0) == 0;
}

CpuFeatures cpuFeatures() {
    CpuFeatures f;
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (f.modelName.empty() && line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos) f.modelName = line.substr(colon + 2);
        }
        if (line.rfind("flags", 0) == 0) {
            std::istringstream words(line.substr(line.find(':') + 1));
            std::string w;
            while (words >> w) {
                if (w == "avx2") f.avx2 = true;
                else if (w == "avx512f") f.avx512f = true;
                else if (w == "avx512bw") f.avx512bw = true;
                else if (w == "avx512vl") f.avx512vl = true;
                else if (w == "avx512_bf16") f.avx512_bf16 = true;
                else if (w == "amx_bf16") f.amx_bf16 = true;
            }
            break;
        }
    }
    return f;
}

c10::Device parseDevice(const std::string& text) {
    if (text.empty() || text == "auto")
        return torch::cuda::is_available() ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
    if (text == "cpu") return c10::Device(c10::kCPU);
    if (text == "cuda" || text.rfind("cuda:", 0) == 0) {
        if (!torch::cuda::is_available())
            throw InputError("device '" + text + "' requested but this build of LibTorch has no usable CUDA device "
                             "(see `leopard-cli doctor`)");
        int index = 0;
        if (text.size() > 5) {
            try {
                index = std::stoi(text.substr(5));
            } catch (const std::exception&) {
                throw InputError("bad device '" + text + "': expected cpu, cuda, cuda:N or auto");
            }
        }
        if (index < 0 || index >= static_cast<int>(torch::cuda::device_count()))
            throw InputError("device '" + text + "' does not exist (" +
                             std::to_string(torch::cuda::device_count()) + " CUDA devices)");
        return c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    throw InputError("bad device '" + text + "': expected cpu, cuda, cuda:N or auto");
}

c10::ScalarType parseDtype(const std::string& text, const c10::Device& device, const std::string& storedDtype) {
    if (text == "f32" || text == "float32" || text == "fp32") return c10::kFloat;
    if (text == "bf16" || text == "bfloat16") return c10::kBFloat16;
    if (text == "f16" || text == "float16" || text == "fp16" || text == "half") return c10::kHalf;
    if (text.empty() || text == "auto") {
        if (device.is_cuda()) return c10::kBFloat16;
        const bool stored16 = storedDtype == "bfloat16" || storedDtype == "float16";
        return stored16 && cpuFeatures().avx512_bf16 ? c10::kBFloat16 : c10::kFloat;
    }
    throw InputError("bad dtype '" + text + "': expected auto, f32, bf16 or f16");
}

std::string dtypeName(c10::ScalarType t) {
    switch (t) {
        case c10::kFloat: return "float32";
        case c10::kBFloat16: return "bfloat16";
        case c10::kHalf: return "float16";
        default: return c10::toString(t);
    }
}

std::vector<std::pair<std::string, std::string>> engineRuntimeReport() {
    std::vector<std::pair<std::string, std::string>> r;
    r.emplace_back("leopard", LEOPARD_VERSION);
    r.emplace_back("libtorch", TORCH_VERSION);
    const bool cuda = torch::cuda::is_available();
    r.emplace_back("cuda", cuda ? "available" : "not available");
    std::string devices = "cpu";
    if (cuda) {
        // device_count() is size_t in LibTorch 1.13, c10::DeviceIndex (signed) in 2.x.
        const auto count = static_cast<int64_t>(torch::cuda::device_count());
        for (int64_t i = 0; i < count; ++i) devices += ", cuda:" + std::to_string(i);
    }
    r.emplace_back("devices", devices);
    r.emplace_back("blas", loadedBlasLibrary());
    r.emplace_back("intra-op threads", std::to_string(at::get_num_threads()));
    const CpuFeatures f = cpuFeatures();
    r.emplace_back("cpu", f.modelName);
    std::string feats;
    auto add = [&](bool on, const char* name) { feats += std::string(feats.empty() ? "" : " ") + name + (on ? "+" : "-"); };
    add(f.avx2, "avx2");
    add(f.avx512f, "avx512f");
    add(f.avx512_bf16, "avx512_bf16");
    add(f.amx_bf16, "amx_bf16");
    r.emplace_back("cpu features", feats);
    r.emplace_back("default dtype (auto)", dtypeName(parseDtype("auto", parseDevice("auto"), "bfloat16")) +
                                                " for 16-bit checkpoints, float32 for float32 ones");
    r.emplace_back("default model", resolveModelDir("").string());
    return r;
}

}  // namespace leopard
