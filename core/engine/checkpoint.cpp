#include "engine/checkpoint.h"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/torch_pickle.h"
#include "util/errors.h"

namespace leopard {
namespace fs = std::filesystem;

// One weight file: exactly one of the two readers is set.
struct Checkpoint::Shard {
    fs::path path;
    std::unique_ptr<SafetensorsFile> st;
    std::unique_ptr<TorchCheckpointFile> pt;

    std::vector<std::string> names() const { return st ? st->names() : pt->names(); }
    bool contains(const std::string& n) const { return st ? st->contains(n) : pt->contains(n); }
    TensorInfo info(const std::string& n) const { return st ? st->info(n) : pt->info(n); }
    torch::Tensor tensor(const std::string& n) const { return st ? st->tensor(n) : pt->tensor(n); }
};

namespace {

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The SigLIP pooling head: in the released file, never used by Leopard.
bool unusedVisionHead(const std::string& name) { return startsWith(name, "vision_tower.vision_model.head."); }

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

// "a, b, c, d, e and 7 more"
std::string listSome(const std::vector<std::string>& names) {
    constexpr size_t kShown = 5;
    std::string s;
    for (size_t i = 0; i < names.size() && i < kShown; ++i) s += (i ? ", " : "") + names[i];
    if (names.size() > kShown) s += " and " + std::to_string(names.size() - kShown) + " more";
    return s;
}

}  // namespace

std::string releasedTensorName(const std::string& name) {
    if (startsWith(name, "model.vision_tower.")) return name.substr(6);
    if (startsWith(name, "model.multi_modal_projector.")) return name.substr(6);
    if (startsWith(name, "model.language_model.")) return "language_model.model." + name.substr(21);
    if (startsWith(name, "lm_head.")) return "language_model." + name;
    return name;
}

Checkpoint::Checkpoint(const fs::path& folder) : folder_(folder) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) throw InputError(folder.string(), "model folder not found");
    const struct {
        const char* file;
        const char* format;
        bool index;
    } layouts[] = {
        {"model.safetensors.index.json", "safetensors", true},
        {"model.safetensors", "safetensors", false},
        {"pytorch_model.bin.index.json", "pytorch", true},
        {"pytorch_model.bin", "pytorch", false},
    };
    for (const auto& l : layouts) {
        const fs::path p = folder / l.file;
        if (!fs::exists(p, ec)) continue;
        format_ = l.format;
        if (l.index) readIndex(p);
        else addShard(p);
        return;
    }
    throw InputError(folder.string(), "no weights found (expected model.safetensors, model.safetensors.index.json, "
                                      "pytorch_model.bin or pytorch_model.bin.index.json)");
}

Checkpoint::~Checkpoint() = default;
Checkpoint::Checkpoint(Checkpoint&&) noexcept = default;
Checkpoint& Checkpoint::operator=(Checkpoint&&) noexcept = default;

void Checkpoint::addShard(const fs::path& path) {
    auto shard = std::make_unique<Shard>();
    shard->path = path;
    if (format_ == "safetensors") shard->st = std::make_unique<SafetensorsFile>(path);
    else shard->pt = std::make_unique<TorchCheckpointFile>(path);
    const size_t idx = shards_.size();
    for (const auto& n : shard->names()) {
        const std::string released = releasedTensorName(n);
        const auto [it, fresh] = entries_.emplace(released, Entry{idx, n});
        if (!fresh) {
            const fs::path& other = it->second.shard == idx ? path : shards_[it->second.shard]->path;
            throw InputError(path.string(), "tensor '" + released + "' appears twice (also as '" +
                                                it->second.fileName + "' in " + other.filename().string() + ")");
        }
    }
    shards_.push_back(std::move(shard));
}

void Checkpoint::readIndex(const fs::path& index) {
    const std::string file = index.string();
    std::ifstream in(index);
    const auto json = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) throw InputError(file, "not a valid JSON object");
    const auto map = json.find("weight_map");
    if (map == json.end() || !map->is_object()) throw InputError(file, "no \"weight_map\" object");

    std::map<std::string, std::vector<std::string>> byShard;  // shard file → names it should hold
    for (const auto& [name, shard] : map->items()) {
        if (!shard.is_string()) throw InputError(file, "weight_map entry for '" + name + "' is not a file name");
        const std::string s = shard.get<std::string>();
        if (s.empty() || s.find('/') != std::string::npos || s == "." || s == "..")
            throw InputError(file, "weight_map names '" + s + "', which is not a file in the model folder");
        byShard[s].push_back(name);
    }
    if (byShard.empty()) throw InputError(file, "weight_map is empty");
    std::error_code ec;
    for (const auto& [shard, names] : byShard)
        if (!fs::is_regular_file(folder_ / shard, ec))
            throw InputError(file, "shard '" + shard + "' named in the index is missing from " + folder_.string());
    for (const auto& [shard, names] : byShard) {
        addShard(folder_ / shard);
        for (const auto& n : names)
            if (!shards_.back()->contains(n))
                throw InputError((folder_ / shard).string(), "tensor '" + n + "' listed in " +
                                                                 index.filename().string() + " is not in this file");
    }
}

