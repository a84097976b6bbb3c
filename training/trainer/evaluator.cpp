#include "trainer/evaluator.h"

#include <cstdio>

#include "engine/session.h"
#include "imaging/png_io.h"
#include "imaging/tiles.h"
#include "text/eval_metrics.h"
#include "util/atomic_file.h"

namespace leopard::training {

nlohmann::json EvalReport::toJson() const {
    auto score = [](const CategoryScore& s) {
        return nlohmann::json{{"count", s.count},
                              {"correct", s.correct},
                              {"accuracy", s.accuracy()},
                              {"anls", s.count ? s.anlsSum / s.count : 0.0}};
    };
    nlohmann::json j;
    j["overall"] = score(overall);
    for (const auto& [name, s] : categories) j["categories"][name] = score(s);
    for (const auto& p : predictions)
        j["predictions"].push_back({{"id", p.id}, {"category", p.category}, {"response", p.response}, {"correct", p.correct}});
    return j;
}

std::string EvalReport::toMarkdown() const {
    std::string md = "| category | samples | accuracy | ANLS |\n|---|---:|---:|---:|\n";
    char row[256];
    auto add = [&](const std::string& name, const CategoryScore& s) {
        std::snprintf(row, sizeof row, "| %s | %d | %.1f %% | %.3f |\n", name.c_str(), s.count, 100.0 * s.accuracy(),
                      s.count ? s.anlsSum / s.count : 0.0);
        md += row;
    };
    for (const auto& [name, s] : categories) add(name, s);
    add("**overall**", overall);
    return md;
}

EvalReport evaluate(std::shared_ptr<const LeopardModel> model, const text::Tokenizer& tokenizer,
                    const text::PromptFormat& format, const std::vector<EvalSample>& samples,
                    const EvalOptions& options) {
    torch::NoGradGuard noGrad;
    const text::PromptBuilder builder(tokenizer, format, static_cast<int32_t>(model->config().image_token_index));
    const int tileSize = static_cast<int>(model->config().vision.image_size);
    const auto eot = tokenizer.tokenToId(format.endOfTurn);
    EvalReport out;
    InferenceSession session(model);
    for (size_t i = 0; i < samples.size(); ++i) {
        const auto& s = samples[i];
        report(options.progress, {"evaluating", static_cast<int64_t>(i), static_cast<int64_t>(samples.size()), s.id});
        std::vector<imaging::ImageRGB> images;
        for (const auto& path : s.images) images.push_back(imaging::readPng(path));
        const bool mc = s.quesType == "multiple-choice";
        std::vector<int> tilesPerImage;
        torch::Tensor pixels;
        if (!images.empty()) {
            const auto batch = imaging::prepareTiles(images, tileSize, options.tileBudget);
            tilesPerImage = batch.tilesPerImage;
            pixels = torch::from_blob(const_cast<float*>(batch.data.data()), {batch.count, 3, tileSize, tileSize},
                                      torch::kFloat)
                         .clone();
        }
        const auto ids32 = builder.build({}, {s.question, s.options}, tilesPerImage,
                                         mc ? text::Instruction::DirectMultipleChoice : text::Instruction::DirectOpen);
        session.reset();
        GenerationOptions g;
        g.maxNewTokens = options.maxNewTokens;
        if (eot) g.stopIds.push_back(*eot);
        const auto result = session.generate(std::vector<int64_t>(ids32.begin(), ids32.end()),
                                             pixels.defined() ? pixelTiles(model, pixels, {}) : TileFeatureFn{}, g);
        const std::vector<int32_t> generated(result.tokens.begin(), result.tokens.end());
        const std::string response = tokenizer.decode(generated, /*skipSpecialTokens=*/true);

        EvalPrediction p{s.id, s.category.empty() ? "uncategorized" : s.category, response, false};
        if (mc) {
            p.correct = text::evalMultipleChoice(s.answers, text::parseMultipleChoice(response, s.options));
        } else {
            p.correct = text::openAnswerCorrect(s.answers, response);
        }
        const double anls = text::anls(s.answers, response);
        for (CategoryScore* score : {&out.categories[p.category], &out.overall}) {
            ++score->count;
            score->correct += p.correct;
            score->anlsSum += anls;
        }
        out.predictions.push_back(std::move(p));
    }
    report(options.progress, {"evaluating", static_cast<int64_t>(samples.size()),
                              static_cast<int64_t>(samples.size()), {}});
    return out;
}

void writeEvalReport(const std::filesystem::path& dir, const EvalReport& report, const nlohmann::json& extra) {
    auto j = report.toJson();
    if (!extra.is_null()) j["run"] = extra;
    writeFileAtomically(dir / "eval_report.json", j.dump(2) + "\n");
    writeFileAtomically(dir / "eval_report.md", "# Evaluation\n\n" + report.toMarkdown());
}

}  // namespace leopard::training
