// `leopard-cli eval --model DIR --data FILE.jsonl [--adapter DIR] [--json]`:
// accuracy of a model folder on a reference-shaped eval file (LEOPARD.md
// §8: images_path, question, answers, ques_type, options, category), with
// the reference metrics (text/eval_metrics.h) in a per-category and overall
// table. The evaluation itself is leopard-train's (training/trainer/
// evaluator.h: the app's tiling, prompt and generation code), so training
// reports and this command always agree.
#include <cstdio>

#include "util/command_line.h"
#include "engine/lora.h"
#include "text/tokenizer_factory.h"
#include "trainer/evaluator.h"

namespace {

leopard::cli::Registrar reg("eval", 60, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("eval", "Evaluate a model on an eval JSONL file (per-category accuracy)");
    static std::string model, data, adapter;
    static bool json = false, skipBad = false;
    static int64_t maxNewTokens = 32;
    static int limit = 0;
    cmd->add_option("--model", model, "Model folder")->required();
    cmd->add_option("--data", data, "Eval JSONL (images_path, question, answers, ques_type, options)")->required();
    cmd->add_option("--adapter", adapter, "A LoRA adapter folder to apply on top of the model");
    cmd->add_option("--max-new-tokens", maxNewTokens, "Longest answer generated")->capture_default_str();
    cmd->add_option("--limit", limit, "Evaluate only the first N samples");
    cmd->add_flag("--skip-bad-lines", skipBad, "Skip malformed lines (reported on stderr) instead of stopping");
    cmd->add_flag("--json", json, "Print the report as JSON (with every prediction)");
    cmd->callback([] {
        namespace tr = leopard::training;
        tr::ReadReport report;
        auto samples = tr::readEvalJsonl(data, {skipBad ? tr::OnError::Skip : tr::OnError::Fail, true}, &report);
        for (const auto& p : report.problems) std::fprintf(stderr, "skipped %s\n", p.c_str());
        if (limit > 0 && static_cast<int>(samples.size()) > limit) samples.resize(static_cast<size_t>(limit));
        auto m = leopard::LeopardModel::load(model, {});
        if (!adapter.empty()) leopard::mergeAdapter(*m, leopard::LoraAdapter::load(adapter));
        const auto tok = leopard::text::loadTokenizer(model);
        tr::EvalOptions o;
        o.maxNewTokens = maxNewTokens;
        o.progress = [](const leopard::Progress& p) {
            std::fprintf(stderr, "\reval %lld/%lld", static_cast<long long>(p.done), static_cast<long long>(p.total));
            if (p.done == p.total) std::fputc('\n', stderr);
            return true;
        };
        const auto r = tr::evaluate(m, *tok, leopard::text::PromptFormat::fromModelDir(model), samples, o);
        if (json) std::printf("%s\n", r.toJson().dump(2).c_str());
        else std::printf("%s", r.toMarkdown().c_str());
    });
});

}  // namespace
