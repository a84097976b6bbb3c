#include "engine/config.h"

#include <algorithm>
#include <fstream>

#include "util/errors.h"

namespace leopard {

namespace {

using nlohmann::json;

// Field readers that name the dotted path of what is missing or mistyped.
class Reader {
public:
    Reader(const json& obj, std::string prefix, const std::string& source)
        : obj_(obj), prefix_(std::move(prefix)), source_(source) {}

    template <typename T>
    T required(const char* key) const {
        if (!obj_.contains(key) || obj_.at(key).is_null())
            throw InputError(source_, "missing field " + prefix_ + key);
        return get<T>(key);
    }
    template <typename T>
    T optional(const char* key, T fallback) const {
        if (!obj_.contains(key) || obj_.at(key).is_null()) return fallback;
        return get<T>(key);
    }
    template <typename T>
    std::optional<T> maybe(const char* key) const {
        if (!obj_.contains(key) || obj_.at(key).is_null()) return std::nullopt;
        return get<T>(key);
    }
    const json& object(const char* key) const {
        if (!obj_.contains(key) || !obj_.at(key).is_object())
            throw InputError(source_, "missing field " + prefix_ + key);
        return obj_.at(key);
    }
    // "eos_token_id": 7 or [7, 9]
    std::vector<int64_t> idList(const char* key) const {
        if (!obj_.contains(key) || obj_.at(key).is_null()) return {};
        const json& v = obj_.at(key);
        if (v.is_array()) return get<std::vector<int64_t>>(key);
        return {get<int64_t>(key)};
    }

private:
    template <typename T>
    T get(const char* key) const {
        try {
            return obj_.at(key).get<T>();
        } catch (const json::exception&) {
            throw InputError(source_, "field " + prefix_ + key + " has the wrong type");
        }
    }
    const json& obj_;
    std::string prefix_;
    const std::string& source_;
};

VisionConfig parseVision(const json& j, const std::string& source) {
    Reader r(j, "vision_config.", source);
    VisionConfig v;
    v.hidden_size = r.required<int64_t>("hidden_size");
    v.intermediate_size = r.required<int64_t>("intermediate_size");
    v.num_hidden_layers = r.required<int64_t>("num_hidden_layers");
    v.num_attention_heads = r.required<int64_t>("num_attention_heads");
    v.image_size = r.required<int64_t>("image_size");
    v.patch_size = r.required<int64_t>("patch_size");
    v.num_channels = r.optional<int64_t>("num_channels", 3);
    v.layer_norm_eps = r.optional<double>("layer_norm_eps", 1e-6);
    v.hidden_act = r.optional<std::string>("hidden_act", "gelu_pytorch_tanh");
    return v;
}

std::optional<RopeScaling> parseRopeScaling(const json& j, const std::string& source) {
    if (!j.contains("rope_scaling") || j.at("rope_scaling").is_null()) return std::nullopt;
    Reader r(j.at("rope_scaling"), "text_config.rope_scaling.", source);
    RopeScaling s;
    // transformers spells it "rope_type" now, "type" in older configs.
    s.type = r.optional<std::string>("rope_type", r.optional<std::string>("type", ""));
    if (s.type == "default") return std::nullopt;
    if (s.type != "llama3")
        throw InputError(source, "unsupported text_config.rope_scaling type '" + s.type + "' (supported: llama3)");
    s.factor = r.required<double>("factor");
    s.low_freq_factor = r.required<double>("low_freq_factor");
    s.high_freq_factor = r.required<double>("high_freq_factor");
    s.original_max_position_embeddings = r.required<int64_t>("original_max_position_embeddings");
    return s;
}

TextConfig parseText(const json& j, const std::string& source) {
    Reader r(j, "text_config.", source);
    TextConfig t;
    t.hidden_size = r.required<int64_t>("hidden_size");
    t.intermediate_size = r.required<int64_t>("intermediate_size");
    t.num_hidden_layers = r.required<int64_t>("num_hidden_layers");
    t.num_attention_heads = r.required<int64_t>("num_attention_heads");
    t.num_key_value_heads = r.optional<int64_t>("num_key_value_heads", t.num_attention_heads);
    if (t.num_attention_heads <= 0) throw InputError(source, "text_config.num_attention_heads must be positive");
    t.head_dim = r.optional<int64_t>("head_dim", t.hidden_size / t.num_attention_heads);
    t.rms_norm_eps = r.optional<double>("rms_norm_eps", 1e-5);
    t.rope_theta = r.optional<double>("rope_theta", 10000.0);
    t.rope_scaling = parseRopeScaling(j, source);
    t.vocab_size = r.required<int64_t>("vocab_size");
    t.max_position_embeddings = r.optional<int64_t>("max_position_embeddings", 2048);
    t.hidden_act = r.optional<std::string>("hidden_act", "silu");
    t.tie_word_embeddings = r.optional<bool>("tie_word_embeddings", false);
    t.bos_token_id = r.maybe<int64_t>("bos_token_id");
    t.eos_token_ids = r.idList("eos_token_id");
    return t;
}

GenerationConfig parseGeneration(const json& j, const std::string& source) {
    Reader r(j, "", source);
    GenerationConfig g;
    g.eos_token_ids = r.idList("eos_token_id");
    g.max_new_tokens = r.maybe<int64_t>("max_new_tokens");
    g.do_sample = r.maybe<bool>("do_sample");
    g.temperature = r.maybe<double>("temperature");
    g.top_k = r.maybe<int64_t>("top_k");
    g.top_p = r.maybe<double>("top_p");
    g.repetition_penalty = r.maybe<double>("repetition_penalty");
    return g;
}

json readJsonFile(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw InputError(file.string(), "cannot open");
    try {
        return json::parse(in);
    } catch (const json::exception& e) {
        throw InputError(file.string(), std::string("malformed JSON: ") + e.what());
    }
}

void require(bool ok, const std::string& source, const std::string& reason) {
    if (!ok) throw InputError(source, reason);
}

}  // namespace

std::vector<int64_t> ModelConfig::stopTokenIds() const {
    std::vector<int64_t> ids = text.eos_token_ids;
    if (generation)
        for (int64_t id : generation->eos_token_ids)
            if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    return ids;
}

ModelConfig parseModelConfig(const json& j, const std::string& source) {
    if (!j.is_object()) throw InputError(source, "expected a JSON object");
    Reader r(j, "", source);
    ModelConfig c;
    const auto archs = r.optional<std::vector<std::string>>("architectures", {});
    if (archs.empty()) throw InputError(source, "missing field architectures");
    if (archs.front() != "LlavaForConditionalGeneration")
        throw InputError(source, "unknown architecture '" + archs.front() +
                                     "' (supported: LlavaForConditionalGeneration)");
    c.architecture = archs.front();
    c.image_token_index = r.required<int64_t>("image_token_index");
    c.projector_hidden_act = r.optional<std::string>("projector_hidden_act", "gelu");
    c.pixel_shuffle_factor = r.optional<int64_t>("leopard_pixel_shuffle_factor", 2);
    c.torch_dtype = r.optional<std::string>("torch_dtype", "float32");
    c.vision = parseVision(r.object("vision_config"), source);
    c.text = parseText(r.object("text_config"), source);
    validate(c, source);
    return c;
}

void validate(const ModelConfig& c, const std::string& source) {
    const VisionConfig& v = c.vision;
    const TextConfig& t = c.text;
    auto positive = [&](int64_t x, const char* name) { require(x > 0, source, std::string(name) + " must be positive"); };
    positive(v.hidden_size, "vision_config.hidden_size");
    positive(v.intermediate_size, "vision_config.intermediate_size");
    positive(v.num_hidden_layers, "vision_config.num_hidden_layers");
    positive(v.num_attention_heads, "vision_config.num_attention_heads");
    positive(v.image_size, "vision_config.image_size");
    positive(v.patch_size, "vision_config.patch_size");
    positive(v.num_channels, "vision_config.num_channels");
    positive(t.hidden_size, "text_config.hidden_size");
    positive(t.intermediate_size, "text_config.intermediate_size");
    positive(t.num_hidden_layers, "text_config.num_hidden_layers");
    positive(t.num_key_value_heads, "text_config.num_key_value_heads");
    positive(t.head_dim, "text_config.head_dim");
    positive(t.vocab_size, "text_config.vocab_size");
    positive(c.pixel_shuffle_factor, "leopard_pixel_shuffle_factor");
    require(v.hidden_size % v.num_attention_heads == 0, source,
            "vision_config.hidden_size is not divisible by num_attention_heads");
    require(v.image_size % v.patch_size == 0, source, "vision_config.image_size is not divisible by patch_size");
    require(v.gridSize() % c.pixel_shuffle_factor == 0, source,
            "the patch grid (" + std::to_string(v.gridSize()) + ") is not divisible by the pixel shuffle factor " +
                std::to_string(c.pixel_shuffle_factor));
    require(t.hidden_size % t.num_attention_heads == 0, source,
            "text_config.hidden_size is not divisible by num_attention_heads");
    require(t.num_attention_heads % t.num_key_value_heads == 0, source,
            "text_config.num_attention_heads is not divisible by num_key_value_heads");
    require(t.head_dim % 2 == 0, source, "text_config.head_dim must be even for rotary embeddings");
    require(c.image_token_index >= 0 && c.image_token_index < t.vocab_size, source,
            "image_token_index " + std::to_string(c.image_token_index) + " is outside the vocabulary (" +
                std::to_string(t.vocab_size) + ")");
    if (t.rope_scaling) {
        const RopeScaling& s = *t.rope_scaling;
        require(s.factor > 0 && s.low_freq_factor > 0 && s.high_freq_factor > s.low_freq_factor &&
                    s.original_max_position_embeddings > 0,
                source, "text_config.rope_scaling has out-of-range values");
    }
}

ModelConfig loadModelConfigFile(const std::filesystem::path& file) {
    return parseModelConfig(readJsonFile(file), file.string());
}

ModelConfig loadModelConfig(const std::filesystem::path& dir) {
    const auto file = dir / "config.json";
    if (!std::filesystem::exists(file)) throw InputError(file.string(), "not found (is this a model folder?)");
    ModelConfig c = loadModelConfigFile(file);
    const auto gen = dir / "generation_config.json";
    if (std::filesystem::exists(gen)) c.generation = parseGeneration(readJsonFile(gen), gen.string());
    return c;
}

nlohmann::json toJson(const ModelConfig& c) {
    json v = {
        {"model_type", "siglip_vision_model"},
        {"hidden_size", c.vision.hidden_size},
        {"intermediate_size", c.vision.intermediate_size},
        {"num_hidden_layers", c.vision.num_hidden_layers},
        {"num_attention_heads", c.vision.num_attention_heads},
        {"image_size", c.vision.image_size},
        {"patch_size", c.vision.patch_size},
        {"num_channels", c.vision.num_channels},
        {"layer_norm_eps", c.vision.layer_norm_eps},
        {"hidden_act", c.vision.hidden_act},
    };
    const TextConfig& t = c.text;
    json tj = {
        {"model_type", "llama"},
        {"hidden_size", t.hidden_size},
        {"intermediate_size", t.intermediate_size},
        {"num_hidden_layers", t.num_hidden_layers},
        {"num_attention_heads", t.num_attention_heads},
        {"num_key_value_heads", t.num_key_value_heads},
        {"head_dim", t.head_dim},
        {"rms_norm_eps", t.rms_norm_eps},
        {"rope_theta", t.rope_theta},
        {"vocab_size", t.vocab_size},
        {"max_position_embeddings", t.max_position_embeddings},
        {"hidden_act", t.hidden_act},
        {"tie_word_embeddings", t.tie_word_embeddings},
    };
    if (t.bos_token_id) tj["bos_token_id"] = *t.bos_token_id;
    if (t.eos_token_ids.size() == 1) tj["eos_token_id"] = t.eos_token_ids.front();
    else if (!t.eos_token_ids.empty()) tj["eos_token_id"] = t.eos_token_ids;
    if (t.rope_scaling) {
        const RopeScaling& s = *t.rope_scaling;
        tj["rope_scaling"] = {{"rope_type", s.type},
                              {"factor", s.factor},
                              {"low_freq_factor", s.low_freq_factor},
                              {"high_freq_factor", s.high_freq_factor},
                              {"original_max_position_embeddings", s.original_max_position_embeddings}};
    }
    return json{
        {"architectures", {c.architecture}},
        {"model_type", "llava"},
        {"image_token_index", c.image_token_index},
        {"projector_hidden_act", c.projector_hidden_act},
        {"leopard_pixel_shuffle_factor", c.pixel_shuffle_factor},
        {"torch_dtype", c.torch_dtype},
        {"vision_config", v},
        {"text_config", tj},
    };
}

}  // namespace leopard
