#include "documents/model_preflight.h"

#include <filesystem>

#include <QLocale>

#include "engine/checkpoint.h"
#include "engine/layers.h"
#include "engine/memory.h"
#include "engine/runtime.h"
#include "util/errors.h"

namespace leopard {
namespace fs = std::filesystem;

namespace {

// Core's message ("<file>: <reason>") and what the user can do about it.
QString problem(const std::exception& e, const char* action) {
    return QString::fromUtf8(e.what()) + QStringLiteral(". ") + QString::fromUtf8(action);
}

QString bytes(int64_t n) { return QLocale().formattedDataSize(n, 1, QLocale::DataSizeSIFormat); }

}  // namespace

ModelFolderCheck checkModelFolder(const QString& dir) {
    ModelFolderCheck check;
    const fs::path folder = dir.toStdString();
    std::error_code ec;
    if (dir.isEmpty() || !fs::is_directory(folder, ec)) {
        check.problem = QString("%1: no such folder. Choose the folder that holds the model's config.json, "
                                "weights and tokenizer.")
                            .arg(dir);
        return check;
    }
    try {
        ModelConfig config = loadModelConfig(folder);
        validate(config, (folder / "config.json").string());
        check.config = std::move(config);
    } catch (const std::exception& e) {
        check.problem = problem(e, "Choose the folder that holds the model's config.json (LLaVA layout: "
                                   "vision_config, text_config, image_token_index).");
        return check;
    }
    try {
        const Checkpoint weights(folder);  // headers only
    } catch (const std::exception& e) {
        check.problem = problem(e, "Copy the model's weights into this folder: model.safetensors, or every shard "
                                   "with its index file.");
        return check;
    }
    if (!fs::exists(folder / "tokenizer.json", ec) && !fs::exists(folder / "tokenizer.model", ec)) {
        check.problem = QString("%1: no tokenizer.json or tokenizer.model in this folder. Copy the tokenizer "
                                "files of the model's release (tokenizer.json or tokenizer.model, with "
                                "tokenizer_config.json) here.")
                            .arg(dir);
    }
    return check;
}

MemoryPlan planMemory(const ModelConfig& config, const std::string& device, const std::string& dtype, int64_t tiles,
                      int64_t answerTokens) {
    TensorPlacement placement;
    placement.device = parseDevice(device);
    placement.dtype = parseDtype(dtype, placement.device, config.torch_dtype);

    MemoryPlan plan;
    plan.device = placement.device.str();
    plan.dtype = dtypeName(placement.dtype);
    plan.tiles = tiles;
    plan.answerTokens = answerTokens;
    plan.contextTokens = tiles * config.tokensPerTile() + answerTokens;
    plan.maxContext = config.text.max_position_embeddings;
    plan.availableBytes = availableMemoryBytes(placement.device);

    InferenceShape shape;
    shape.weightElementSize = static_cast<int64_t>(c10::elementSize(placement.dtype));
    shape.computeElementSize = static_cast<int64_t>(c10::elementSize(placement.computeDtype()));
    shape.tiles = tiles;
    shape.contextTokens = plan.contextTokens;
    plan.memory = estimateInferenceMemory(config, shape);
    return plan;
}

QString describeMemory(const MemoryPlan& plan) {
    const InferenceMemory& m = plan.memory;
    QString text = QString("≈ %1: weights %2 + KV cache %3 + activations %4 (%5 on %6, %7 free)")
                       .arg(bytes(m.total()), bytes(m.weightBytes), bytes(m.kvCacheBytes), bytes(m.activationBytes),
                            QString::fromStdString(plan.dtype), QString::fromStdString(plan.device),
                            bytes(plan.availableBytes));
    if (!plan.fits())
        text += QString(" — more than is free: choose a smaller precision (bfloat16), fewer pages or a lower "
                        "tile budget.");
    if (!plan.fitsContext())
        text += QString(" The pages and answer need %1 positions but the model reads at most %2: select fewer "
                        "pages or lower the tile budget.")
                    .arg(plan.contextTokens)
                    .arg(plan.maxContext);
    return text;
}

}  // namespace leopard
