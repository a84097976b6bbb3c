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

}  // namespace leopard::synth
