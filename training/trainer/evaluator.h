// Accuracy of a model on reference-shaped eval samples (LEOPARD.md §8)
// through the app's own inference path: imaging/tiles.h, text/prompt.h with
// the reference's direct-answer instructions, engine/session.h greedy
// generation, and text/eval_metrics.h scoring (multiple-choice letter
// parsing, open answers with number normalization; ANLS reported beside).
//
//   EvalReport r = evaluate(model, *tokenizer, format, samples, {.maxNewTokens = 16});
//   writeEvalReport(dir, r);   // eval_report.json + eval_report.md
//
// Thread-safety: evaluate() only reads the model (one session per call).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "engine/model.h"
#include "text/prompt.h"
#include "util/progress.h"

namespace leopard::training {

struct EvalOptions {
    int64_t maxNewTokens = 32;
    int tileBudget = 50;
    ProgressCallback progress;   // stage "evaluating", per sample
};

struct CategoryScore {
    int count = 0;
    int correct = 0;      // by the reference metric (letter / open answer)
    double anlsSum = 0;
    double accuracy() const { return count ? static_cast<double>(correct) / count : 0.0; }
};

struct EvalPrediction {
    std::string id, category, response;
    bool correct = false;
};

struct EvalReport {
    std::map<std::string, CategoryScore> categories;
    CategoryScore overall;
    std::vector<EvalPrediction> predictions;
    nlohmann::json toJson() const;
    std::string toMarkdown() const;   // the per-category and overall table
};

EvalReport evaluate(std::shared_ptr<const LeopardModel> model, const text::Tokenizer& tokenizer,
                    const text::PromptFormat& format, const std::vector<EvalSample>& samples,
                    const EvalOptions& options);

// eval_report.json and eval_report.md in `dir` (atomically).
void writeEvalReport(const std::filesystem::path& dir, const EvalReport& report, const nlohmann::json& extra = {});

}  // namespace leopard::training
