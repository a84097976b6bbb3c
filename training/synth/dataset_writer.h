// Writes a synthetic dataset folder:
//
//   DIR/train.jsonl   Leopard-Instruct shape (LEOPARD.md §7), one sample a line:
//     {"id", "images": ["images/train/000001-1.png", …],
//      "conversations": [{"from":"human","value":"<image>\n<image>\nQuestion…"},
//                        {"from":"gpt","value":"answer"}],
//      "category", "kinds"}
//     Multiple-choice questions carry "\nOptions: A. … B. …\n" (the eval
//     layout) and answer with the letter. A share of the human turns end with
//     the reference's direct-answer instruction, so a model learns both plain
//     questions (the app's default) and the eval prompt.
//   DIR/eval.jsonl    the reference eval shape (LEOPARD.md §8): {"id",
//     "images_path", "question" (no options, no instruction: the evaluator
//     adds them), "answers": [..], "ques_type": "multiple-choice"|"open-ended",
//     "options": [..], "category", "kinds"}; multiple-choice answers are letters.
//   DIR/images/{train,eval}/*.png
//
// Paths inside the JSONL files are relative to DIR. Sample i of a split is
// generated from (seed, split, i) alone, so files are byte-identical for
// equal arguments and a larger --train N extends a smaller one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "synth/render.h"
#include "synth/sample.h"
#include "util/progress.h"

namespace leopard::synth {

struct SynthOptions {
    std::filesystem::path outDir;
    uint64_t seed = 1;
    int trainCount = 0;
    int evalCount = 0;
    std::vector<Category> categories;  // empty: all; samples cycle through them
    CanvasOptions canvas;
    double instructionRate = 0.5;  // share of train questions ending with the instruction
    ProgressCallback progress;
};

struct SynthSummary {
    std::map<std::string, int> trainPerCategory;
    std::map<std::string, int> evalPerCategory;
    int images = 0;
};

// Throws InputError when DIR cannot be written.
SynthSummary writeSynthDataset(const SynthOptions& options);

// The sample at `index` of split "train" or "eval" (what the writer writes).
Sample sampleAt(const SynthOptions& options, const std::string& split, int index);

}  // namespace leopard::synth
