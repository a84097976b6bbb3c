#include "text/eval_metrics.h"

#include <pcre2.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <stdexcept>

namespace leopard::text {
namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool isSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string strip(const std::string& s) {
    size_t b = 0, e = s.size();
    while (b < e && isSpace(s[b])) ++b;
    while (e > b && isSpace(s[e - 1])) --e;
    return s.substr(b, e - b);
}

// Python's str.strip(ch): removes ch from both ends.
std::string stripChar(const std::string& s, char ch) {
    size_t b = 0, e = s.size();
    while (b < e && s[b] == ch) ++b;
    while (e > b && s[e - 1] == ch) --e;
    return s.substr(b, e - b);
}

std::vector<std::string> splitWhitespace(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (isSpace(c)) {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// All non-overlapping matches of a PCRE2 pattern, like Python's re.findall
// for a pattern without groups.
std::vector<std::string> findAll(const char* pattern, const std::string& subject) {
    int err = 0;
    PCRE2_SIZE errOffset = 0;
    std::unique_ptr<pcre2_code, decltype(&pcre2_code_free)> re(
        pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern), PCRE2_ZERO_TERMINATED, 0, &err, &errOffset, nullptr),
        &pcre2_code_free);
    if (!re) throw std::logic_error(std::string("eval_metrics: bad pattern ") + pattern);
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> md(
        pcre2_match_data_create_from_pattern(re.get(), nullptr), &pcre2_match_data_free);
    std::vector<std::string> out;
    PCRE2_SIZE start = 0;
    while (start <= subject.size()) {
        const int rc = pcre2_match(re.get(), reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start, 0,
                                   md.get(), nullptr);
        if (rc < 0) break;
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md.get());
        out.push_back(subject.substr(ov[0], ov[1] - ov[0]));
        start = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
    }
    return out;
}

// Python's float(s.replace(',', '')) for decimal and scientific numbers.
bool toNumber(const std::string& text, double* out) {
    std::string s;
    for (char c : strip(text))
        if (c != ',') s += c;
    if (s.empty()) return false;
    // strtod also reads hex, "inf" and "nan"; the reference data never
    // relies on those, so accept digits, sign, point and exponent only
    for (char c : s)
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'))
            return false;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size()) return false;
    *out = v;
    return true;
}

// Python's round(x, 2): correctly rounded on the binary value, as printf is.
double round2(double x) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", x);
    return std::strtod(buf, nullptr) + 0.0;
}

// normalize_str: a number becomes its rounded value; a string is lower-cased,
// a single character padded on either side to avoid trivial matches.
void normalize(const std::string& raw, std::vector<std::string>& strings, std::vector<double>& numbers) {
    const std::string s = strip(raw);
    double v = 0;
    if (toNumber(s, &v)) {
        numbers.push_back(round2(v));
        return;
    }
    const std::string l = lower(s);
    if (l.size() == 1) {
        strings.push_back(" " + l);
        strings.push_back(l + " ");
    } else {
        strings.push_back(l);
    }
}

std::vector<std::string> extractNumbers(const std::string& s) {
    std::vector<std::string> all = findAll(R"(-?\b\d{1,3}(?:,\d{3})+\b)", s);
    for (auto& x : findAll(R"(-?\d+(?:\.\d+)?[eE][+-]?\d+)", s)) all.push_back(x);
    for (auto& x : findAll(R"(-?(?:\d+\.\d+|\.\d+|\d+\b)(?![eE][+-]?\d+)(?![,\d]))", s)) all.push_back(x);
    return all;
}

// get_key_subresponses: per line, the shortest tail after an indicator.
std::vector<std::string> keyResponses(const std::string& response) {
    std::string r = lower(stripChar(strip(response), '.'));
    // the reference splits at ". " before a capital too, but only after
    // lower-casing, where that never matches: lines are what count
    std::vector<std::string> lines;
    size_t pos = 0;
    for (;;) {
        const size_t nl = r.find('\n', pos);
        lines.push_back(r.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    std::vector<std::string> indicators = {"answer: ", "could be ", "so ",     "is ",     "thus ",
                                           "therefore ", "final ",  "answer ", "result "};
    std::vector<std::string> keys;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (i + 1 == lines.size()) indicators.push_back("=");
        std::string shortest;
        bool have = false;
        for (const auto& ind : indicators) {
            const size_t at = lines[i].rfind(ind);
            if (at == std::string::npos) continue;
            const std::string tail = strip(lines[i].substr(at + ind.size()));
            // an empty tail is replaced by the next indicator's, as in the reference
            if (!have || shortest.empty() || tail.size() < shortest.size()) shortest = tail;
            have = true;
        }
        static const std::set<std::string> trivial = {":", ",", ".", "!", "?", ";", "'"};
        if (!shortest.empty() && !trivial.count(shortest)) keys.push_back(shortest);
    }
    if (keys.empty()) return {r};
    return keys;
}

std::u32string decodeUtf8(const std::string& s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += static_cast<size_t>(len);
    }
    return out;
}

