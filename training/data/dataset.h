// Reads the training and evaluation JSONL files that `leopard-train synth`
// writes (and the same shapes from elsewhere): the Leopard-Instruct training
// shape (LEOPARD.md §7) and the reference eval shape (§8). Qt-free: the
// training loop uses it in the engine-only build.
//
// Every line is checked; a bad line is reported as "<file>:<line>: <reason>"
// and either stops the read (OnError::Fail, an InputError) or is skipped and
// listed in the ReadReport (OnError::Skip). Image paths are resolved against
// the JSONL file's folder; a missing image is an InputError naming the image.
//
//   leopard::training::ReadReport report;
//   auto samples = leopard::training::readTrainJsonl("data/train.jsonl",
//                      {leopard::training::OnError::Skip}, &report);
//   for (auto& p : report.problems) std::fprintf(stderr, "%s\n", p.c_str());
//
// Functions are reentrant; results are plain values owned by the caller.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace leopard::training {

enum class OnError { Fail, Skip };

struct ReadOptions {
    OnError onError = OnError::Fail;
    bool checkImages = true;  // require every image file to exist
};

struct ReadReport {
    int lines = 0;                      // non-blank lines seen
    int skipped = 0;                    // lines dropped under OnError::Skip
    std::vector<std::string> problems;  // "<file>:<line>: <reason>", one per skipped line
};

// One conversation turn, roles normalized to "human" / "gpt" (the
// {"role": "user"|"assistant", "content"} spelling is accepted too).
struct Turn {
    std::string from;
    std::string value;
};

struct TrainSample {
    std::string id;
    std::vector<std::filesystem::path> images;  // resolved paths
    // Optional "glyph_maps", one per image, same size as it: which character
    // each pixel belongs to (red channel = the byte, 0 = none), for the
    // vision tower's glyph loss (trainer/glyph_labels.h). Empty when absent.
    std::vector<std::filesystem::path> glyphMaps;
    std::vector<Turn> turns;                    // human, gpt, human, gpt …
    std::string category;                       // "" when absent
    int line = 0;
};

struct EvalSample {
    std::string id;
    std::vector<std::filesystem::path> images;
    std::string question;
    std::vector<std::string> answers;  // letters for multiple choice
    std::string quesType;              // multiple-choice | open-ended | captioning | webqa
    std::vector<std::string> options;
    std::string category;
    int line = 0;
};

std::vector<TrainSample> readTrainJsonl(const std::filesystem::path& file, const ReadOptions& options = {},
                                        ReadReport* report = nullptr);
std::vector<EvalSample> readEvalJsonl(const std::filesystem::path& file, const ReadOptions& options = {},
                                      ReadReport* report = nullptr);

}  // namespace leopard::training
