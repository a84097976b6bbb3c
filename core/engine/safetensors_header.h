// The safetensors header as data: parse and validate the 8-byte length and
// the JSON header of a .safetensors file into a list of tensor descriptors.
//
// This is the untrusted-input half of safetensors reading, kept free of
// LibTorch so it can be fuzzed on its own (fuzz/fuzz_safetensors_header.cpp);
// SafetensorsFile (engine/safetensors.h) maps the file and turns the
// descriptors into tensors.
//
//   auto header = parseSafetensorsHeader(bytes, size, "model.safetensors");
//   for (const auto& t : header.tensors) … t.begin + header.dataOffset …
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leopard {

// Element types the safetensors format names (the subset LibTorch 1.13 has).
enum class StDType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

std::optional<StDType> parseStDType(std::string_view name);
std::string_view stDTypeName(StDType t);
size_t stDTypeSize(StDType t);

struct StTensorEntry {
    std::string name;
    StDType dtype;
    std::vector<int64_t> shape;
    uint64_t begin = 0;  // byte range relative to the data section
    uint64_t end = 0;
};

struct SafetensorsHeader {
    uint64_t dataOffset = 0;  // = 8 + header length: where the data section starts
    std::vector<StTensorEntry> tensors;  // in the order of their data offsets
    std::map<std::string, std::string> metadata;  // "__metadata__"
};

// Headers longer than this are refused (the Hugging Face reader's limit).
inline constexpr uint64_t kMaxSafetensorsHeaderBytes = 100ull * 1024 * 1024;

// Parses the header of a safetensors file whose first `available` bytes are
// at `bytes` and whose total size is `fileSize` (available ≤ fileSize; the
// header must lie within the available bytes). Validates strictly: header
// length sane, JSON an object, every dtype known, shape × dtype size equal to
// the byte range, ranges inside the data section and not overlapping,
// `__metadata__` a map of strings. Throws InputError("<file>: <reason>").
SafetensorsHeader parseSafetensorsHeader(const uint8_t* bytes, uint64_t available,
                                         uint64_t fileSize, const std::string& file);

}  // namespace leopard
