// Reading and writing .safetensors files (the Hugging Face tensor format:
// 8-byte little-endian header length, a JSON header, then raw data).
//
// SafetensorsFile memory-maps the file (MAP_PRIVATE) and hands out tensors
// that are zero-copy views of the mapping. Each view holds a reference to the
// mapping, so views stay valid after the SafetensorsFile is gone.
//
//   leopard::SafetensorsFile f("model.safetensors");
//   for (const auto& name : f.names()) {
//       torch::Tensor w = f.tensor(name);   // CPU, the file's dtype, no copy
//       param.copy_(w);
//       f.release(name);                   // give the pages back (see below)
//   }
//   leopard::writeSafetensors("out.safetensors", {{"x", x}}, {{"format", "pt"}});
//
// Thread-safety: a SafetensorsFile is immutable after construction; all const
// members are safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <torch/types.h>

#include "engine/safetensors_header.h"

namespace leopard {

// What a tensor is, without its data.
struct TensorInfo {
    c10::ScalarType dtype = c10::kFloat;
    std::vector<int64_t> shape;
};

c10::ScalarType toScalarType(StDType t);

class SafetensorsFile {
public:
    // Maps and validates the file (see parseSafetensorsHeader for the checks).
    // Throws InputError naming the file when it is missing, unreadable,
    // truncated or malformed.
    explicit SafetensorsFile(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return path_; }
    uint64_t fileSize() const;

    // Tensor names in the order of their data in the file.
    std::vector<std::string> names() const;
    bool contains(const std::string& name) const;
    // Throws InputError when the name is not in the file.
    TensorInfo info(const std::string& name) const;
    const std::map<std::string, std::string>& metadata() const { return header_.metadata; }

    // A CPU tensor viewing the mapped bytes (writes to it stay private to
    // this process). Copied instead when the data is not aligned for its
    // element type. Throws InputError for an unknown name.
    torch::Tensor tensor(const std::string& name) const;

    // Drops the resident pages that lie entirely inside `name`'s bytes
    // (madvise MADV_DONTNEED), so a loader that has copied a tensor out keeps
    // the process's memory at about one copy of the weights. Existing views
    // stay valid (the pages are read again from the file on access) but lose
    // any in-place writes made to them.
    void release(const std::string& name) const;

private:
    struct Mapping;
    const StTensorEntry& entry(const std::string& name) const;

    std::filesystem::path path_;
    std::shared_ptr<Mapping> map_;
    SafetensorsHeader header_;
    std::map<std::string, size_t> index_;  // name → position in header_.tensors
};

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// Writes the tensors (any device, any layout: they are made contiguous on the
// CPU one at a time) in the given order, with an optional `__metadata__`. The
// header is padded with spaces to a multiple of 8 bytes as the Hugging Face
// writer does. Atomic (util/atomic_file.h): readers see the old file or the
// complete new one. Throws InputError for duplicate names or an unsupported
// dtype, and what writeFileAtomically throws.
void writeSafetensors(const std::filesystem::path& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace leopard
