#include "engine/lora.h"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/safetensors.h"
#include "util/atomic_file.h"
#include "util/errors.h"

namespace leopard {

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Does module `name` belong to target `t`?
bool matches(const std::string& name, const std::string& t) {
    static const std::map<std::string, std::string> decoder = {
        {"q", ".self_attn.q_proj"}, {"k", ".self_attn.k_proj"}, {"v", ".self_attn.v_proj"}, {"o", ".self_attn.o_proj"},
        {"gate", ".mlp.gate_proj"},  {"up", ".mlp.up_proj"},     {"down", ".mlp.down_proj"}};
    if (auto it = decoder.find(t); it != decoder.end())
        return startsWith(name, "language_model.model.layers.") && endsWith(name, it->second);
    if (t == "projector") return startsWith(name, "multi_modal_projector.linear_");
    if (t == "vision") return startsWith(name, "vision_tower.vision_model.encoder.layers.");
    // The vocabulary projection (PEFT allows it too): a fine-tune that must
    // emit tokens the base rarely produced needs to move its logits.
    // Absent when tied to the embeddings.
    if (t == "lm_head") return name == "language_model.lm_head";
    return false;
}

std::shared_ptr<LinearImpl> linearAt(const LeopardNet& net, const std::string& name) {
    for (const auto& item : net->named_modules())
        if (item.key() == name) return std::dynamic_pointer_cast<LinearImpl>(item.value());
    return nullptr;
}

}  // namespace

std::vector<std::string> loraTargetModules(const LeopardNet& net, const std::vector<std::string>& targets) {
    static const std::set<std::string> known = {"q",    "k",  "v",         "o",      "gate",
                                                "up",   "down", "projector", "vision", "lm_head"};
    for (const auto& t : targets)
        if (!known.count(t))
            throw InputError("--targets", "unknown LoRA target \"" + t +
                                              "\" (known: q, k, v, o, gate, up, down, projector, vision, lm_head)");
    std::vector<std::string> names;
    for (const auto& item : net->named_modules()) {
        if (!std::dynamic_pointer_cast<LinearImpl>(item.value())) continue;
        for (const auto& t : targets)
            if (matches(item.key(), t)) {
                names.push_back(item.key());
                break;
            }
    }
    return names;
}

LoraAdapter LoraAdapter::create(const LeopardModel& model, const LoraConfig& config, uint64_t seed) {
    if (config.rank < 1) throw InputError("--rank", "must be at least 1");
    if (config.dropout < 0 || config.dropout >= 1) throw InputError("--dropout", "must lie in [0, 1)");
    LoraAdapter adapter;
    adapter.config_ = config;
    auto gen = at::detail::createCPUGenerator(seed);
    for (const auto& name : loraTargetModules(model.net(), config.targets)) {
        const auto& w = linearAt(model.net(), name)->weight;
        const int64_t out = w.size(0), in = w.size(1);
        auto a = torch::empty({config.rank, in}, torch::kFloat).normal_(0.0, 1.0 / std::sqrt(double(in)), gen);
        auto b = torch::zeros({out, config.rank}, torch::kFloat);
        adapter.layers_[name] = {a.to(w.device()).set_requires_grad(true), b.to(w.device()).set_requires_grad(true)};
    }
    if (adapter.layers_.empty()) throw InputError("--targets", "no layer of the model matches the LoRA targets");
    return adapter;
}

std::vector<torch::Tensor> LoraAdapter::parameters() const {
    std::vector<torch::Tensor> ps;
    for (const auto& [name, p] : layers_) {
        ps.push_back(p.a);
        ps.push_back(p.b);
    }
    return ps;
}

NamedTensors LoraAdapter::namedTensors() const {
    NamedTensors out;
    for (const auto& [name, p] : layers_) {
        out.emplace_back(name + ".lora_A.weight", p.a);
        out.emplace_back(name + ".lora_B.weight", p.b);
    }
    return out;
}

void LoraAdapter::save(const std::filesystem::path& dir) const {
    std::filesystem::create_directories(dir);
    NamedTensors tensors;
    for (const auto& [name, t] : namedTensors()) tensors.emplace_back(name, t.detach().to(torch::kCPU, torch::kFloat));
    writeSafetensors(dir / "adapter_model.safetensors", tensors, {{"format", "pt"}});
    nlohmann::json modules = nlohmann::json::array();
    for (const auto& [name, p] : layers_) modules.push_back(name);
    const nlohmann::json j = {{"peft_type", "LORA"},
                              {"r", config_.rank},
                              {"lora_alpha", config_.alpha},
                              {"lora_dropout", config_.dropout},
                              {"targets", config_.targets},
                              {"target_modules", modules}};
    writeFileAtomically(dir / "adapter_config.json", j.dump(2) + "\n");
}

