// LoRA fine-tuning (engine/lora.h) of any loadable model folder — the small
// bundled model or the released Leopard-LLaVA — on a user's Q/A file:
// JSONL lines {"files": ["a.png", …], "pages": [..] (optional), "question",
// "answer"}, file paths relative to `docsDir` (or the JSONL's folder).
//
// This Qt-free reader takes PNG images only (one image per file; "pages" is
// not read). `leopard-train finetune` in a build with Qt accepts every
// document the app opens — PDF, PPTX/PPT/ODP (LibreOffice), PNG, JPEG,
// WebP, TIFF — with "pages" selecting pages per file: it renders the pages
// to PNGs as the app renders them for the model and hands this reader a
// rewritten Q/A file (commands/qt/qa_documents.h). The engine-only build's
// finetune reads PNGs only.
//
// The base weights stay frozen in the dtype they were loaded in; only the
// adapter's A/B (f32) are trained with AdamW, warmup + cosine, clipping,
// the same answer-only masked loss as full training (example.h).
//
// Thread-safety: one run per process at a time.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "engine/lora.h"

namespace leopard::training {

// Reads the Q/A file into training samples (one human + one gpt turn; the
// question gets one <image> marker per file in front). Bad lines (malformed
// JSON, missing fields, empty answer, a missing or non-PNG file) are
// reported as "<file>:<line>: <reason>" and skipped or fatal by `options`;
// `shownAs`, when given, is the <file> of those messages (the user's Q/A
// file when `file` is a rewritten copy of it with the same lines).
std::vector<TrainSample> readQaJsonl(const std::filesystem::path& file, const std::filesystem::path& docsDir,
                                     const ReadOptions& options, ReadReport* report = nullptr,
                                     const std::filesystem::path& shownAs = {});

struct FinetuneOptions {
    std::filesystem::path model;   // base model folder
    std::filesystem::path out;     // adapter folder
    LoraConfig lora;
    int64_t epochs = 1;
    int64_t batchSize = 4;
    double lr = 1e-3;
    double warmupFraction = 0.03;
    double gradClip = 1.0;
    uint64_t seed = 1;
    int tileBudget = 50;
    c10::ScalarType dtype = c10::kFloat;   // the base's dtype while training
    // Called after each step with (step, steps, loss).
    std::function<void(int64_t, int64_t, double)> onStep;
};

struct MemoryEstimate {
    int64_t baseBytes = 0;        // frozen weights
    int64_t adapterBytes = 0;     // A/B + gradients + AdamW moments
    int64_t activationBytes = 0;  // autograd activations of the longest sample (rough)
    int64_t total() const { return baseBytes + adapterBytes + activationBytes; }
};

struct FinetuneResult {
    std::vector<double> losses;   // per step
    MemoryEstimate memory;
};

// `onEstimate` is called once, before the first step, so the caller can
// print or refuse. Writes the adapter to options.out at the end.
FinetuneResult runFinetune(const std::vector<TrainSample>& samples, const FinetuneOptions& options,
                           const std::function<void(const MemoryEstimate&)>& onEstimate = {});

}  // namespace leopard::training
