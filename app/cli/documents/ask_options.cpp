#include "documents/ask_options.h"

#include "util/errors.h"

namespace leopard::cli {

const char* const kExitCodesHelp =
    "Exit codes: 0 answered (also when some files were left out: see the warnings), "
    "1 internal error, 2 bad input (empty question, no files, no file readable, model folder "
    "without weights or tokenizer, budget <= 0, pages out of range, notes or session path not "
    "writable), 130 interrupted (Ctrl-C; the partial answer is kept).";

void addAskOptions(CLI::App* cmd, AskCommandLine& o) {
    // --pages belongs to the file before it, so the number of files already
    // parsed is recorded when it is seen (CLI11 parses in command-line order).
    auto* files = cmd->add_option("files", o.files,
                                  "PDFs, slide decks, office documents, images (any mix, in order)");
    cmd->add_option_function<std::string>(
           "--pages",
           [&o, files](const std::string& spec) { o.pageSpecs.emplace_back(files->results().size(), spec); },
           "Pages like 1-3,7 or 5- for the FILE before it; before the first FILE: for all files")
        ->trigger_on_parse()
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    cmd->add_option("-q,--question", o.question, "The question (UTF-8)")->each([&o](const std::string&) {
        o.questionGiven = true;
    });
    cmd->add_option("--model", o.model,
                    "Model folder (default: $LEOPARD_MODEL, then the settings file, then the bundled model)");
    cmd->add_option("--device", o.device, "auto, cpu, cuda, cuda:N")->capture_default_str();
    cmd->add_option("--dtype", o.dtype, "auto, f32, bf16, f16")->capture_default_str();
    cmd->add_option("--threads", o.threads, "CPU threads (default: $LEOPARD_THREADS or all cores)");
    cmd->add_option("--budget", o.budget, "Tiles per question, global views included")->capture_default_str();
    cmd->add_flag("--take-first-pages", o.takeFirstPages,
                  "When the pages exceed the budget even at one tile each, use the first pages that fit "
                  "(and say which) instead of stopping");
    cmd->add_option("--instruction", o.instruction, "none (free answer), direct (a word or phrase), cot")
        ->check(CLI::IsMember({"none", "direct", "cot"}))
        ->capture_default_str();
    cmd->add_option("--max-new-tokens", o.maxNewTokens,
                    "Answer length limit (default: the model's generation_config.json, else 512)");
    cmd->add_option("--temperature", o.temperature, "Sample with this temperature (default 0: greedy)");
    cmd->add_option("--top-k", o.topK, "Sample from the k most likely tokens");
    cmd->add_option("--top-p", o.topP, "Sample from the smallest set with this probability");
    cmd->add_option("--seed", o.seed, "Random seed for sampling");
    cmd->add_flag("--ignore-eos", o.ignoreEos, "Generate through end tokens up to --max-new-tokens (benchmarks)");
    cmd->add_flag("--json", o.json, "Print one JSON object (answer, sources, timings, model) instead of streaming");
    cmd->add_flag("--print-prompt", o.printPrompt, "Print the prompt the model would get and stop (no model run)");
    cmd->add_option("--notes", o.notes, "Append question, answer, sources and page thumbnails to FILE.md or FILE.json(l)");
    cmd->add_option("--session", o.session, "Keep the conversation in FILE.json; a later call continues it");
    cmd->footer(kExitCodesHelp);
}

std::vector<SourceSelection> sourcesFrom(const AskCommandLine& o, const std::string& defaultPages) {
    std::string all = defaultPages;
    std::vector<std::string> perFile(o.files.size());
    std::vector<bool> set(o.files.size(), false);
    for (const auto& [before, spec] : o.pageSpecs) {
        if (before == 0) {
            all = spec;
            continue;
        }
        if (set[before - 1]) throw InputError(o.files[before - 1], "--pages given twice");
        perFile[before - 1] = spec;
        set[before - 1] = true;
    }
    std::vector<SourceSelection> sources;
    for (size_t i = 0; i < o.files.size(); ++i)
        sources.push_back({QString::fromStdString(o.files[i]), set[i] ? perFile[i] : all});
    return sources;
}

AskOptions askOptionsFrom(const AskCommandLine& o) {
    AskOptions a;
    a.tileBudget = o.budget;
    if (o.instruction == "none") a.style = AnswerStyle::Free;
    else if (o.instruction == "direct") a.style = AnswerStyle::Direct;
    else if (o.instruction == "cot") a.style = AnswerStyle::Cot;
    else throw InputError("--instruction", "unknown style " + o.instruction);
    a.maxNewTokens = o.maxNewTokens;
    a.temperature = o.temperature;
    a.topK = o.topK;
    a.topP = o.topP;
    a.seed = o.seed;
    a.ignoreEndOfTurn = o.ignoreEos;
    a.takeFirstPages = o.takeFirstPages;
    return a;
}

}  // namespace leopard::cli
