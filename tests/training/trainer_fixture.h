// Shared set-up of the trainer tests: a small synthetic dataset (rendered
// once per test process by leopard::synth with fixed seeds), a byte-level
// vocabulary, a tiny model config and a training config.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>

#include "data/dataset.h"
#include "engine/model.h"
#include "text/tokenizer_factory.h"
#include "trainer/model_folder.h"
#include "synth/dataset_writer.h"
#include "synth/qt_app.h"
#include "test_paths.h"
#include "trainer/train_config.h"
#include "trainer/vocabulary.h"

namespace leopard::test {

struct TinyTrainingData {
    std::shared_ptr<TempDir> dir = std::make_shared<TempDir>();   // shared: the struct is returned by value
    std::filesystem::path train, eval, vocab, modelConfig;
};

inline void writeTinyModelConfig(const std::filesystem::path& file) {
    std::ofstream(file) << R"({
  "architectures": ["LlavaForConditionalGeneration"], "image_token_index": 9, "projector_hidden_act": "gelu",
  "vision_config": {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1, "num_attention_heads": 2,
                    "image_size": 32, "patch_size": 8, "layer_norm_eps": 1e-6, "hidden_act": "gelu_pytorch_tanh"},
  "text_config": {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
                  "num_key_value_heads": 2, "vocab_size": 263, "max_position_embeddings": 4096, "rope_theta": 10000.0}
})";
}

// Renders synth data: `trainCount` train samples (seed 7) and `evalCount`
// eval samples (seed 8) of `categories` (empty: all), the byte-level
// vocabulary and the tiny model config.
inline TinyTrainingData makeTinyTrainingData(int trainCount, int evalCount,
                                             std::vector<synth::Category> categories = {}) {
    synth::ensureGuiApplication();
    TinyTrainingData d;
    synth::SynthOptions o;
    o.categories = categories;
    o.canvas.minSide = 160;
    o.canvas.maxSide = 200;
    o.outDir = *d.dir / "train";
    o.seed = 7;
    o.trainCount = trainCount;
    synth::writeSynthDataset(o);
    o.outDir = *d.dir / "eval";
    o.seed = 8;
    o.trainCount = 0;
    o.evalCount = evalCount;
    synth::writeSynthDataset(o);
    d.train = *d.dir / "train" / "train.jsonl";
    d.eval = *d.dir / "eval" / "eval.jsonl";
    d.vocab = *d.dir / "vocab";
    training::writeByteLevelVocabulary(d.vocab);   // SentencePiece cannot run beside LibTorch (vocabulary.h)
    d.modelConfig = *d.dir / "model_config.json";
    writeTinyModelConfig(d.modelConfig);
    return d;
}

// The tiny model of `d` with random weights (seed 1), its vocabulary sized
// and its image token set from the byte-level tokenizer.
struct TinyModel {
    std::unique_ptr<text::Tokenizer> tokenizer;
    text::PromptFormat format;
    std::shared_ptr<LeopardModel> model;
};

inline TinyModel makeTinyModel(const TinyTrainingData& d) {
    TinyModel m;
    m.tokenizer = text::loadTokenizer(d.vocab);
    m.format = training::smallModelPromptFormat();
    auto mc = loadModelConfigFile(d.modelConfig);
    mc.text.vocab_size = m.tokenizer->vocabSize();
    mc.image_token_index = *m.tokenizer->tokenToId(m.format.imagePlaceholder);
    m.model = LeopardModel::create(mc, {});
    m.model->initializeRandom(1);
    return m;
}

inline training::TrainConfig tinyTrainConfig(const TinyTrainingData& d, const std::filesystem::path& out) {
    training::TrainConfig c;
    c.modelConfig = d.modelConfig;
    c.tokenizer = d.vocab;
    c.trainData = d.train;
    c.out = out;
    c.steps = 12;
    c.batchSize = 4;
    c.lr = 3e-3;
    c.minLr = 3e-4;
    c.warmupSteps = 2;
    c.seed = 3;
    c.tileBudget = 12;
    c.logEvery = 1;
    c.maxNewTokens = 6;
    return c;
}

}  // namespace leopard::test
