// Typed model configuration read from a model folder's config.json (LLaVA
// layout: vision_config + text_config + projector fields) and the optional
// generation_config.json. Every number that defines the Leopard model comes
// from here (LEOPARD.md §2); nothing in the engine hard-codes a shape.
//
//   leopard::ModelConfig cfg = leopard::loadModelConfig("/models/leopard");
//   int64_t perTile = cfg.tokensPerTile();   // 169 for the released model
//
// Plain value types: copy freely, safe to share read-only between threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace leopard {

// SigLIP vision tower (vision_config).
struct VisionConfig {
    int64_t hidden_size = 0;
    int64_t intermediate_size = 0;
    int64_t num_hidden_layers = 0;
    int64_t num_attention_heads = 0;
    int64_t image_size = 0;
    int64_t patch_size = 0;
    int64_t num_channels = 3;
    double layer_norm_eps = 1e-6;
    std::string hidden_act = "gelu_pytorch_tanh";

    int64_t gridSize() const { return image_size / patch_size; }      // patches per side
    int64_t numPatches() const { return gridSize() * gridSize(); }   // tokens per tile
    int64_t headDim() const { return hidden_size / num_attention_heads; }
};

// LLaMA-3 "llama3" rope_scaling (transformers `_compute_llama3_parameters`).
struct RopeScaling {
    std::string type = "llama3";
    double factor = 1.0;
    double low_freq_factor = 1.0;
    double high_freq_factor = 4.0;
    int64_t original_max_position_embeddings = 8192;
};

// LLaMA decoder (text_config).
struct TextConfig {
    int64_t hidden_size = 0;
    int64_t intermediate_size = 0;
    int64_t num_hidden_layers = 0;
    int64_t num_attention_heads = 0;
    int64_t num_key_value_heads = 0;   // defaults to num_attention_heads
    int64_t head_dim = 0;              // defaults to hidden_size / num_attention_heads
    double rms_norm_eps = 1e-5;
    double rope_theta = 10000.0;
    std::optional<RopeScaling> rope_scaling;
    int64_t vocab_size = 0;
    int64_t max_position_embeddings = 2048;
    std::string hidden_act = "silu";
    bool tie_word_embeddings = false;
    std::optional<int64_t> bos_token_id;
    std::vector<int64_t> eos_token_ids;   // config "eos_token_id": int or list
};

// generation_config.json (optional): only the fields the engine uses.
struct GenerationConfig {
    std::vector<int64_t> eos_token_ids;
    std::optional<int64_t> max_new_tokens;
    std::optional<bool> do_sample;
    std::optional<double> temperature;
    std::optional<int64_t> top_k;
    std::optional<double> top_p;
    std::optional<double> repetition_penalty;
};

struct ModelConfig {
    std::string architecture = "LlavaForConditionalGeneration";
    int64_t image_token_index = 0;
    std::string projector_hidden_act = "gelu";
    int64_t pixel_shuffle_factor = 2;   // config key leopard_pixel_shuffle_factor
    std::string torch_dtype = "float32";
    VisionConfig vision;
    TextConfig text;
    std::optional<GenerationConfig> generation;

    // Projected features each image placeholder token expands to.
    int64_t tokensPerTile() const {
        return vision.numPatches() / (pixel_shuffle_factor * pixel_shuffle_factor);
    }
    int64_t projectorInputSize() const {
        return vision.hidden_size * pixel_shuffle_factor * pixel_shuffle_factor;
    }
    // Union of the config's and generation_config's end-of-sequence ids.
    std::vector<int64_t> stopTokenIds() const;
};

// Parses a config.json object. `source` names the file in error messages.
// Throws InputError("<source>", "missing field text_config.hidden_size"),
// "unknown architecture …", or a violated invariant (see validate()).
ModelConfig parseModelConfig(const nlohmann::json& j, const std::string& source);

// Reads <dir>/config.json and, when present, <dir>/generation_config.json.
ModelConfig loadModelConfig(const std::filesystem::path& dir);

// Loads a config file by path (used for the named shapes of `bench`).
ModelConfig loadModelConfigFile(const std::filesystem::path& file);

// Checks the invariants between parts (projector input = factor² × vision
// width, image_token_index < vocab_size, heads divide widths, the patch grid
// divides by the shuffle factor). Throws InputError(source, reason).
void validate(const ModelConfig& c, const std::string& source);

// config.json content for a model written by leopard-train (LLaVA layout,
// readable by transformers and by parseModelConfig()).
nlohmann::json toJson(const ModelConfig& c);

}  // namespace leopard
