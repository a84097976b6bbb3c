#include "engine/safetensors_header.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <nlohmann/json.hpp>

#include "util/errors.h"

namespace leopard {
namespace {

struct DTypeRow {
    StDType type;
    std::string_view name;
    size_t size;
};
constexpr std::array<DTypeRow, 10> kDTypes{{
    {StDType::F64, "F64", 8},  {StDType::F32, "F32", 4}, {StDType::F16, "F16", 2},
    {StDType::BF16, "BF16", 2}, {StDType::I64, "I64", 8}, {StDType::I32, "I32", 4},
    {StDType::I16, "I16", 2},  {StDType::I8, "I8", 1},   {StDType::U8, "U8", 1},
    {StDType::BOOL, "BOOL", 1},
}};

const DTypeRow& row(StDType t) {
    for (const auto& r : kDTypes)
        if (r.type == t) return r;
    return kDTypes[0];  // unreachable: every enumerator has a row
}

// Reads a non-negative JSON integer; nullopt for anything else (floats,
// negatives, strings).
std::optional<uint64_t> asCount(const nlohmann::json& v) {
    if (v.is_number_unsigned()) return v.get<uint64_t>();
    if (v.is_number_integer() && v.get<int64_t>() >= 0) return static_cast<uint64_t>(v.get<int64_t>());
    return std::nullopt;
}

StTensorEntry parseEntry(const std::string& name, const nlohmann::json& v, uint64_t dataSize,
                         const std::string& file) {
    auto fail = [&](const std::string& why) { throw InputError(file, "tensor '" + name + "': " + why); };
    if (!v.is_object()) fail("entry is not a JSON object");

    StTensorEntry e;
    e.name = name;
    const auto dt = v.find("dtype");
    if (dt == v.end() || !dt->is_string()) fail("missing dtype");
    const auto parsed = parseStDType(dt->get_ref<const std::string&>());
    if (!parsed) fail("unknown dtype " + dt->get<std::string>());
    e.dtype = *parsed;

    const auto shape = v.find("shape");
    if (shape == v.end() || !shape->is_array()) fail("missing shape");
    if (shape->size() > 64) fail("shape has more than 64 dimensions");
    // numel × element size, with every step checked against overflow.
    uint64_t bytes = stDTypeSize(e.dtype);
    bool zero = false;
    for (const auto& d : *shape) {
        const auto n = asCount(d);
        if (!n || *n > static_cast<uint64_t>(INT64_MAX)) fail("shape entries must be non-negative integers");
        e.shape.push_back(static_cast<int64_t>(*n));
        if (*n == 0) zero = true;
        else if (!zero && bytes > UINT64_MAX / *n) fail("shape is too large");
        else if (!zero) bytes *= *n;
    }
    if (zero) bytes = 0;

    const auto offs = v.find("data_offsets");
    if (offs == v.end() || !offs->is_array() || offs->size() != 2) fail("data_offsets must be [begin, end]");
    const auto b = asCount((*offs)[0]), en = asCount((*offs)[1]);
    if (!b || !en || *b > *en) fail("data_offsets must be two non-negative integers with begin <= end");
    if (*en > dataSize)
        fail("data_offsets [" + std::to_string(*b) + ", " + std::to_string(*en) + "] lie outside the data section (" +
             std::to_string(dataSize) + " bytes)");
    e.begin = *b;
    e.end = *en;
    if (e.end - e.begin != bytes)
        fail("shape and dtype need " + std::to_string(bytes) + " bytes but data_offsets span " +
             std::to_string(e.end - e.begin));
    return e;
}

}  // namespace

std::optional<StDType> parseStDType(std::string_view name) {
    for (const auto& r : kDTypes)
        if (r.name == name) return r.type;
    return std::nullopt;
}

std::string_view stDTypeName(StDType t) { return row(t).name; }
size_t stDTypeSize(StDType t) { return row(t).size; }

SafetensorsHeader parseSafetensorsHeader(const uint8_t* bytes, uint64_t available, uint64_t fileSize,
                                         const std::string& file) {
    if (available > fileSize) available = fileSize;
    if (fileSize < 8 || available < 8)
        throw InputError(file, "truncated safetensors file (" + std::to_string(fileSize) + " bytes, no header)");
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[i];  // little-endian u64
    if (n > kMaxSafetensorsHeaderBytes)
        throw InputError(file, "safetensors header length " + std::to_string(n) + " is absurd (limit " +
                                   std::to_string(kMaxSafetensorsHeaderBytes) + " bytes)");
    if (n > fileSize - 8)
        throw InputError(file, "safetensors header length " + std::to_string(n) + " exceeds the file size (" +
                                   std::to_string(fileSize) + " bytes): truncated or not a safetensors file");
    if (n > available - 8) throw InputError(file, "safetensors header is not fully readable");

    SafetensorsHeader h;
    h.dataOffset = 8 + n;
    const uint64_t dataSize = fileSize - h.dataOffset;
    const char* text = reinterpret_cast<const char*>(bytes + 8);
    const auto json = nlohmann::json::parse(text, text + n, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) throw InputError(file, "safetensors header is not valid JSON");
    if (!json.is_object()) throw InputError(file, "safetensors header is not a JSON object");

    for (const auto& [key, value] : json.items()) {
        if (key == "__metadata__") {
            if (!value.is_object()) throw InputError(file, "__metadata__ is not a JSON object");
            for (const auto& [mk, mv] : value.items()) {
                if (!mv.is_string()) throw InputError(file, "__metadata__ value for '" + mk + "' is not a string");
                h.metadata.emplace(mk, mv.get<std::string>());
            }
            continue;
        }
        h.tensors.push_back(parseEntry(key, value, dataSize, file));
    }

    std::sort(h.tensors.begin(), h.tensors.end(), [](const StTensorEntry& a, const StTensorEntry& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    // Empty tensors occupy no bytes and cannot overlap anything.
    const StTensorEntry* prev = nullptr;
    for (const auto& t : h.tensors) {
        if (t.begin == t.end) continue;
        if (prev && t.begin < prev->end)
            throw InputError(file, "tensors '" + prev->name + "' and '" + t.name + "' have overlapping data_offsets");
        prev = &t;
    }
    return h;
}

}  // namespace leopard
