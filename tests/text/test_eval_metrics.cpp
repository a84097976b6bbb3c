// The reference evaluation metrics (LEOPARD.md §8) on cases worked out by
// hand; each expected value is derived in the comment beside it.
#include <catch2/catch.hpp>

#include "text/eval_metrics.h"

using namespace leopard::text;
using Catch::Matchers::WithinAbs;

namespace {
const std::vector<std::string> kColours = {"red", "blue", "green"};
}

TEST_CASE("multiple choice: letters in brackets win, then bare letters", "[eval]") {
    CHECK(parseMultipleChoice("(B)", kColours) == "B");
    CHECK(parseMultipleChoice("The answer is (B).", kColours) == "B");
    // "(A)" is present, so the bare " C " is never looked at
    CHECK(parseMultipleChoice("C is tempting but (A)", kColours) == "A");
    // a bare letter is found once the response is padded with spaces
    CHECK(parseMultipleChoice("B", kColours) == "B");
    // trailing ",.!?;:'" are stripped before padding: "C." → " C "
    CHECK(parseMultipleChoice("C.", kColours) == "C");
    // lower-case letters are not option letters
    CHECK(parseMultipleChoice("(b)", kColours).empty());
}

TEST_CASE("multiple choice: several candidates, the last occurrence counts", "[eval]") {
    // " A " at 0 and " B " at the end: B occurs last
    CHECK(parseMultipleChoice("A or B? I think B", kColours) == "B");
    // both bracketed: (C) is later than (A)
    CHECK(parseMultipleChoice("not (A) but (C)", kColours) == "C");
}

TEST_CASE("multiple choice: option text only for responses over five words", "[eval]") {
    // 9 words, no letter: "blue" is option B
    CHECK(parseMultipleChoice("I would go with the blue one for sure", kColours) == "B");
    // "red" at 4 and "green" at 12 (of the padded, lower-cased text): green is last
    CHECK(parseMultipleChoice("not red but green is the right colour here", kColours) == "C");
    // one word, no letter: nothing to parse, counted wrong (the reference guesses at random)
    CHECK(parseMultipleChoice("blue", kColours).empty());
    CHECK_FALSE(evalMultipleChoice({"B"}, ""));
    CHECK(evalMultipleChoice({"B"}, "B"));
    CHECK_FALSE(evalMultipleChoice({"B"}, "C"));
}

TEST_CASE("options block matches the reference layout", "[eval]") {
    CHECK(formatOptions({"image 1", "image 2"}) == "\nOptions: A. image 1 B. image 2\n");
    CHECK(optionLetter(0) == "A");
    CHECK(optionLetter(25) == "Z");
    CHECK_THROWS(optionLetter(26));
}

TEST_CASE("open answers: indicators pick the tail, numbers compare as numbers", "[eval]") {
    // "the answer is 42": tails "42" (after "is ") and "is 42" (after "answer "); shortest "42" → 42.0
    const auto p = parseOpenResponse("The answer is 42.");
    REQUIRE(p.numbers.size() == 1);
    CHECK(p.numbers[0] == 42.0);
    CHECK(evalOpen({"42"}, p));
    CHECK(evalOpen({"42.0"}, p));  // both round to 42.00
    CHECK_FALSE(evalOpen({"4"}, p));  // numbers are equal or not; no substring match

    // "so the total is 1,234.5": tail after "is " → "1,234.5" → 1234.5; numbers inside it:
    // "1,234" (comma pattern) → 1234 and "234.5" (simple pattern) → 234.5
    const auto q = parseOpenResponse("So the total is 1,234.5");
    CHECK(evalOpen({"1234.5"}, q));
    CHECK(evalOpen({"1,234.50"}, q));
    CHECK_FALSE(evalOpen({"1234.6"}, q));

    // the last line also accepts "=": "3 + 4 = 7" → "7"
    CHECK(openAnswerCorrect({"7"}, "3 + 4 = 7"));
    // every line is searched: "12" comes from the second line's "answer: "
    CHECK(openAnswerCorrect({"12"}, "Step 1: x is 5\nso the answer: 12"));
}

