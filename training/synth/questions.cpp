#include "synth/questions.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "synth/verify.h"
#include "util/errors.h"

namespace leopard::synth {
namespace {

const std::vector<Kind> kAllKinds = {Kind::Slide,   Kind::Table, Kind::BarChart,   Kind::LineChart,
                                     Kind::Receipt, Kind::Form,  Kind::Screenshot, Kind::ReportPage};
const std::vector<Kind> kNumericKinds = {Kind::Slide,   Kind::Table,     Kind::BarChart,
                                         Kind::LineChart, Kind::Receipt, Kind::ReportPage};

// Draws the documents; false if one of them does not fit its canvas.
bool draw(Sample& s, const std::vector<Document>& docs, const std::vector<Style>& styles, const CanvasOptions& c) {
    s.pages.clear();
    s.kinds.clear();
    for (size_t i = 0; i < docs.size(); ++i) {
        Page p = renderPage(docs[i], styles[i], c.minTextPx);
        if (p.image.isNull()) return false;
        s.pages.push_back(std::move(p));
        s.kinds.push_back(docs[i].kind);
    }
    return true;
}

std::vector<Style> stylesFor(const std::vector<Document>& docs, const CanvasOptions& c, Rng& rng) {
    std::vector<Style> styles;
    for (const auto& d : docs) styles.push_back(randomStyle(d.kind, c, rng));
    return styles;
}

std::string readQuestion(Kind kind, const std::string& label) {
    switch (kind) {
    case Kind::Slide: return "What is the " + label + " on the slide?";
    case Kind::Table: return "What value does the table give for " + label + "?";
    case Kind::BarChart:
    case Kind::LineChart: return "What value does the chart show for " + label + "?";
    case Kind::Receipt: return "How much does the " + label + " cost on the receipt?";
    case Kind::Form: return "What is the " + label + " on the form?";
    case Kind::Screenshot: return "What is the " + label + " setting?";
    case Kind::ReportPage: return "What is the " + label + " in the report?";
    }
    return {};
}

std::string countQuestion(Kind kind) {
    switch (kind) {
    case Kind::Slide: return "How many bullet points are on the slide?";
    case Kind::Table: return "How many rows does the table have, not counting the header?";
    case Kind::BarChart: return "How many bars are in the chart?";
    case Kind::LineChart: return "How many data points does the line chart have?";
    case Kind::Receipt: return "How many items are on the receipt?";
    case Kind::Form: return "How many fields does the form have?";
    case Kind::Screenshot: return "How many settings are shown?";
    case Kind::ReportPage: return "How many figures are given on this report page?";
    }
    return {};
}

// "What is …" → "In image 2, what is …"
std::string inImage(int page, const std::string& question) {
    std::string q = question;
    q[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(q[0])));
    return "In " + imageName(page) + ", " + q;
}

std::vector<std::string> labelsOfDoc(const Document& d) {
    std::vector<std::string> out;
    for (const auto& f : d.fields) out.push_back(f.label);
    return out;
}

// Multiple choice over "image 1" … "image n" (half of the which/compare questions).
void imageOptions(Sample& s, Rng& rng) {
    if (!rng.chance(0.5)) return;
    for (size_t i = 0; i < s.pages.size(); ++i) s.options.push_back(imageName(static_cast<int>(i)));
    s.answerOption = static_cast<int>(std::find(s.options.begin(), s.options.end(), s.answer) - s.options.begin());
}

bool singleRead(Sample& s, Rng& rng, const CanvasOptions& c) {
    const int n = static_cast<int>(rng.intIn(1, 3)), target = static_cast<int>(rng.intIn(0, n - 1));
    ContentRequest req;
    req.kind = rng.pick(kAllKinds);
    Document main = makeDocument(req, rng);
    std::vector<Document> docs;
    for (int i = 0; i < n; ++i) {
        if (i == target) {
            docs.push_back(main);
            continue;
        }
        ContentRequest other;
        other.kind = rng.pick(kAllKinds);
        other.avoidLabels = labelsOfDoc(main);
        docs.push_back(makeDocument(other, rng));
    }
    if (!draw(s, docs, stylesFor(docs, c, rng), c)) return false;
    if (main.kind == Kind::Receipt && rng.chance(0.3)) {
        s.question = "What is the total on the receipt?";
        s.op = Op::Total;
        s.answer = main.total;
        s.refs = {{target, ""}};
    } else {
        const Field& f = rng.pick(main.fields);
        s.question = readQuestion(main.kind, f.label);
        s.op = Op::Value;
        s.answer = f.value;
        s.refs = {{target, f.label}};
    }
    if (n > 1) s.question = inImage(target, s.question);
    return true;
}

bool whichImage(Sample& s, Rng& rng, const CanvasOptions& c) {
    const int n = static_cast<int>(rng.intIn(2, 4)), target = static_cast<int>(rng.intIn(0, n - 1));
    const bool report = rng.chance(0.35);
    const bool byTitle = !report && rng.chance(0.3);
    std::vector<Document> docs;
    std::vector<std::string> usedLabels, usedTitles;
    const std::string reportName = report ? makeDocument({Kind::ReportPage, 1, 1, {}, {}, {}}, rng).subtitle : "";
    for (int i = 0; i < n; ++i) {
        ContentRequest req;
        req.kind = report ? Kind::ReportPage : rng.pick(kAllKinds);
        req.maxFields = report ? 3 : 5;
        req.avoidLabels = usedLabels;
        req.avoidTitles = usedTitles;
        Document d = makeDocument(req, rng);
        if (report) {
            d.subtitle = reportName;
            d.pageNumber = i + 1;
        }
        for (const auto& l : labelsOfDoc(d)) usedLabels.push_back(l);
        usedTitles.push_back(d.title);
        docs.push_back(std::move(d));
    }
    if (!draw(s, docs, stylesFor(docs, c, rng), c)) return false;
    const Document& t = docs[static_cast<size_t>(target)];
    if (byTitle) {
        s.question = "Which image has the title \"" + t.title + "\"?";
        s.op = Op::WhichTitle;
        s.refs = {{target, t.title}};
        s.answer = imageName(target);
    } else {
        const std::string label = rng.pick(t.fields).label;
        s.question = report ? "Which page of the report gives the " + label + "?"
                            : "Which image shows the " + label + "?";
        s.op = Op::WhichLabel;
        s.refs = {{target, label}};
        s.answer = report ? "page " + std::to_string(target + 1) : imageName(target);
    }
    if (!report) imageOptions(s, rng);
    return true;
}

// n documents of one numeric kind sharing `label`, with distinct values.
std::vector<Document> sharedLabelDocs(int n, Kind kind, std::string* label, Rng& rng) {
    *label = rng.pick(numericLabels(kind));
    std::vector<Document> docs;
    std::vector<std::string> seen;
    for (int i = 0; i < n; ++i) {
        ContentRequest req;
        req.kind = kind;
        req.mustHaveLabels = {*label};
        Document d = makeDocument(req, rng);
        for (auto& f : d.fields)
            if (f.label == *label)
                while (std::find(seen.begin(), seen.end(), f.value) != seen.end()) f.value = numericValue(kind, rng);
        for (const auto& f : d.fields)
            if (f.label == *label) seen.push_back(f.value);
        docs.push_back(std::move(d));
    }
    return docs;
}

bool compare(Sample& s, Rng& rng, const CanvasOptions& c) {
    const int n = static_cast<int>(rng.intIn(2, 3));
    // receipts keep their totals consistent only through makeDocument, so
    // comparisons use the kinds whose values are free
    const std::vector<Kind> kinds = {Kind::Slide, Kind::Table, Kind::BarChart, Kind::LineChart, Kind::ReportPage};
    std::string label;
    auto docs = sharedLabelDocs(n, rng.pick(kinds), &label, rng);
    if (!draw(s, docs, stylesFor(docs, c, rng), c)) return false;
    const bool highest = rng.chance(0.5), askImage = rng.chance(0.6);
    s.refs = {{0, label}};
    std::vector<double> values;
    for (const auto& d : docs)
        for (const auto& f : d.fields)
            if (f.label == label) {
                double v = 0;
                parseNumber(f.value, &v);
                values.push_back(v);
            }
    const auto best = highest ? std::max_element(values.begin(), values.end()) : std::min_element(values.begin(), values.end());
    const int page = static_cast<int>(best - values.begin());
    const std::string word = highest ? "highest" : "lowest";
    if (askImage) {
        s.question = "Which image shows the " + word + " value for " + label + "?";
        s.op = highest ? Op::ArgMax : Op::ArgMin;
        s.answer = imageName(page);
        imageOptions(s, rng);
    } else {
        s.question = "What is the " + word + " value shown for " + label + " across the images?";
        s.op = highest ? Op::Max : Op::Min;
        for (const auto& f : docs[static_cast<size_t>(page)].fields)
            if (f.label == label) s.answer = f.value;
    }
    return true;
}

bool count(Sample& s, Rng& rng, const CanvasOptions& c) {
    ContentRequest req;
    req.kind = rng.pick(kAllKinds);
    req.minFields = 2;
    req.maxFields = 6;
    std::vector<Document> docs = {makeDocument(req, rng)};
    if (!draw(s, docs, stylesFor(docs, c, rng), c)) return false;
    s.question = countQuestion(req.kind);
    s.op = Op::Count;
    s.refs = {{0, ""}};
    s.answer = std::to_string(docs[0].fields.size());
    return true;
}

bool arithmetic(Sample& s, Rng& rng, const CanvasOptions& c) {
    double a = 0, b = 0;
    std::vector<Document> docs;
    std::string la, lb;
    std::string va, vb;
    if (rng.chance(0.5)) {  // two fields of one page
        ContentRequest req;
        req.kind = rng.pick(kNumericKinds);
        req.minFields = 3;
        docs.push_back(makeDocument(req, rng));
        auto two = rng.sample(docs[0].fields, 2);
        la = two[0].label, lb = two[1].label, va = two[0].value, vb = two[1].value;
        s.refs = {{0, la}, {0, lb}};
    } else {  // one label on two pages
        const std::vector<Kind> kinds = {Kind::Slide, Kind::Table, Kind::BarChart, Kind::ReportPage};
        std::string label;
        docs = sharedLabelDocs(2, rng.pick(kinds), &label, rng);
        la = lb = label;
        for (const auto& f : docs[0].fields)
            if (f.label == label) va = f.value;
        for (const auto& f : docs[1].fields)
            if (f.label == label) vb = f.value;
        s.refs = {{0, label}, {1, label}};
    }
    parseNumber(va, &a);
    parseNumber(vb, &b);
    if (!draw(s, docs, stylesFor(docs, c, rng), c)) return false;
    const int decimals = std::max(decimalsOf(va), decimalsOf(vb));
    const bool twoPages = docs.size() == 2;
    if (rng.chance(0.5)) {
        s.op = Op::Sum;
        s.question = twoPages ? "What is the sum of " + la + " in image 1 and image 2?"
                              : "What is " + la + " plus " + lb + "?";
        s.answer = formatNumber(a + b, decimals);
    } else {
        if (a < b) {
            std::swap(a, b);
            std::swap(s.refs[0], s.refs[1]);
        }
        s.op = Op::Difference;
        const std::string first = twoPages ? imageName(s.refs[0].page) : s.refs[0].label;
        const std::string second = twoPages ? imageName(s.refs[1].page) : s.refs[1].label;
        s.question = twoPages ? "How much higher is " + la + " in " + first + " than in " + second + "?"
                              : "How much higher is " + first + " than " + second + "?";
        s.answer = formatNumber(a - b, decimals);
    }
    return true;
}

bool diff(Sample& s, Rng& rng, const CanvasOptions& c) {
    ContentRequest req;
    req.kind = rng.chance(0.75) ? Kind::Screenshot : Kind::Form;
    req.minFields = 3;
    Document before = makeDocument(req, rng);
    int changed = 0;
    Document after = changeOneField(before, rng, &changed);
    const Style style = randomStyle(req.kind, c, rng);
    std::vector<Document> docs = {before, after};
    if (!draw(s, docs, {style, style}, c)) return false;
    const Field& f = after.fields[static_cast<size_t>(changed)];
    const std::string thing = req.kind == Kind::Screenshot ? "setting" : "field";
    if (rng.chance(0.5)) {
        s.op = Op::ChangedLabel;
        s.question = "Which " + thing + " changed between image 1 and image 2?";
        s.answer = f.label;
        if (rng.chance(0.5) && before.fields.size() >= 3) {
            std::vector<std::string> others;
            for (const auto& g : before.fields)
                if (g.label != f.label) others.push_back(g.label);
            s.options = rng.sample(others, 3);
            s.options.push_back(f.label);
            rng.shuffle(s.options);
            s.answerOption = static_cast<int>(std::find(s.options.begin(), s.options.end(), f.label) - s.options.begin());
        }
    } else {
        s.op = Op::ChangedValue;
        s.question = "One " + thing + " changed between image 1 and image 2. What is its new value?";
        s.answer = f.value;
    }
    return true;
}

// The question of a reading exercise over page 0: one of `questions`; the
// answer is the page's transcript.
void askForTranscript(Sample& s, const std::vector<std::string>& questions, Rng& rng) {
    s.question = rng.pick(questions);
    s.op = Op::Transcript;
    s.answer = s.pages[0].transcript();
    s.refs = {{0, ""}};
}

// A reading exercise on a small canvas: one or two short texts of a random
// document (a value, a label, "label: value", a title) in its style.
bool readText(Sample& s, Rng& rng, const CanvasOptions& c) {
    static const std::vector<std::array<int, 2>> kCanvases = {{64, 64}, {64, 64}, {128, 64}, {192, 64}, {128, 128}};
    ContentRequest req;
    req.kind = rng.pick(kAllKinds);
    const Document d = makeDocument(req, rng);
    Style style = randomStyle(d.kind, c, rng);
    const auto size = rng.pick(kCanvases);
    style.width = size[0];
    style.height = size[1];
    const int n = style.height >= 128 || rng.chance(0.3) ? 2 : 1;
    std::vector<std::string> lines;
    for (int i = 0; i < n; ++i) {
        const Field& f = rng.pick(d.fields);
        switch (rng.intIn(0, 4)) {
        case 0: lines.push_back(f.label); break;
        case 1: lines.push_back(f.label + ": " + f.value); break;
        case 2: lines.push_back(d.title.empty() ? f.value : d.title); break;
        default: lines.push_back(f.value); break;
        }
    }
    const double px = c.minTextPx + rng.unit() * std::max(0.0, 18.0 - c.minTextPx);
    Page page = renderTextCrop(lines, style, px, c.minTextPx, rng);
    if (page.image.isNull()) return false;
    s.pages = {std::move(page)};
    s.kinds = {d.kind};
    askForTranscript(s, {"What does the image say?", "Read the text in the image.", "What text is shown?"}, rng);
    return true;
}

// One whole page to transcribe: every label with its value, titles, totals.
bool transcribe(Sample& s, Rng& rng, const CanvasOptions& c) {
    ContentRequest req;
    req.kind = rng.pick(kAllKinds);
    const std::vector<Document> docs = {makeDocument(req, rng)};
    if (!draw(s, docs, stylesFor(docs, c, rng), c)) return false;
    askForTranscript(s, {"Transcribe the text of the image.", "Read out every label and value in the image."}, rng);
    return true;
}

}  // namespace

