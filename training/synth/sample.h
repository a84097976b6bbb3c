// One synthetic question over one or more drawn pages, in the categories the
// Leopard-style training and eval data need.
//
// A Sample carries, besides the question and answer, the operation that
// derives the answer (`op`) and the drawn fields it reads (`refs`), so that
// verify.h can recompute the answer from the rendered text alone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "synth/content.h"
#include "synth/page.h"

namespace leopard::synth {

enum class Category {
    SingleRead, WhichImage, Compare, Count, Arithmetic, Diff,  // questions (the eval's categories)
    ReadText, Transcribe,                                      // reading exercises (training only)
};

// The question categories: what `synth` makes by default, what eval sets hold.
const std::vector<Category>& allCategories();
// The reading exercises a recipe asks for by name (--categories read_text,transcribe):
//   read_text   a small canvas (one to three tiles) with one or two short lines
//               (a label, a value, a title); the answer is the text, line by line
//   transcribe  one whole page; the answer is its transcript (Page::transcript)
// They put the loss on every drawn glyph instead of one short answer.
const std::vector<Category>& readingCategories();
const char* categoryName(Category category);  // "single_read", "which_image", …
std::optional<Category> parseCategory(const std::string& name);

// The operations verify.h knows how to recompute.
enum class Op {
    Value,         // the value drawn next to refs[0].label on refs[0].page
    Total,         // the drawn receipt total, itself the sum of the drawn items
    WhichLabel,    // "image k" (or "page N") of the only page drawing refs[0].label
    WhichTitle,    // "image k" of the only page whose title is refs[0].label
    ArgMax,        // "image k" with the largest value of refs[0].label
    ArgMin,        // "image k" with the smallest
    Max,           // the largest value of refs[0].label over all pages
    Min,           // the smallest
    Count,         // number of items drawn on refs[0].page
    Sum,           // refs[0] + refs[1] (+ …)
    Difference,    // refs[0] − refs[1]
    ChangedLabel,  // the one label whose value differs between pages 0 and 1
    ChangedValue,  // its value on page 1
    Transcript,    // the transcript of page 0 (Page::transcript)
};

struct Reference {
    int page = 0;
    std::string label;
};

struct Sample {
    Category category = Category::SingleRead;
    std::vector<Page> pages;
    std::vector<Kind> kinds;
    std::string question;              // plain question: no <image> markers, options or instruction
    std::string answer;                // the short answer ("image 2", "42", "Dark")
    std::vector<std::string> options;  // multiple choice: option texts; empty when open-ended
    int answerOption = -1;             // index of `answer` in options
    Op op = Op::Value;
    std::vector<Reference> refs;
};

}  // namespace leopard::synth
