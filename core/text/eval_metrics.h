// The Leopard reference evaluation metrics (LEOPARD.md §8), re-implemented
// from tencent-ailab/Leopard evaluations/models/eval_utils.py and the `rouge`
// Python package (pltrdy, 1.0.1) it calls:
//
//   multiple choice  parseMultipleChoice → letter, evalMultipleChoice
//   open-ended       parseOpenResponse → candidates, evalOpen
//   DocVQA family    anls
//   captioning       rougeLF (pred vs first gold)
//   web QA           maxRouge1F over golds
//
// Deviations from the reference, on purpose: when no option letter can be
// found the reference picks a random letter; here the parse returns "" and the
// answer counts as wrong (deterministic scores). Lower-casing is ASCII-only;
// edit distances count Unicode code points, as Python's editdistance does.
//
// Pure functions over strings: thread-safe, no state.
//
//   auto letter = leopard::text::parseMultipleChoice("The answer is (B).", {"red", "blue"});
//   bool ok = leopard::text::evalMultipleChoice({"B"}, letter);          // true
//   double s = leopard::text::anls({"hello"}, "helo");                     // 0.8
#pragma once

#include <string>
#include <vector>

namespace leopard::text {

// "A", "B", … for option index 0, 1, … (at most 26 options).
std::string optionLetter(size_t index);

// The reference's options block appended to a multiple-choice question:
// "\nOptions: A. first B. second\n".
std::string formatOptions(const std::vector<std::string>& options);

// The option letter a free-text response chooses, or "" when none can be
// found: "(B)" first, then " B ", then (responses of more than 5 words) the
// option texts; with several candidates the one occurring last wins.
std::string parseMultipleChoice(const std::string& response, const std::vector<std::string>& options);

// Correct iff the letter equals one of the gold letters.
bool evalMultipleChoice(const std::vector<std::string>& goldLetters, const std::string& letter);

// What an open-ended response is taken to answer: the lower-cased text after
// the answer indicators ("answer: ", "is ", "so ", … and "=" on the last line)
// plus every number in it, numbers normalized (commas dropped, rounded to 2
// places).
struct OpenPrediction {
    std::vector<std::string> strings;  // lower-case, single characters padded
    std::vector<double> numbers;
};
OpenPrediction parseOpenResponse(const std::string& response);

// Correct iff a normalized gold string is contained in a predicted string,
// or a gold number equals a predicted number.
bool evalOpen(const std::vector<std::string>& golds, const OpenPrediction& prediction);

// Convenience: evalOpen(golds, parseOpenResponse(response)).
bool openAnswerCorrect(const std::vector<std::string>& golds, const std::string& response);

// Levenshtein distance between two UTF-8 strings, in code points.
size_t editDistance(const std::string& a, const std::string& b);

// Average Normalized Levenshtein Similarity of one prediction: best over
// golds of 1 − distance / max(length), lower-cased, 0 if below 0.5. With no
// golds: 1 iff the prediction is "", "none", "NA" or "unanswerable".
double anls(const std::vector<std::string>& golds, const std::string& prediction);

// ROUGE-L F (summary level: sentences split at '.', union LCS over unique
// words) and ROUGE-1 F (unique unigrams) of a hypothesis against a reference.
// Texts are whitespace-tokenized as given (lower-case them first, as the
// reference does). An empty hypothesis or reference scores 0.
double rougeLF(const std::string& hypothesis, const std::string& reference);
double rouge1F(const std::string& hypothesis, const std::string& reference);
// Web QA: max over golds of rouge1F(lower(prediction), lower(gold)).
double maxRouge1F(const std::vector<std::string>& golds, const std::string& prediction);

}  // namespace leopard::text