LoraAdapter LoraAdapter::load(const std::filesystem::path& dir) {
    const auto cfgPath = dir / "adapter_config.json";
    std::ifstream in(cfgPath, std::ios::binary);
    if (!in) throw InputError(cfgPath.string(), "cannot open (not an adapter folder?)");
    std::stringstream s;
    s << in.rdbuf();
    LoraAdapter adapter;
    std::vector<std::string> modules;
    try {
        const auto j = nlohmann::json::parse(s.str());
        adapter.config_.rank = j.at("r").get<int64_t>();
        adapter.config_.alpha = j.at("lora_alpha").get<double>();
        adapter.config_.dropout = j.value("lora_dropout", 0.0);
        if (j.contains("targets")) adapter.config_.targets = j["targets"].get<std::vector<std::string>>();
        modules = j.at("target_modules").get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& e) {
        throw InputError(cfgPath.string(), std::string("malformed adapter config: ") + e.what());
    }
    if (adapter.config_.rank < 1) throw InputError(cfgPath.string(), "r must be at least 1");
    const SafetensorsFile file(dir / "adapter_model.safetensors");
    for (const auto& name : modules) {
        Pair p{file.tensor(name + ".lora_A.weight").to(torch::kFloat).clone(),
               file.tensor(name + ".lora_B.weight").to(torch::kFloat).clone()};
        if (p.a.dim() != 2 || p.b.dim() != 2 || p.a.size(0) != adapter.config_.rank ||
            p.b.size(1) != adapter.config_.rank)
            throw InputError(file.path().string(), name + ": A/B shapes do not match r = " +
                                                       std::to_string(adapter.config_.rank));
        adapter.layers_[name] = p;
    }
    return adapter;
}

namespace {
std::shared_ptr<LinearImpl> checkedLayer(const LeopardModel& model, const std::string& name,
                                         const LoraAdapter::Pair& p) {
    auto layer = linearAt(model.net(), name);
    if (!layer) throw InputError("adapter", "the model has no linear layer " + name + " (adapter of another model?)");
    if (layer->weight.size(0) != p.b.size(0) || layer->weight.size(1) != p.a.size(1))
        throw InputError("adapter", name + ": the adapter's shape does not fit the model's " +
                                        c10::str(layer->weight.sizes()));
    return layer;
}
}  // namespace

void mergeAdapter(LeopardModel& model, const LoraAdapter& adapter) {
    torch::NoGradGuard noGrad;
    std::vector<std::pair<std::shared_ptr<LinearImpl>, const LoraAdapter::Pair*>> layers;
    for (const auto& [name, p] : adapter.layers()) layers.emplace_back(checkedLayer(model, name, p), &p);
    const double s = adapter.config().scale();
    for (auto& [layer, p] : layers) {
        auto& w = layer->weight;
        const auto delta = torch::matmul(p->b.to(w.device(), torch::kFloat), p->a.to(w.device(), torch::kFloat));
        w.copy_(w.to(torch::kFloat).add_(delta, s));
    }
}

LoraBinding::LoraBinding(LeopardModel& model, const LoraAdapter& adapter)
    : scale_(adapter.config().scale()), dropout_(adapter.config().dropout) {
    for (const auto& [name, p] : adapter.layers()) {
        auto layer = checkedLayer(model, name, p);
        bound_.push_back({layer, layer->weight, p});
    }
}

LoraBinding::~LoraBinding() {
    for (auto& b : bound_) b.layer->weight = b.base;
}

void LoraBinding::refresh(torch::Generator* gen) {
    for (auto& b : bound_) {
        auto a = b.pair.a;
        if (dropout_ > 0 && gen) {
            const auto keep = torch::empty({1, a.size(1)}, a.options().requires_grad(false))
                                  .bernoulli_(1.0 - dropout_, *gen)
                                  .div_(1.0 - dropout_);
            a = a * keep;
        }
        // The base weight keeps its dtype; the low-rank update is added in it.
        b.layer->weight = b.base + torch::matmul(b.pair.b, a).mul(scale_).to(b.base.scalar_type());
    }
}

}  // namespace leopard