// pltrdy rouge: sentences at '.', each whitespace-normalized.
std::vector<std::vector<std::string>> sentences(const std::string& text) {
    std::vector<std::vector<std::string>> out;
    size_t pos = 0;
    for (;;) {
        const size_t dot = text.find('.', pos);
        const std::string part = text.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
        if (!part.empty()) out.push_back(splitWhitespace(part));
        if (dot == std::string::npos) break;
        pos = dot + 1;
    }
    return out;
}

std::set<std::string> uniqueWords(const std::vector<std::vector<std::string>>& sents) {
    std::set<std::string> out;
    for (const auto& s : sents) out.insert(s.begin(), s.end());
    return out;
}

// The words of one longest common subsequence of ref and hyp, recovered by
// the reference's backtracking (ties go to the hypothesis side).
std::vector<std::string> lcsWords(const std::vector<std::string>& x, const std::vector<std::string>& y) {
    std::vector<std::vector<int>> t(x.size() + 1, std::vector<int>(y.size() + 1, 0));
    for (size_t i = 1; i <= x.size(); ++i)
        for (size_t j = 1; j <= y.size(); ++j)
            t[i][j] = x[i - 1] == y[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    std::vector<std::string> out;
    size_t i = x.size(), j = y.size();
    while (i > 0 && j > 0) {
        if (x[i - 1] == y[j - 1]) {
            out.push_back(x[i - 1]);
            --i, --j;
        } else if (t[i - 1][j] > t[i][j - 1]) {
            --i;
        } else {
            --j;
        }
    }
    std::reverse(out.begin(), out.end());
    return out;
}

double fScore(double overlap, double hypCount, double refCount) {
    const double p = hypCount > 0 ? overlap / hypCount : 0, r = refCount > 0 ? overlap / refCount : 0;
    return 2.0 * (p * r / (p + r + 1e-8));
}

}  // namespace

std::string optionLetter(size_t index) {
    if (index >= 26) throw std::out_of_range("eval_metrics: more than 26 options");
    return std::string(1, static_cast<char>('A' + index));
}

std::string formatOptions(const std::vector<std::string>& options) {
    std::string joined;
    for (size_t i = 0; i < options.size(); ++i) {
        if (i) joined += ' ';
        joined += optionLetter(i) + ". " + options[i];
    }
    return "\nOptions: " + joined + "\n";
}

std::string parseMultipleChoice(const std::string& response, const std::vector<std::string>& options) {
    std::string r = response;
    for (char c : {',', '.', '!', '?', ';', ':', '\''}) r = stripChar(r, c);
    r = " " + r + " ";
    std::vector<size_t> candidates;
    bool bracketed = false, byText = false;
    for (size_t i = 0; i < options.size(); ++i)
        if (contains(r, "(" + optionLetter(i) + ")")) candidates.push_back(i), bracketed = true;
    if (candidates.empty())
        for (size_t i = 0; i < options.size(); ++i)
            if (contains(r, " " + optionLetter(i) + " ")) candidates.push_back(i);
    const std::string lr = lower(r);
    if (candidates.empty() && splitWhitespace(r).size() > 5)
        for (size_t i = 0; i < options.size(); ++i)
            if (contains(lr, lower(options[i]))) candidates.push_back(i), byText = true;
    if (candidates.empty()) return {};
    // several candidates: the one whose last occurrence comes last (first on ties)
    size_t best = candidates[0];
    long bestAt = -2;
    for (size_t c : candidates) {
        const std::string needle = byText ? lower(options[c]) : bracketed ? "(" + optionLetter(c) + ")" : " " + optionLetter(c) + " ";
        const size_t at = (byText ? lr : r).rfind(needle);
        const long pos = at == std::string::npos ? -1 : static_cast<long>(at);
        if (pos > bestAt) bestAt = pos, best = c;
    }
    return optionLetter(best);
}