TEST_CASE("open answers: gold strings are found inside the prediction", "[eval]") {
    // no indicator: the whole lower-cased response is the candidate
    CHECK(openAnswerCorrect({"Dark"}, "Dark"));
    // "is " leaves "dark mode", which contains "dark"
    CHECK(openAnswerCorrect({"Dark"}, "The theme is dark mode"));
    CHECK_FALSE(openAnswerCorrect({"Light"}, "The theme is dark mode"));
    // a one-letter gold becomes " b" / "b ": found in " b"/"b " of the answer "b", not inside "abc"
    CHECK(openAnswerCorrect({"b"}, "b"));
    CHECK_FALSE(openAnswerCorrect({"b"}, "abc"));
    // any gold may match
    CHECK(openAnswerCorrect({"image 3", "image 2"}, "It is image 2."));
}

TEST_CASE("ANLS follows the DocVQA definition", "[eval]") {
    // one deletion over max(5, 4) characters: 1 − 1/5
    CHECK_THAT(anls({"hello"}, "helo"), WithinAbs(0.8, 1e-12));
    // lower-cased first
    CHECK_THAT(anls({"Hello"}, "HELLO"), WithinAbs(1.0, 1e-12));
    // kitten → sitting: 3 edits over 7 → 4/7 ≈ 0.571, kept (≥ 0.5)
    CHECK_THAT(anls({"kitten"}, "sitting"), WithinAbs(4.0 / 7.0, 1e-12));
    // exactly 0.5 is kept: 2 deletions over 4
    CHECK_THAT(anls({"abcd"}, "ab"), WithinAbs(0.5, 1e-12));
    // 3 substitutions over 3 → 0
    CHECK(anls({"abc"}, "xyz") == 0.0);
    // below 0.5 counts 0: 3 edits over 5 → 0.4 → 0
    CHECK(anls({"hello"}, "hxxxo") == 0.0);
    // best over golds: "cat" vs "helo" is 0, "hello" gives 0.8
    CHECK_THAT(anls({"cat", "hello"}, "helo"), WithinAbs(0.8, 1e-12));
    // no gold: only "", "none", "NA", "unanswerable" score
    CHECK(anls({}, "") == 1.0);
    CHECK(anls({}, "none") == 1.0);
    CHECK(anls({}, "NA") == 1.0);
    CHECK(anls({}, "unanswerable") == 1.0);
    CHECK(anls({}, "maybe") == 0.0);
    CHECK(anls({"x"}, "") == 0.0);
}

TEST_CASE("edit distance counts code points, not bytes", "[eval]") {
    CHECK(editDistance("café", "cafe") == 1);  // é is two bytes, one edit
    CHECK(editDistance("", "abc") == 3);
    CHECK(editDistance("kitten", "sitting") == 3);
    CHECK_THAT(anls({"café"}, "cafe"), WithinAbs(0.75, 1e-12));  // 1 − 1/4
}

TEST_CASE("ROUGE-1 and ROUGE-L F as in the rouge package", "[eval]") {
    // unique hyp words {the, cat, sat} = 3, ref {the, cat, sat, on, mat} = 5, overlap 3:
    // P = 1, R = 0.6, F = 2·0.6/1.6 = 0.75
    CHECK_THAT(rouge1F("the cat sat", "the cat sat on the mat"), WithinAbs(0.75, 1e-6));
    // LCS words {the, cat, sat}: same counts → 0.75
    CHECK_THAT(rougeLF("the cat sat", "the cat sat on the mat"), WithinAbs(0.75, 1e-6));
    // order matters for ROUGE-L only: LCS of [the cat] and [cat the] is one word → P = R = 0.5
    CHECK_THAT(rouge1F("cat the", "the cat"), WithinAbs(1.0, 1e-6));
    CHECK_THAT(rougeLF("cat the", "the cat"), WithinAbs(0.5, 1e-6));
    // summary level: sentences (split at '.') may come in any order
    CHECK_THAT(rougeLF("a b. c d", "c d. a b"), WithinAbs(1.0, 1e-6));
    // web QA: lower-cased, best gold; "rome" vs "the city of rome": P = 1, R = 1/4, F = 0.4
    CHECK_THAT(maxRouge1F({"Paris", "the city of rome"}, "Rome"), WithinAbs(0.4, 1e-6));
    CHECK(rougeLF("", "a b") == 0.0);
    CHECK(rouge1F("a b", "") == 0.0);
}
