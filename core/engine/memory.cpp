#include "engine/memory.h"

#include <dlfcn.h>

#include <fstream>
#include <string>

#include "engine/memory_estimate.h"

namespace leopard {

namespace {

constexpr int64_t kUnknownAvailable = int64_t{2} << 30;

// "Key:   1234 kB" lines of /proc files.
int64_t procKilobytes(const char* file, const std::string& key) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, key.size(), key) == 0 && line.size() > key.size() && line[key.size()] == ':')
            return std::stoll(line.substr(key.size() + 1)) * 1024;
    }
    return 0;
}

// cudaMemGetInfo looked up at run time: Debian's CPU LibTorch ships no CUDA
// runtime headers, and a CUDA LibTorch has already loaded libcudart.
int64_t cudaFreeBytes() {
    using MemGetInfo = int (*)(size_t*, size_t*);
    auto fn = reinterpret_cast<MemGetInfo>(dlsym(RTLD_DEFAULT, "cudaMemGetInfo"));
    if (!fn) return 0;
    size_t freeBytes = 0, total = 0;
    if (fn(&freeBytes, &total) != 0) return 0;
    return static_cast<int64_t>(freeBytes);
}

}  // namespace

int64_t currentRssBytes() { return procKilobytes("/proc/self/status", "VmRSS"); }
int64_t peakRssBytes() { return procKilobytes("/proc/self/status", "VmHWM"); }

int64_t availableMemoryBytes(const c10::Device& device) {
    const int64_t bytes = device.is_cuda() ? cudaFreeBytes() : procKilobytes("/proc/meminfo", "MemAvailable");
    return bytes > 0 ? bytes : kUnknownAvailable;
}

int64_t visionBytesPerTile(const VisionConfig& c, int64_t elementSize) {
    return visionTileActivationBytes(c, elementSize);
}

}  // namespace leopard
