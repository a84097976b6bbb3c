#include "engine/torch_pickle.h"

#include <algorithm>
#include <ostream>
#include <set>

#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include "util/atomic_file.h"
#include "util/errors.h"

namespace leopard {
namespace fs = std::filesystem;

namespace {

struct StorageDType {
    const char* storage;
    c10::ScalarType dtype;
};
constexpr StorageDType kStorageDTypes[] = {
    {"DoubleStorage", c10::kDouble}, {"FloatStorage", c10::kFloat}, {"HalfStorage", c10::kHalf},
    {"BFloat16Storage", c10::kBFloat16}, {"LongStorage", c10::kLong}, {"IntStorage", c10::kInt},
    {"ShortStorage", c10::kShort}, {"CharStorage", c10::kChar}, {"ByteStorage", c10::kByte},
    {"BoolStorage", c10::kBool},
};

c10::ScalarType dtypeOfStorage(const std::string& storage) {
    for (const auto& s : kStorageDTypes)
        if (storage == s.storage) return s.dtype;
    return c10::kFloat;  // unreachable: the unpickler admits only the types above
}

const char* storageOfDtype(c10::ScalarType t, const std::string& file, const std::string& name) {
    for (const auto& s : kStorageDTypes)
        if (s.dtype == t) return s.storage;
    throw InputError(file, "tensor '" + name + "' has dtype " + std::string(c10::toString(t)) +
                               ", which this writer cannot store");
}

// Emits pickle protocol 2 the way Python's pickler does for torch.save of a
// state dict: globals are memoized on first use and fetched with BINGET after.
class PickleWriter {
public:
    std::string out;

