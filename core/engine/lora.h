// LoRA adapters (Hu et al. 2021) for a LeopardModel: for a target linear
// layer with weight W [out, in], an adapter holds A [r, in] and B [out, r]
// and the adapted layer computes x·(W + (alpha/r)·B·A)ᵀ (+ bias).
//
// Targets are named by role: decoder "q","k","v","o" (self_attn.*_proj),
// "gate","up","down" (mlp.*_proj), "projector" (multi_modal_projector
// linear_1/linear_2), "vision" (every vision encoder q/k/v/out_proj, fc1,
// fc2), "lm_head" (the vocabulary projection; absent when tied). The
// default is the decoder's seven.
//
// An adapter folder holds adapter_config.json {"r", "lora_alpha",
// "lora_dropout", "targets", "target_modules"} and adapter_model.safetensors
// with "<module>.lora_A.weight" / "<module>.lora_B.weight" (f32), module
// names being the released ones ("language_model.model.layers.0.self_attn.q_proj").
//
//   auto adapter = LoraAdapter::load(dir);          // at run time, e.g. --adapter DIR
//   mergeAdapter(*model, adapter);                   // W += (alpha/r)·B·A, in W's dtype
//
// Training (leopard-train finetune) binds the trainable A/B to the layers:
//   LoraBinding bind(*model, adapter);   // frozen W stays in its dtype
//   bind.refresh(dropoutGenerator);       // before each forward: W' = W + s·B·(A·mask)
//   ... backward, optimizer over adapter.parameters() ...
//   (the destructor puts the plain W back)
//
// Thread-safety: an adapter is a value; merge and bindings modify the model
// and need exclusive access to it.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "engine/model.h"
#include "engine/safetensors.h"

namespace leopard {

struct LoraConfig {
    int64_t rank = 8;
    double alpha = 16.0;
    double dropout = 0.0;
    std::vector<std::string> targets{"q", "k", "v", "o", "gate", "up", "down"};
    double scale() const { return alpha / static_cast<double>(rank); }
};

// Released names of the linear modules of `net` that `targets` select.
// Throws InputError for an unknown target name.
std::vector<std::string> loraTargetModules(const LeopardNet& net, const std::vector<std::string>& targets);

class LoraAdapter {
public:
    struct Pair {
        torch::Tensor a;   // [r, in]
        torch::Tensor b;   // [out, r]
    };

    // A fresh adapter for the target layers of `model`: A ~ N(0, 1/in)
    // (seeded), B = 0, so the adapted model starts equal to the base.
    static LoraAdapter create(const LeopardModel& model, const LoraConfig& config, uint64_t seed);
    // Throws InputError naming the file: missing or malformed config, a
    // missing A/B tensor, inconsistent ranks.
    static LoraAdapter load(const std::filesystem::path& dir);
    // adapter_config.json + adapter_model.safetensors, atomically.
    void save(const std::filesystem::path& dir) const;

    const LoraConfig& config() const { return config_; }
    const std::map<std::string, Pair>& layers() const { return layers_; }
    std::vector<torch::Tensor> parameters() const;
    NamedTensors namedTensors() const;

private:
    LoraConfig config_;
    std::map<std::string, Pair> layers_;
};

// W += (alpha/r)·B·A for every adapter layer (computed in f32, stored in
// W's dtype). Throws InputError when a layer is missing from the model or
// its shape differs (an adapter made for another model).
void mergeAdapter(LeopardModel& model, const LoraAdapter& adapter);

// Makes the adapted layers of `model` use W + s·B·A with autograd into A
// and B (see above). Non-copyable; restores the plain weights on destruction.
class LoraBinding {
public:
    LoraBinding(LeopardModel& model, const LoraAdapter& adapter);
    ~LoraBinding();
    LoraBinding(const LoraBinding&) = delete;
    LoraBinding& operator=(const LoraBinding&) = delete;

    // Recomputes the effective weights. With `dropout` > 0 and a generator,
    // LoRA dropout drops input features of the low-rank path: columns of A
    // are zeroed with probability p (scaled by 1/(1−p)), one mask per layer
    // and call — the input dropout of LoRA, shared across the positions of a
    // step (it must be, as the update is folded into the weight).
    void refresh(torch::Generator* dropoutGenerator);

private:
    struct Bound {
        std::shared_ptr<LinearImpl> layer;
        torch::Tensor base;
        LoraAdapter::Pair pair;
    };
    std::vector<Bound> bound_;
    double scale_, dropout_;
};

}  // namespace leopard