std::vector<fs::path> Checkpoint::files() const {
    std::vector<fs::path> out;
    for (const auto& s : shards_) out.push_back(s->path);
    return out;
}

uint64_t Checkpoint::totalFileBytes() const {
    uint64_t total = 0;
    std::error_code ec;
    for (const auto& s : shards_) total += fs::file_size(s->path, ec);
    return total;
}

std::vector<std::string> Checkpoint::names() const {
    std::vector<std::string> out;
    for (const auto& [name, e] : entries_) out.push_back(name);
    return out;
}

bool Checkpoint::contains(const std::string& name) const { return entries_.count(name) != 0; }

const Checkpoint::Entry& Checkpoint::entry(const std::string& name) const {
    const auto it = entries_.find(name);
    if (it == entries_.end()) throw InputError(folder_.string(), "checkpoint has no tensor '" + name + "'");
    return it->second;
}

TensorInfo Checkpoint::info(const std::string& name) const {
    const auto& e = entry(name);
    return shards_[e.shard]->info(e.fileName);
}

fs::path Checkpoint::fileOf(const std::string& name) const { return shards_[entry(name).shard]->path; }

torch::Tensor Checkpoint::tensor(const std::string& name) const {
    const auto& e = entry(name);
    return shards_[e.shard]->tensor(e.fileName);
}

void Checkpoint::release(const std::string& name) const {
    const auto& e = entry(name);
    if (shards_[e.shard]->st) shards_[e.shard]->st->release(e.fileName);
}

void Checkpoint::loadInto(const std::vector<std::pair<std::string, torch::Tensor*>>& targets,
                          const LoadOptions& options) const {
    // Check everything first: a wrong file should fail in milliseconds, not
    // after minutes of copying.
    std::set<std::string> expected;
    std::vector<std::string> missing, unexpected;
    for (const auto& [name, dst] : targets) {
        if (!expected.insert(name).second) throw Error("loadInto: destination '" + name + "' given twice");
        if (!contains(name)) {
            missing.push_back(name);
            continue;
        }
        const auto shape = info(name).shape;
        if (shape != dst->sizes().vec())
            throw InputError(fileOf(name).string(), "tensor '" + name + "' has shape " + shapeText(shape) +
                                                        ", the model expects " + shapeText(dst->sizes().vec()));
    }
    for (const auto& [name, e] : entries_)
        if (!expected.count(name) && !unusedVisionHead(name) && !(options.ignore && options.ignore(name)))
            unexpected.push_back(name);
    if (!missing.empty() || !unexpected.empty()) {
        std::string why;
        if (!missing.empty())
            why += std::to_string(missing.size()) + " tensor(s) the model needs are missing: " + listSome(missing);
        if (!unexpected.empty())
            why += std::string(why.empty() ? "" : "; ") + std::to_string(unexpected.size()) +
                   " unexpected tensor(s): " + listSome(unexpected);
        throw InputError(folder_.string(), why);
    }

    torch::NoGradGuard noGrad;
    const int64_t total = static_cast<int64_t>(targets.size());
    int64_t done = 0;
    for (const auto& [name, dst] : targets) {
        report(options.progress, {"loading", done, total, name});
        const torch::Tensor src = tensor(name);
        const auto dtype = options.dtype.value_or(dst->scalar_type());
        const auto device = options.device.value_or(dst->device());
        if (dst->scalar_type() == dtype && dst->device() == device) {
            dst->copy_(src);  // converts dtype element by element: no fp32 staging
        } else {
            // Move first, then convert, so a GPU does the conversion; copy
            // when nothing changed so the result never aliases the mapping.
            torch::Tensor moved = src.device() == device ? src : src.to(device);
            dst->set_data(moved.to(dtype, /*non_blocking=*/false, /*copy=*/moved.is_same(src)));
        }
        release(name);
        ++done;
    }
    report(options.progress, {"loading", done, total, ""});
}

void Checkpoint::loadInto(torch::nn::Module& module, const LoadOptions& options) const {
    auto params = module.named_parameters(/*recurse=*/true);
    std::vector<std::pair<std::string, torch::Tensor*>> targets;
    targets.reserve(params.size());
    for (auto& item : params) targets.emplace_back(item.key(), &item.value());
    loadInto(targets, options);
}

}  // namespace leopard
