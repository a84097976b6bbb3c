#include "trainer/example.h"

#include <cstring>

#include "imaging/png_io.h"
#include "imaging/tiles.h"
#include "trainer/glyph_labels.h"
#include "util/errors.h"

namespace leopard::training {

ExampleBuilder::ExampleBuilder(const text::Tokenizer& tokenizer, const text::PromptFormat& format,
                               const ModelConfig& config, int tileBudget)
    : prompt_(tokenizer, format, static_cast<int32_t>(config.image_token_index)),
      tileSize_(static_cast<int>(config.vision.image_size)),
      patchSize_(static_cast<int>(config.vision.patch_size)),
      tileBudget_(tileBudget) {}

PreparedExample ExampleBuilder::prepare(const TrainSample& sample) const {
    const std::string where = "line " + std::to_string(sample.line) + (sample.id.empty() ? "" : " (" + sample.id + ")");
    std::vector<imaging::ImageRGB> images;
    images.reserve(sample.images.size());
    for (const auto& path : sample.images) images.push_back(imaging::readPng(path));

    std::vector<text::Message> conversation;
    for (const auto& turn : sample.turns) {
        const bool assistant = turn.from == "gpt";
        if (assistant && turn.value.find_first_not_of(" \t\r\n") == std::string::npos)
            throw InputError(where, "empty answer");
        conversation.push_back({assistant ? text::Message::Role::Assistant : text::Message::Role::User, turn.value});
    }

    PreparedExample ex;
    std::vector<int> tilesPerImage;
    if (!images.empty()) {
        const auto batch = imaging::prepareTiles(images, tileSize_, tileBudget_);
        tilesPerImage = batch.tilesPerImage;
        // A plain copy, not clone(): prepare() runs on short-lived threads,
        // and a LibTorch op there may open an OpenMP team per thread (on a
        // 16-core GPU machine thousands of such threads were counted).
        ex.pixels = torch::empty({batch.count, 3, tileSize_, tileSize_}, torch::kFloat);
        std::memcpy(ex.pixels.data_ptr<float>(), batch.data.data(), batch.data.size() * sizeof(float));
        if (!sample.glyphMaps.empty()) {
            std::vector<int64_t> labels;
            for (size_t i = 0; i < images.size(); ++i) {
                const auto l = glyphPatchLabels(imaging::readPng(sample.glyphMaps[i]), batch.plan.images[i],
                                                tileSize_, patchSize_);
                labels.insert(labels.end(), l.begin(), l.end());
            }
            ex.patchLabels = torch::empty({batch.count, static_cast<int64_t>(labels.size()) / batch.count}, torch::kLong);
            std::memcpy(ex.patchLabels.data_ptr<int64_t>(), labels.data(), labels.size() * sizeof(int64_t));
        }
    }
    const auto built = prompt_.buildTrainingExample(conversation, tilesPerImage);
    ex.ids.assign(built.ids.begin(), built.ids.end());
    ex.lossMask = built.lossMask;
    for (size_t i = 1; i < ex.lossMask.size(); ++i) ex.maskedTokens += ex.lossMask[i];
    if (ex.maskedTokens == 0) throw InputError(where, "no answer tokens to train on");
    return ex;
}

LossSum maskedLoss(const LeopardModel& model, const PreparedExample& ex, const torch::nn::Linear* glyphHead) {
    torch::Tensor features, glyphSum;
    int64_t glyphCount = 0;
    if (ex.pixels.defined()) {
        const auto vision = model.encodeVision(ex.pixels);   // [tiles, patches, Dv]
        features = model.project(vision);
        if (glyphHead && ex.patchLabels.defined()) {
            const auto logits = glyphHead->ptr()->forward(vision.reshape({-1, vision.size(-1)})).to(torch::kFloat);
            const auto labels = ex.patchLabels.reshape({-1}).to(logits.device());
            glyphSum = torch::nn::functional::cross_entropy(
                logits, labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
            glyphCount = labels.numel();
        }
    }
    const auto embeds = model.embedWithImages(ex.ids, features);
    const auto hidden = model.decode(embeds, 0, nullptr);   // [T_expanded, D]

    // Expanded start of each id, then the rows that predict the masked ids.
    const int64_t k = model.config().tokensPerTile();
    const int64_t image = model.config().image_token_index;
    std::vector<int64_t> rows, targets;
    int64_t pos = 0;
    for (size_t i = 0; i < ex.ids.size(); ++i) {
        if (i > 0 && ex.lossMask[i]) {
            rows.push_back(pos - 1);
            targets.push_back(ex.ids[i]);
        }
        pos += ex.ids[i] == image ? k : 1;
    }
    const auto dev = hidden.device();
    const auto rowIdx = torch::tensor(rows, torch::kLong).to(dev);
    const auto logits = model.logits(hidden.index_select(0, rowIdx)).to(torch::kFloat);
    const auto sum = torch::nn::functional::cross_entropy(
        logits, torch::tensor(targets, torch::kLong).to(dev),
        torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
    return {sum, static_cast<int64_t>(targets.size()), glyphSum, glyphCount};
}

}  // namespace leopard::training
