// Memory facts for sizing work and for benchmarks: resident set size of this
// process, memory available for new allocations on a device, and the bytes
// one vision tile needs while it is encoded.
//
// Thread-safety: all functions are safe from any thread.
#pragma once

#include <cstdint>

#include <c10/core/Device.h>

#include "engine/config.h"

namespace leopard {

// VmRSS / VmHWM (peak) of this process from /proc/self/status, in bytes; 0
// when unavailable.
int64_t currentRssBytes();
int64_t peakRssBytes();

// Bytes that may still be allocated: MemAvailable from /proc/meminfo on the
// CPU, free device memory on CUDA. A conservative 2 GiB when unknown.
int64_t availableMemoryBytes(const c10::Device& device);

// Upper estimate of the transient bytes encoding one tile takes (attention
// scores in fp32 dominate), for choosing a vision batch size.
int64_t visionBytesPerTile(const VisionConfig& c, int64_t elementSize);

}  // namespace leopard
