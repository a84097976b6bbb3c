#include "synth/page.h"

#include <set>

namespace leopard::synth {

std::optional<std::string> Page::valueOf(const std::string& label) const {
    for (const auto& t : texts) {
        if (t.role != Role::Label || t.text != label) continue;
        for (const auto& v : texts)
            if (v.role == Role::Value && v.field == t.field) return v.text;
    }
    return std::nullopt;
}

std::optional<std::string> Page::total() const {
    for (const auto& t : texts)
        if (t.role == Role::TotalValue) return t.text;
    return std::nullopt;
}

int Page::itemCount() const {
    std::set<int> fields;
    for (const auto& t : texts)
        if (t.role == Role::Label) fields.insert(t.field);
    return static_cast<int>(fields.size());
}

std::string Page::title() const {
    for (const auto& t : texts)
        if (t.role == Role::Title) return t.text;
    return {};
}

bool Page::shows(const std::string& s) const {
    for (const auto& t : texts)
        if (t.text == s) return true;
    return false;
}

std::string Page::transcript() const {
    auto partner = [this](const DrawnText& t) -> const DrawnText* {
        const Role want = t.role == Role::Label        ? Role::Value
                          : t.role == Role::Value      ? Role::Label
                          : t.role == Role::TotalLabel ? Role::TotalValue
                          : t.role == Role::TotalValue ? Role::TotalLabel
                                                       : Role::Decoration;
        const bool total = want == Role::TotalLabel || want == Role::TotalValue;
        if (want == Role::Decoration || (t.field < 0 && !total)) return nullptr;
        // labels and values pair by field; a page has one total (field -1)
        for (const auto& o : texts)
            if (o.role == want && o.field == t.field) return &o;
        return nullptr;
    };
    auto isLabel = [](Role r) { return r == Role::Label || r == Role::TotalLabel; };
    std::string out;
    std::set<const DrawnText*> done;
    for (const auto& t : texts) {
        if (t.role == Role::Decoration || done.count(&t)) continue;
        const DrawnText* other = partner(t);
        std::string line = t.text;
        if (other) {
            const DrawnText& label = isLabel(t.role) ? t : *other;
            const DrawnText& value = isLabel(t.role) ? *other : t;
            line = label.text + ": " + value.text;
            done.insert(other);
        }
        if (!out.empty()) out += '\n';
        out += line;
    }
    return out;
}

}  // namespace leopard::synth
