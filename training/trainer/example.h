// One training sample made ready for the model with the app's own code: the
// images read (imaging/png_io.h) and tiled (imaging/tiles.h, the inference
// tiling), the conversation laid out by text/prompt.h's training builder
// (answer-only loss mask), and the masked next-token loss over the expanded
// sequence (each image placeholder stands for K = tokensPerTile positions).
//
//   ExampleBuilder builder(tokenizer, format, config, tileBudget);
//   PreparedExample ex = builder.prepare(sample);           // CPU, no model
//   auto [sumCE, count] = maskedLoss(model, ex);             // differentiable
//   (sumCE / totalMaskedTokensOfTheBatch).backward();
//
// Thread-safety: ExampleBuilder is immutable after construction and prepare()
// may run on several threads; it borrows the tokenizer.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "data/dataset.h"
#include "engine/model.h"
#include "text/prompt.h"

namespace leopard::training {

struct PreparedExample {
    std::vector<int64_t> ids;      // prompt + answers, with image placeholders
    std::vector<uint8_t> lossMask; // 1 where ids[i] is a target (assistant text and its end of turn)
    torch::Tensor pixels;          // [tiles, 3, T, T] f32, or undefined without images
    int64_t maskedTokens = 0;      // Σ lossMask over ids[1..] (the shifted targets)
    // With the sample's glyph maps: [tiles, patches] i64 labels (trainer/glyph_labels.h);
    // undefined otherwise.
    torch::Tensor patchLabels;
};

class ExampleBuilder {
public:
    ExampleBuilder(const text::Tokenizer& tokenizer, const text::PromptFormat& format, const ModelConfig& config,
                   int tileBudget);
    // Throws InputError naming the sample's file:line for unreadable images,
    // an empty answer or a conversation the prompt builder rejects.
    PreparedExample prepare(const TrainSample& sample) const;
    const text::PromptBuilder& promptBuilder() const { return prompt_; }

private:
    text::PromptBuilder prompt_;
    int tileSize_;
    int patchSize_;
    int tileBudget_;
};

// Σ CE over the masked targets (a 0-dim f32 tensor with grad) and their count.
// The prediction for ids[i] is the logit row of the last expanded position of
// ids[i-1]. Runs vision, projector and decoder of `model` with autograd on.
// With a glyph head (vision hidden → 256 byte classes) and the example's
// patch labels, also Σ CE of the head over every patch of every tile.
struct LossSum {
    torch::Tensor sum;
    int64_t count = 0;
    torch::Tensor glyphSum;   // undefined without head or labels
    int64_t glyphCount = 0;
};
LossSum maskedLoss(const LeopardModel& model, const PreparedExample& example,
                   const torch::nn::Linear* glyphHead = nullptr);

}  // namespace leopard::training
