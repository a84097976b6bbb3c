#include "engine/safetensors.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <ostream>
#include <set>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "util/atomic_file.h"
#include "util/errors.h"

namespace leopard {
namespace fs = std::filesystem;

// The file's mapping; unmapped when the last SafetensorsFile or tensor view
// referring to it is gone.
struct SafetensorsFile::Mapping {
    uint8_t* data = nullptr;
    uint64_t size = 0;
    ~Mapping() {
        if (data) ::munmap(data, size);
    }
};

namespace {

struct TypePair {
    StDType st;
    c10::ScalarType torch;
};
constexpr TypePair kTypes[] = {
    {StDType::F64, c10::kDouble}, {StDType::F32, c10::kFloat}, {StDType::F16, c10::kHalf},
    {StDType::BF16, c10::kBFloat16}, {StDType::I64, c10::kLong}, {StDType::I32, c10::kInt},
    {StDType::I16, c10::kShort}, {StDType::I8, c10::kChar}, {StDType::U8, c10::kByte},
    {StDType::BOOL, c10::kBool},
};

StDType fromScalarType(c10::ScalarType t, const std::string& file, const std::string& name) {
    for (const auto& p : kTypes)
        if (p.torch == t) return p.st;
    throw InputError(file, "tensor '" + name + "' has dtype " + std::string(c10::toString(t)) +
                               ", which safetensors cannot store");
}

}  // namespace

c10::ScalarType toScalarType(StDType t) {
    for (const auto& p : kTypes)
        if (p.st == t) return p.torch;
    return c10::kFloat;  // unreachable: every StDType has a pair
}

SafetensorsFile::SafetensorsFile(const fs::path& path) : path_(path), map_(std::make_shared<Mapping>()) {
    const std::string file = path.string();
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError(file, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw InputError(file, "not a regular file");
    }
    map_->size = static_cast<uint64_t>(st.st_size);
    if (map_->size > 0) {
        // PROT_WRITE with MAP_PRIVATE: a caller writing into a view gets a
        // private copy of the page instead of a crash; the file never changes.
        void* p = ::mmap(nullptr, map_->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            throw InputError(file, std::string("cannot map: ") + std::strerror(err));
        }
        map_->data = static_cast<uint8_t*>(p);
    }
    ::close(fd);  // the mapping keeps the file open
    header_ = parseSafetensorsHeader(map_->data, map_->size, map_->size, file);
    for (size_t i = 0; i < header_.tensors.size(); ++i) index_.emplace(header_.tensors[i].name, i);
}

uint64_t SafetensorsFile::fileSize() const { return map_->size; }

std::vector<std::string> SafetensorsFile::names() const {
    std::vector<std::string> out;
    out.reserve(header_.tensors.size());
    for (const auto& t : header_.tensors) out.push_back(t.name);
    return out;
}

bool SafetensorsFile::contains(const std::string& name) const { return index_.count(name) != 0; }

const StTensorEntry& SafetensorsFile::entry(const std::string& name) const {
    const auto it = index_.find(name);
    if (it == index_.end()) throw InputError(path_.string(), "no tensor named '" + name + "'");
    return header_.tensors[it->second];
}

TensorInfo SafetensorsFile::info(const std::string& name) const {
    const auto& e = entry(name);
    return {toScalarType(e.dtype), e.shape};
}

torch::Tensor SafetensorsFile::tensor(const std::string& name) const {
    const auto& e = entry(name);
    const auto options = torch::TensorOptions().dtype(toScalarType(e.dtype)).device(torch::kCPU);
    if (e.begin == e.end) return torch::empty(e.shape, options);
    uint8_t* ptr = map_->data + header_.dataOffset + e.begin;
    if (reinterpret_cast<uintptr_t>(ptr) % stDTypeSize(e.dtype) != 0) {
        // Only hand-made files misalign data; LibTorch kernels assume alignment.
        auto out = torch::empty(e.shape, options);
        std::memcpy(out.data_ptr(), ptr, e.end - e.begin);
        return out;
    }
    auto keep = map_;
    return torch::from_blob(ptr, e.shape, [keep](void*) mutable { keep.reset(); }, options);
}

void SafetensorsFile::release(const std::string& name) const {
    const auto& e = entry(name);
    const uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    const uintptr_t lo = reinterpret_cast<uintptr_t>(map_->data + header_.dataOffset + e.begin);
    const uintptr_t hi = reinterpret_cast<uintptr_t>(map_->data + header_.dataOffset + e.end);
    // Only whole pages inside this tensor: neighbours may still be in use.
    const uintptr_t first = (lo + page - 1) / page * page;
    const uintptr_t last = hi / page * page;
    if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

void writeSafetensors(const fs::path& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata) {
    const std::string file = path.string();
    nlohmann::json header = nlohmann::json::object();
    std::set<std::string> seen;
    uint64_t offset = 0;
    for (const auto& [name, t] : tensors) {
        if (name == "__metadata__" || !seen.insert(name).second)
            throw InputError(file, "duplicate or reserved tensor name '" + name + "'");
        const StDType dt = fromScalarType(t.scalar_type(), file, name);
        const uint64_t bytes = static_cast<uint64_t>(t.numel()) * stDTypeSize(dt);
        header[name] = {{"dtype", std::string(stDTypeName(dt))},
                        {"shape", t.sizes().vec()},
                        {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');

    writeFileAtomically(path, [&](std::ostream& out) {
        uint8_t len[8];
        for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(static_cast<uint64_t>(text.size()) >> (8 * i));
        out.write(reinterpret_cast<const char*>(len), 8);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        for (const auto& [name, t] : tensors) {
            const auto c = t.detach().to(torch::kCPU).contiguous();
            out.write(static_cast<const char*>(c.data_ptr()), static_cast<std::streamsize>(c.nbytes()));
        }
    });
}

}  // namespace leopard
