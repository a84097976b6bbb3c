#include "synth/verify.h"

#include <algorithm>
#include <map>
#include <set>

namespace leopard::synth {
namespace {

// Number of pages drawing `label` as a field label.
int pagesWithLabel(const Sample& s, const std::string& label) {
    int n = 0;
    for (const auto& p : s.pages) n += p.valueOf(label).has_value();
    return n;
}

std::string valueAt(const Sample& s, const Reference& r, std::string* why) {
    if (r.page < 0 || r.page >= static_cast<int>(s.pages.size())) {
        *why = "reference to a missing page";
        return {};
    }
    auto v = s.pages[static_cast<size_t>(r.page)].valueOf(r.label);
    if (!v) *why = "label '" + r.label + "' not drawn on " + imageName(r.page);
    return v.value_or("");
}

bool numberAt(const Sample& s, const Reference& r, double* out, int* decimals, std::string* why) {
    const std::string text = valueAt(s, r, why);
    if (!why->empty()) return false;
    if (!parseNumber(text, out)) {
        *why = "drawn value '" + text + "' is not a number";
        return false;
    }
    *decimals = std::max(*decimals, decimalsOf(text));
    return true;
}

// The "image k" / "page N" name a which-question answers with.
std::string whichName(const Sample& s, int page) {
    const auto& texts = s.pages[static_cast<size_t>(page)].texts;
    if (s.kinds[static_cast<size_t>(page)] == Kind::ReportPage)
        for (const auto& t : texts)
            if (t.text.rfind("Page ", 0) == 0) return "page " + t.text.substr(5);
    return imageName(page);
}

std::string expected(const Sample& s, std::string* why) {
    if (s.refs.empty() && s.op != Op::ChangedLabel && s.op != Op::ChangedValue) {
        *why = "no references";
        return {};
    }
    switch (s.op) {
    case Op::Value:
        if (pagesWithLabel(s, s.refs[0].label) != 1 && s.pages.size() > 1 && s.refs.size() == 1) {
            *why = "label '" + s.refs[0].label + "' is drawn on several pages";
            return {};
        }
        return valueAt(s, s.refs[0], why);
    case Op::Total: {
        const Page& p = s.pages.at(static_cast<size_t>(s.refs[0].page));
        const auto total = p.total();
        if (!total) {
            *why = "no total drawn";
            return {};
        }
        double sum = 0;
        for (const auto& t : p.texts) {
            double v = 0;
            if (t.role == Role::Value && parseNumber(t.text, &v)) sum += v;
        }
        double drawn = 0;
        if (!parseNumber(*total, &drawn) || formatNumber(drawn, 2) != formatNumber(sum, 2)) {
            *why = "drawn total " + *total + " is not the sum of the drawn items";
            return {};
        }
        return *total;
    }
    case Op::WhichLabel:
    case Op::WhichTitle: {
        std::vector<int> hits;
        for (size_t i = 0; i < s.pages.size(); ++i) {
            const bool hit = s.op == Op::WhichLabel ? s.pages[i].valueOf(s.refs[0].label).has_value()
                                                    : s.pages[i].title() == s.refs[0].label;
            if (hit) hits.push_back(static_cast<int>(i));
        }
        if (hits.size() != 1) {
            *why = "'" + s.refs[0].label + "' is on " + std::to_string(hits.size()) + " pages, not one";
            return {};
        }
        return whichName(s, hits[0]);
    }
    case Op::ArgMax:
    case Op::ArgMin:
    case Op::Max:
    case Op::Min: {
        std::vector<double> values;
        int decimals = 0;
        for (size_t i = 0; i < s.pages.size(); ++i) {
            double v = 0;
            if (!numberAt(s, {static_cast<int>(i), s.refs[0].label}, &v, &decimals, why)) return {};
            values.push_back(v);
        }
        const bool wantMax = s.op == Op::ArgMax || s.op == Op::Max;
        const auto best = wantMax ? std::max_element(values.begin(), values.end())
                                  : std::min_element(values.begin(), values.end());
        if (std::count(values.begin(), values.end(), *best) != 1) {
            *why = "the extreme value is not unique";
            return {};
        }
        const int page = static_cast<int>(best - values.begin());
        if (s.op == Op::ArgMax || s.op == Op::ArgMin) return imageName(page);
        return valueAt(s, {page, s.refs[0].label}, why);
    }
    case Op::Count:
        return std::to_string(s.pages.at(static_cast<size_t>(s.refs[0].page)).itemCount());
    case Op::Sum:
    case Op::Difference: {
        double acc = 0;
        int decimals = 0;
        for (size_t i = 0; i < s.refs.size(); ++i) {
            double v = 0;
            if (!numberAt(s, s.refs[i], &v, &decimals, why)) return {};
            acc += (s.op == Op::Difference && i > 0) ? -v : v;
        }
        return formatNumber(acc, decimals);
    }
    case Op::Transcript: {
        const std::string t = s.pages.at(static_cast<size_t>(s.refs[0].page)).transcript();
        if (t.empty()) *why = "nothing drawn to transcribe";
        return t;
    }
    case Op::ChangedLabel:
    case Op::ChangedValue: {
        if (s.pages.size() != 2) {
            *why = "a change needs exactly two pages";
            return {};
        }
        std::map<std::string, std::string> before, after;
        for (const auto& t : s.pages[0].texts)
            if (t.role == Role::Label) before[t.text] = s.pages[0].valueOf(t.text).value_or("");
        for (const auto& t : s.pages[1].texts)
            if (t.role == Role::Label) after[t.text] = s.pages[1].valueOf(t.text).value_or("");
        std::set<std::string> keys;
        for (const auto& kv : before) keys.insert(kv.first);
        for (const auto& kv : after) keys.insert(kv.first);
        std::vector<std::string> changed;
        for (const auto& k : keys)
            if (!before.count(k) || !after.count(k) || before[k] != after[k]) changed.push_back(k);
        if (changed.size() != 1) {
            *why = std::to_string(changed.size()) + " fields differ, not one";
            return {};
        }
        if (s.op == Op::ChangedLabel) return changed[0];
        if (!after.count(changed[0])) {
            *why = "the changed field is missing after the change";
            return {};
        }
        return after[changed[0]];
    }
    }
    *why = "unknown operation";
    return {};
}

}  // namespace

std::string imageName(int pageIndex) { return "image " + std::to_string(pageIndex + 1); }

std::string verifySample(const Sample& s) {
    if (s.pages.empty()) return "no pages";
    if (s.kinds.size() != s.pages.size()) return "page kinds do not match the pages";
    for (const auto& p : s.pages)
        if (p.image.isNull() || p.texts.empty()) return "a page was not drawn";
    if (s.answer.empty()) return "empty answer";
    std::string why;
    const std::string derived = expected(s, &why);
    if (!why.empty()) return why;
    if (derived != s.answer) return "answer '" + s.answer + "' but the pages show '" + derived + "'";
    if (!s.options.empty()) {
        if (s.answerOption < 0 || s.answerOption >= static_cast<int>(s.options.size()) ||
            s.options[static_cast<size_t>(s.answerOption)] != s.answer)
            return "the answer option is not the answer";
        if (std::count(s.options.begin(), s.options.end(), s.answer) != 1) return "the answer is offered twice";
    }
    return {};
}

}  // namespace leopard::synth
