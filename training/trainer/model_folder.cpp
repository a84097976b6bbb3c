#include "trainer/model_folder.h"

#include <fstream>
#include <sstream>

#include "engine/checkpoint.h"
#include "engine/lora.h"
#include "engine/safetensors.h"
#include "util/atomic_file.h"
#include "util/errors.h"

namespace leopard::training {

text::PromptFormat smallModelPromptFormat() {
    text::PromptFormat f;
    f.bos = "<|begin_of_text|>";
    f.userHeader = "<|user|>";
    f.assistantHeader = "<|assistant|>";
    f.endOfTurn = "<|eot_id|>";
    f.imageBegin = "<|image_begin|>";
    f.imageEnd = "<|image_end|>";
    f.imagePlaceholder = "<|image|>";
    return f;
}

void copyTokenizerFiles(const std::filesystem::path& from, const std::filesystem::path& to) {
    if (std::filesystem::equivalent(from, to)) return;
    bool any = false;
    for (const char* name : {"tokenizer.model", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) {
        const auto src = from / name;
        if (!std::filesystem::exists(src)) continue;
        std::ifstream in(src, std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        if (!in && !in.eof()) throw InputError(src.string(), "cannot read");
        writeFileAtomically(to / name, s.str());
        any = true;
    }
    if (!any) throw InputError(from.string(), "no tokenizer.model or tokenizer.json");
}

void writeModelFolder(const std::filesystem::path& dir, const LeopardModel& model, const text::PromptFormat& format,
                      const std::filesystem::path& tokenizerDir, std::optional<c10::ScalarType> dtype) {
    std::filesystem::create_directories(dir);
    ModelConfig config = model.config();
    const auto stored = dtype.value_or(model.placement().dtype);
    config.torch_dtype = stored == c10::kBFloat16 ? "bfloat16" : stored == c10::kHalf ? "float16" : "float32";
    auto j = toJson(config);
    j["leopard_prompt"] = {{"bos", format.bos},
                           {"user_header", format.userHeader},
                           {"assistant_header", format.assistantHeader},
                           {"end_of_turn", format.endOfTurn},
                           {"image_begin", format.imageBegin},
                           {"image_end", format.imageEnd},
                           {"image_placeholder", format.imagePlaceholder}};
    writeSafetensors(dir / "model.safetensors", namedWeights(model.net(), dtype), {{"format", "pt"}});
    nlohmann::json gen = {{"eos_token_id", config.stopTokenIds()}, {"do_sample", false}};
    gen["max_new_tokens"] = config.generation && config.generation->max_new_tokens ? *config.generation->max_new_tokens
                                                                                   : 64;
    writeFileAtomically(dir / "generation_config.json", gen.dump(2) + "\n");
    if (!tokenizerDir.empty()) copyTokenizerFiles(tokenizerDir, dir);
    // config.json last: a folder with a config.json is complete.
    writeFileAtomically(dir / "config.json", j.dump(2) + "\n");
}

void writeMergedModelFolder(const std::filesystem::path& baseDir, const std::filesystem::path& adapterDir,
                            const std::filesystem::path& out) {
    // Keep the base's stored dtype: merging never widens the checkpoint.
    const Checkpoint ckpt(baseDir);
    const auto names = ckpt.names();
    const auto dtype = names.empty() ? c10::kFloat : ckpt.info(names.front()).dtype;
    auto model = LeopardModel::load(baseDir, {c10::Device(c10::kCPU), dtype, {}});
    mergeAdapter(*model, LoraAdapter::load(adapterDir));
    writeModelFolder(out, *model, text::PromptFormat::fromModelDir(baseDir), baseDir);
}

}  // namespace leopard::training
