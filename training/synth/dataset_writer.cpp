#include "synth/dataset_writer.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "synth/questions.h"
#include "text/eval_metrics.h"
#include "util/atomic_file.h"
#include "util/errors.h"

namespace leopard::synth {
namespace {

namespace fs = std::filesystem;

// Reference instructions (LEOPARD.md §4, "direct").
constexpr const char* kDirectChoice = "Answer with the option's letter from the given choices directly.";
constexpr const char* kDirectOpen = "Answer the question using a single word or phrase.";

// SplitMix64 finalizer: spreads (seed, split, index) over the seed space.
uint64_t mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t sampleSeed(uint64_t seed, const std::string& split, int index) {
    uint64_t h = mix(seed);
    for (char c : split) h = mix(h ^ static_cast<unsigned char>(c));
    return mix(h ^ static_cast<uint64_t>(index));
}

std::string numbered(int index) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06d", index);
    return buf;
}

std::vector<Category> categoriesOf(const SynthOptions& o) {
    return o.categories.empty() ? allCategories() : o.categories;
}

// Saves the pages as PNGs and returns their paths relative to outDir.
std::vector<std::string> saveImages(const Sample& s, const fs::path& outDir, const std::string& split,
                                    const std::string& stem) {
    std::vector<std::string> rel;
    for (size_t k = 0; k < s.pages.size(); ++k) {
        const std::string path = "images/" + split + "/" + stem + "-" + std::to_string(k + 1) + ".png";
        if (!s.pages[k].image.save(QString::fromStdString((outDir / path).string()), "PNG"))
            throw InputError((outDir / path).string(), "cannot write image");
        rel.push_back(path);
    }
    return rel;
}

nlohmann::ordered_json kindsJson(const Sample& s) {
    auto j = nlohmann::ordered_json::array();
    for (Kind k : s.kinds) j.push_back(kindName(k));
    return j;
}

std::string trainLine(const Sample& s, const std::string& id, const std::vector<std::string>& images, Rng& rng,
                      double instructionRate) {
    std::string human;
    for (size_t i = 0; i < images.size(); ++i) human += "<image>\n";
    human += s.question;
    const bool choice = !s.options.empty();
    if (choice) human += text::formatOptions(s.options);
    // Reading exercises answer with whole lines: no "single word or phrase" instruction.
    const bool reading = std::count(readingCategories().begin(), readingCategories().end(), s.category) > 0;
    if (rng.chance(instructionRate) && !reading)
        human += std::string("\n") + (choice ? kDirectChoice : kDirectOpen);
    nlohmann::ordered_json j;
    j["id"] = id;
    j["images"] = images;
    j["conversations"] = {
        {{"from", "human"}, {"value", human}},
        {{"from", "gpt"}, {"value", choice ? text::optionLetter(static_cast<size_t>(s.answerOption)) : s.answer}}};
    j["category"] = categoryName(s.category);
    j["kinds"] = kindsJson(s);
    return j.dump();
}

std::string evalLine(const Sample& s, const std::string& id, const std::vector<std::string>& images) {
    const bool choice = !s.options.empty();
    nlohmann::ordered_json j;
    j["id"] = id;
    j["images_path"] = images;
    j["question"] = s.question;
    j["answers"] = {choice ? text::optionLetter(static_cast<size_t>(s.answerOption)) : s.answer};
    j["ques_type"] = choice ? "multiple-choice" : "open-ended";
    j["options"] = s.options;
    j["category"] = categoryName(s.category);
    j["kinds"] = kindsJson(s);
    return j.dump();
}

}  // namespace

Sample sampleAt(const SynthOptions& options, const std::string& split, int index) {
    const auto cats = categoriesOf(options);
    Rng rng(sampleSeed(options.seed, split, index));
    return makeSample(cats[static_cast<size_t>(index) % cats.size()], rng, options.canvas);
}

SynthSummary writeSynthDataset(const SynthOptions& options) {
    if (options.trainCount < 0 || options.evalCount < 0) throw InputError("synth", "sample counts must be >= 0");
    if (options.canvas.minSide < 64 || options.canvas.maxSide < options.canvas.minSide)
        throw InputError("synth", "canvas sides must satisfy 64 <= min-side <= max-side");
    SynthSummary summary;
    std::error_code ec;
    for (const char* split : {"train", "eval"}) {
        fs::create_directories(options.outDir / "images" / split, ec);
        if (ec) throw InputError(options.outDir.string(), "cannot create folder: " + ec.message());
    }
    const int total = options.trainCount + options.evalCount;
    int done = 0;
    for (const std::string split : {"train", "eval"}) {
        const bool train = split == "train";
        const int n = train ? options.trainCount : options.evalCount;
        std::ostringstream out;
        for (int i = 0; i < n; ++i) {
            const Sample s = sampleAt(options, split, i);
            const std::string stem = numbered(i);
            const auto images = saveImages(s, options.outDir, split, stem);
            summary.images += static_cast<int>(images.size());
            // the instruction choice has its own stream so it never shifts the sample
            Rng lineRng(sampleSeed(options.seed, split + "-instruction", i));
            out << (train ? trainLine(s, split + "-" + stem, images, lineRng, options.instructionRate)
                          : evalLine(s, split + "-" + stem, images))
                << '\n';
            ++(train ? summary.trainPerCategory : summary.evalPerCategory)[categoryName(s.category)];
            report(options.progress, {"synth", ++done, total, split});
        }
        writeFileAtomically(options.outDir / (split + ".jsonl"), out.str());
    }
    return summary;
}

}  // namespace leopard::synth