Sample makeSample(Category category, Rng& rng, const CanvasOptions& canvas) {
    std::string lastProblem = "no attempt";
    for (int attempt = 0; attempt < 64; ++attempt) {
        Rng r = rng.fork();
        Sample s;
        s.category = category;
        bool drawn = false;
        switch (category) {
        case Category::SingleRead: drawn = singleRead(s, r, canvas); break;
        case Category::WhichImage: drawn = whichImage(s, r, canvas); break;
        case Category::Compare: drawn = compare(s, r, canvas); break;
        case Category::Count: drawn = count(s, r, canvas); break;
        case Category::Arithmetic: drawn = arithmetic(s, r, canvas); break;
        case Category::Diff: drawn = diff(s, r, canvas); break;
        case Category::ReadText: drawn = readText(s, r, canvas); break;
        case Category::Transcribe: drawn = transcribe(s, r, canvas); break;
        }
        if (!drawn) {
            lastProblem = "text did not fit";
            continue;
        }
        lastProblem = verifySample(s);
        if (lastProblem.empty()) return s;
    }
    throw Error(std::string("synth: no derivable ") + categoryName(category) + " sample after 64 attempts (last: " +
                lastProblem + ")");
}

const std::vector<Category>& allCategories() {
    static const std::vector<Category> all = {Category::SingleRead, Category::WhichImage, Category::Compare,
                                              Category::Count,      Category::Arithmetic, Category::Diff};
    return all;
}

const std::vector<Category>& readingCategories() {
    static const std::vector<Category> reading = {Category::ReadText, Category::Transcribe};
    return reading;
}

const char* categoryName(Category category) {
    switch (category) {
    case Category::SingleRead: return "single_read";
    case Category::WhichImage: return "which_image";
    case Category::Compare: return "compare";
    case Category::Count: return "count";
    case Category::Arithmetic: return "arithmetic";
    case Category::Diff: return "diff";
    case Category::ReadText: return "read_text";
    case Category::Transcribe: return "transcribe";
    }
    return "?";
}

std::optional<Category> parseCategory(const std::string& name) {
    for (const auto* list : {&allCategories(), &readingCategories()})
        for (Category c : *list)
            if (name == categoryName(c)) return c;
    return std::nullopt;
}

}  // namespace leopard::synth