    void op(char c) { out.push_back(c); }
    void str(const std::string& s) {
        op('X');
        le(s.size(), 4);
        out += s;
    }
    void integer(int64_t v) {
        if (v >= 0 && v < 256) {
            op('K');
            le(static_cast<uint64_t>(v), 1);
        } else if (v >= 0 && v < 65536) {
            op('M');
            le(static_cast<uint64_t>(v), 2);
        } else if (v >= INT32_MIN && v <= INT32_MAX) {
            op('J');
            le(static_cast<uint32_t>(v), 4);
        } else {
            op('\x8a');
            out.push_back(8);
            le(static_cast<uint64_t>(v), 8);
        }
    }
    void tuple(const std::vector<int64_t>& items) {
        if (items.empty()) return op(')');
        if (items.size() > 3) op('(');
        for (int64_t v : items) integer(v);
        op(items.size() > 3 ? 't' : static_cast<char>(0x85 + items.size() - 1));  // TUPLE1..3
    }
    void global(const std::string& module, const std::string& name) {
        const std::string key = module + "\n" + name + "\n";
        const auto it = memo_.find(key);
        if (it != memo_.end()) {
            op('h');
            le(it->second, 1);
            return;
        }
        op('c');
        out += key;
        const size_t slot = memo_.size();
        memo_.emplace(key, slot);
        op('q');
        le(slot, 1);  // few globals: one byte suffices
    }

private:
    void le(uint64_t v, int n) {
        for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    }
    std::map<std::string, size_t> memo_;
};

std::string statePickle(const std::vector<std::pair<std::string, torch::Tensor>>& contiguous,
                        const std::vector<std::string>& storageTypes) {
    PickleWriter w;
    w.op('\x80');
    w.out.push_back(2);
    w.global("collections", "OrderedDict");
    w.op(')');
    w.op('R');
    w.op('(');
    for (size_t i = 0; i < contiguous.size(); ++i) {
        const auto& [name, t] = contiguous[i];
        w.str(name);
        w.global("torch._utils", "_rebuild_tensor_v2");
        w.op('(');
        {
            w.op('(');  // persistent id: ('storage', type, key, location, numel)
            w.str("storage");
            w.global("torch", storageTypes[i]);
            w.str(std::to_string(i));
            w.str("cpu");
            w.integer(t.numel());
            w.op('t');
            w.op('Q');
        }
        w.integer(0);
        w.tuple(t.sizes().vec());
        w.tuple(t.strides().vec());
        w.op('\x89');  // requires_grad False
        w.global("collections", "OrderedDict");
        w.op(')');
        w.op('R');  // backward_hooks
        w.op('t');
        w.op('R');
    }
    w.op('u');
    // state: {'_metadata': OrderedDict({'': {'version': 1}})}, as
    // Module.state_dict() attaches, applied with BUILD.
    w.op('}');
    w.str("_metadata");
    w.global("collections", "OrderedDict");
    w.op(')');
    w.op('R');
    w.str("");
    w.op('}');
    w.str("version");
    w.integer(1);
    w.op('s');
    w.op('s');
    w.op('s');
    w.op('b');
    w.op('.');
    return w.out;
}

}  // namespace

TorchCheckpointFile::TorchCheckpointFile(const fs::path& path) : path_(path) {
    const std::string file = path.string();
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw InputError(file, "file not found");
    try {
        reader_ = std::make_shared<caffe2::serialize::PyTorchStreamReader>(file);
    } catch (const c10::Error& e) {
        throw InputError(file, "not a readable torch.save zip archive (truncated, corrupt, or the pre-1.6 "
                               "format): " + std::string(e.what_without_backtrace()));
    }
    if (!reader_->hasRecord("data.pkl")) throw InputError(file, "torch.save archive without data.pkl");
    at::DataPtr pkl;
    size_t size = 0;
    try {
        std::tie(pkl, size) = reader_->getRecord("data.pkl");
    } catch (const c10::Error& e) {
        throw InputError(file, "cannot read data.pkl: " + std::string(e.what_without_backtrace()));
    }
    tensors_ = readStateDictPickle(static_cast<const uint8_t*>(pkl.get()), size, file);
    for (size_t i = 0; i < tensors_.size(); ++i) index_.emplace(tensors_[i].name, i);
}

TorchCheckpointFile::~TorchCheckpointFile() = default;

std::vector<std::string> TorchCheckpointFile::names() const {
    std::vector<std::string> out;
    for (const auto& t : tensors_) out.push_back(t.name);
    return out;
}

bool TorchCheckpointFile::contains(const std::string& name) const { return index_.count(name) != 0; }

const PickledTensor& TorchCheckpointFile::entry(const std::string& name) const {
    const auto it = index_.find(name);
    if (it == index_.end()) throw InputError(path_.string(), "no tensor named '" + name + "'");
    return tensors_[it->second];
}

TensorInfo TorchCheckpointFile::info(const std::string& name) const {
    const auto& e = entry(name);
    return {dtypeOfStorage(e.storageType), e.sizes};
}

torch::Tensor TorchCheckpointFile::tensor(const std::string& name) const {
    const auto& e = entry(name);
    const std::string record = "data/" + e.storageKey;
    const auto dtype = dtypeOfStorage(e.storageType);
    if (!reader_->hasRecord(record)) throw InputError(path_.string(), "missing record " + record + " for '" + name + "'");
    auto data = std::make_shared<at::DataPtr>();
    size_t size = 0;
    try {
        std::tie(*data, size) = reader_->getRecord(record);
    } catch (const c10::Error& e) {
        throw InputError(path_.string(), "cannot read record " + record + ": " + e.what_without_backtrace());
    }
    if (size / e.elementSize < e.storageNumel)
        throw InputError(path_.string(), "record " + record + " holds " + std::to_string(size) + " bytes, less than its " +
                                             std::to_string(e.storageNumel) + "-element storage");
    const auto options = torch::TensorOptions().dtype(dtype);
    if (e.storageNumel == 0) return torch::empty(e.sizes, options);
    void* ptr = data->get();
    auto storage = torch::from_blob(ptr, {static_cast<int64_t>(e.storageNumel)},
                                    [data](void*) mutable { data.reset(); }, options);
    return storage.as_strided(e.sizes, e.strides, e.storageOffset);
}

NamedTensors readTorchCheckpoint(const fs::path& path) {
    TorchCheckpointFile f(path);
    NamedTensors out;
    for (const auto& name : f.names()) out.emplace_back(name, f.tensor(name));
    return out;
}

void writeTorchCheckpoint(const fs::path& path, const NamedTensors& tensors) {
    const std::string file = path.string();
    std::set<std::string> seen;
    std::vector<std::string> storageTypes;
    NamedTensors contiguous;
    for (const auto& [name, t] : tensors) {
        if (!seen.insert(name).second) throw InputError(file, "duplicate tensor name '" + name + "'");
        storageTypes.emplace_back(storageOfDtype(t.scalar_type(), file, name));
        contiguous.emplace_back(name, t.detach().to(torch::kCPU).contiguous());
    }
    const std::string pickle = statePickle(contiguous, storageTypes);

    // torch.save order: data.pkl, byteorder, then the storages by key as strings.
    std::vector<size_t> order(contiguous.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [](size_t a, size_t b) { return std::to_string(a) < std::to_string(b); });

    writeFileAtomically(path, [&](std::ostream& out) {
        caffe2::serialize::PyTorchStreamWriter writer([&](const void* buf, size_t n) -> size_t {
            out.write(static_cast<const char*>(buf), static_cast<std::streamsize>(n));
            return out ? n : 0;
        });
        writer.writeRecord("data.pkl", pickle.data(), pickle.size());
        writer.writeRecord("byteorder", "little", 6);
        for (size_t i : order) {
            const auto& t = contiguous[i].second;
            writer.writeRecord("data/" + std::to_string(i), t.data_ptr(), t.nbytes());
        }
        writer.writeEndOfFile();
    });
}

}  // namespace leopard