bool evalMultipleChoice(const std::vector<std::string>& goldLetters, const std::string& letter) {
    return !letter.empty() && std::find(goldLetters.begin(), goldLetters.end(), letter) != goldLetters.end();
}

OpenPrediction parseOpenResponse(const std::string& response) {
    const auto keys = keyResponses(response);
    std::vector<std::string> all = keys;
    for (const auto& k : keys)
        for (auto& n : extractNumbers(k)) all.push_back(n);
    OpenPrediction p;
    for (const auto& s : all) normalize(s, p.strings, p.numbers);
    std::sort(p.strings.begin(), p.strings.end());
    p.strings.erase(std::unique(p.strings.begin(), p.strings.end()), p.strings.end());
    std::sort(p.numbers.begin(), p.numbers.end());
    p.numbers.erase(std::unique(p.numbers.begin(), p.numbers.end()), p.numbers.end());
    return p;
}

bool evalOpen(const std::vector<std::string>& golds, const OpenPrediction& prediction) {
    std::vector<std::string> goldStrings;
    std::vector<double> goldNumbers;
    for (const auto& g : golds) normalize(g, goldStrings, goldNumbers);
    for (const auto& s : prediction.strings)
        for (const auto& g : goldStrings)
            if (contains(s, g)) return true;
    for (double n : prediction.numbers)
        if (std::find(goldNumbers.begin(), goldNumbers.end(), n) != goldNumbers.end()) return true;
    return false;
}

bool openAnswerCorrect(const std::vector<std::string>& golds, const std::string& response) {
    return evalOpen(golds, parseOpenResponse(response));
}

// Hand-written: Debian packages no C++ Levenshtein library. Two-row dynamic
// programme over code points.
size_t editDistance(const std::string& a, const std::string& b) {
    const std::u32string x = decodeUtf8(a), y = decodeUtf8(b);
    std::vector<size_t> prev(y.size() + 1), cur(y.size() + 1);
    for (size_t j = 0; j <= y.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= x.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= y.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[y.size()];
}

double anls(const std::vector<std::string>& golds, const std::string& prediction) {
    if (golds.empty())
        return (prediction.empty() || prediction == "none" || prediction == "NA" || prediction == "unanswerable") ? 1.0 : 0.0;
    if (prediction.empty()) return 0.0;
    const std::string p = lower(prediction);
    const double pLen = static_cast<double>(decodeUtf8(p).size());
    double best = 0;
    for (const auto& g : golds) {
        const std::string lg = lower(g);
        const double len = std::max(static_cast<double>(decodeUtf8(lg).size()), pLen);
        best = std::max(best, 1.0 - static_cast<double>(editDistance(lg, p)) / len);
    }
    return best >= 0.5 ? best : 0.0;
}

double rougeLF(const std::string& hypothesis, const std::string& reference) {
    const auto hyp = sentences(hypothesis), ref = sentences(reference);
    const auto hypWords = uniqueWords(hyp), refWords = uniqueWords(ref);
    if (hypWords.empty() || refWords.empty()) return 0.0;
    std::set<std::string> unionLcs;
    for (const auto& r : ref)
        for (const auto& h : hyp)
            for (auto& w : lcsWords(r, h)) unionLcs.insert(w);
    return fScore(static_cast<double>(unionLcs.size()), static_cast<double>(hypWords.size()),
                  static_cast<double>(refWords.size()));
}

double rouge1F(const std::string& hypothesis, const std::string& reference) {
    const auto hyp = uniqueWords(sentences(hypothesis)), ref = uniqueWords(sentences(reference));
    if (hyp.empty() || ref.empty()) return 0.0;
    double overlap = 0;
    for (const auto& w : hyp) overlap += ref.count(w);
    return fScore(overlap, static_cast<double>(hyp.size()), static_cast<double>(ref.size()));
}

double maxRouge1F(const std::vector<std::string>& golds, const std::string& prediction) {
    double best = 0;
    for (const auto& g : golds) best = std::max(best, rouge1F(lower(prediction), lower(g)));
    return best;
}

}  // namespace leopard::text
