// `leopard-train merge --model BASE --adapter DIR --out DIR`: a model folder
// with the LoRA update folded into the weights (W += (alpha/r)·B·A), in the
// base's dtype, with the base's tokenizer, prompt format and config.
#include <cstdio>

#include "util/command_line.h"
#include "trainer/model_folder.h"

namespace {

leopard::cli::Registrar reg("merge", 50, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("merge", "Merge a LoRA adapter into its base model, writing a model folder");
    static std::string model, adapter, out;
    cmd->add_option("--model", model, "Base model folder")->required();
    cmd->add_option("--adapter", adapter, "Adapter folder (adapter_config.json + adapter_model.safetensors)")->required();
    cmd->add_option("--out", out, "Merged model folder to write")->required();
    cmd->callback([] {
        leopard::training::writeMergedModelFolder(model, adapter, out);
        std::printf("merged %s + %s → %s\n", model.c_str(), adapter.c_str(), out.c_str());
    });
});

}  // namespace
