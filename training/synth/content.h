// What a synthetic page says, before it is drawn: a document kind, a title
// and labelled fields. The renderer (render.h) lays these out; questions
// (questions.h) are asked about them; the check (verify.h) reads the answer
// back from what was actually drawn, not from this model.
//
// Plain values, no Qt. Not thread-safe only in the sense that Rng is not.
#pragma once

#include <string>
#include <vector>

#include "synth/rng.h"

namespace leopard::synth {

enum class Kind { Slide, Table, BarChart, LineChart, Receipt, Form, Screenshot, ReportPage };

const char* kindName(Kind kind);
// Kinds whose fields are numbers a question can compare or add up.
bool kindIsNumeric(Kind kind);

struct Field {
    std::string label;
    std::string value;  // exactly as drawn, e.g. "42", "$12.50", "Dark"
};

struct Document {
    Kind kind = Kind::Slide;
    std::string title;
    std::string subtitle;       // vendor line, app menu, report name …
    std::vector<Field> fields;  // the countable items, in drawing order
    std::string total;          // receipts: the drawn total (sum of fields)
    int pageNumber = 0;         // report pages: 1-based, drawn in the footer
};

// Constraints a question puts on a document it needs.
struct ContentRequest {
    Kind kind = Kind::Slide;
    int minFields = 2;
    int maxFields = 5;
    std::vector<std::string> mustHaveLabels;  // with values chosen here
    std::vector<std::string> avoidLabels;     // keep other pages unambiguous
    std::vector<std::string> avoidTitles;
};

Document makeDocument(const ContentRequest& request, Rng& rng);

// A second version of a screenshot where exactly one field's value differs;
// `changedIndex` receives which.
Document changeOneField(const Document& before, Rng& rng, int* changedIndex);

// A fresh numeric value string for `label` in a document of `kind`.
std::string numericValue(Kind kind, Rng& rng);

// Labels of numeric fields a compare/arithmetic question can share across
// pages of `kind`.
const std::vector<std::string>& numericLabels(Kind kind);

// Parses a drawn number ("$1,234.50", "75%", "-3") into `out`; false when
// the text is not a number.
bool parseNumber(const std::string& text, double* out);
// Decimal places written in a drawn number ("12.50" → 2).
int decimalsOf(const std::string& text);
// Formats with a fixed number of decimals ("%.*f").
std::string formatNumber(double value, int decimals);

}  // namespace leopard::synth
