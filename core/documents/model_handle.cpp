#include "documents/model_handle.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/model.h"
#include "engine/runtime.h"
#include "text/prompt.h"
#include "text/tokenizer_factory.h"
#include "util/errors.h"

namespace leopard {
namespace fs = std::filesystem;

struct ModelHandle::Parts {
    std::shared_ptr<const LeopardModel> model;
    std::unique_ptr<text::Tokenizer> tokenizer;
    std::unique_ptr<text::PromptBuilder> builder;
    imaging::Normalization normalization;
    ModelInfo info;
};

namespace {

imaging::Normalization readNormalization(const fs::path& dir) {
    const fs::path file = dir / "preprocessor_config.json";
    std::error_code ec;
    if (!fs::exists(file, ec)) return {};
    std::ifstream in(file);
    try {
        return imaging::Normalization::fromPreprocessorConfig(nlohmann::json::parse(in));
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file.string(), std::string("malformed JSON: ") + e.what());
    }
}

}  // namespace

std::shared_ptr<const ModelHandle> ModelHandle::load(const fs::path& dir, const Options& options) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw InputError(dir.string(), "model folder does not exist");
    options.cancel.throwIfCancelled();

    auto parts = std::make_unique<Parts>();
    // The tokenizer and config first: they are small, and a folder missing
    // them should fail before gigabytes of weights are read.
    parts->tokenizer = text::loadTokenizer(dir);
    const ModelConfig config = loadModelConfig(dir);
    parts->tokenizer->setModelVocabSize(static_cast<int32_t>(config.text.vocab_size));
    parts->builder = std::make_unique<text::PromptBuilder>(*parts->tokenizer, text::PromptFormat::fromModelDir(dir),
                                                           static_cast<int32_t>(config.image_token_index));
    parts->normalization = readNormalization(dir);

    ModelLoadOptions weights;
    weights.device = parseDevice(options.device);
    weights.dtype = parseDtype(options.dtype, weights.device, config.torch_dtype);
    const CancelToken cancel = options.cancel;
    const ProgressCallback progress = options.progress;
    weights.progress = [cancel, progress](const Progress& p) {
        return !cancel.cancelled() && (!progress || progress(p));
    };
    parts->model = LeopardModel::load(dir, weights);

    fs::path absolute = fs::absolute(dir).lexically_normal();
    if (absolute.filename().empty()) absolute = absolute.parent_path();  // "models/default/"
    parts->info.dir = QString::fromStdString(absolute.string());
    parts->info.name = QString::fromStdString(absolute.filename().string());
    parts->info.device = weights.device.str();
    parts->info.dtype = dtypeName(weights.dtype);
    return std::shared_ptr<const ModelHandle>(new ModelHandle(std::move(parts)));
}

ModelHandle::ModelHandle(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
ModelHandle::~ModelHandle() = default;

std::shared_ptr<const LeopardModel> ModelHandle::model() const { return parts_->model; }
const text::Tokenizer& ModelHandle::tokenizer() const { return *parts_->tokenizer; }
const text::PromptBuilder& ModelHandle::promptBuilder() const { return *parts_->builder; }
const ModelConfig& ModelHandle::config() const { return parts_->model->config(); }
const imaging::Normalization& ModelHandle::normalization() const { return parts_->normalization; }
const ModelInfo& ModelHandle::info() const { return parts_->info; }
int ModelHandle::tileSize() const { return static_cast<int>(parts_->model->config().vision.image_size); }

}  // namespace leopard
