#include "documents/page_spec.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "util/errors.h"

namespace leopard {

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// A positive decimal page number, or -1.
int parseNumber(const std::string& s) {
    if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }))
        return -1;
    return std::stoi(s);
}

}  // namespace

std::vector<int> parsePageSpec(const std::string& spec, int pageCount, const std::string& file) {
    std::vector<int> pages;
    const std::string all = trim(spec);
    if (all.empty() || all == "all") {
        for (int p = 0; p < pageCount; ++p) pages.push_back(p);
        return pages;
    }
    const auto bad = [&](const std::string& why) {
        return InputError(file, "bad page selection \"" + spec + "\": " + why);
    };
    const auto check = [&](int page) {
        if (page < 1 || page > pageCount)
            throw InputError(file, "page " + std::to_string(page) + " is out of range: it has " +
                                       std::to_string(pageCount) + (pageCount == 1 ? " page" : " pages"));
    };
    std::stringstream items(all);
    std::string item;
    while (std::getline(items, item, ',')) {
        item = trim(item);
        if (item.empty()) throw bad("empty item");
        const auto dash = item.find('-');
        int first, last;
        if (dash == std::string::npos) {
            first = last = parseNumber(item);
        } else {
            first = parseNumber(trim(item.substr(0, dash)));
            const std::string tail = trim(item.substr(dash + 1));
            last = tail.empty() ? pageCount : parseNumber(tail);
        }
        if (first < 0 || last < 0) throw bad("\"" + item + "\" is not a page or range like 2 or 1-3");
        if (last < first) throw bad("\"" + item + "\" runs backwards");
        check(first);
        check(last);
        for (int p = first; p <= last; ++p)
            if (std::find(pages.begin(), pages.end(), p - 1) == pages.end()) pages.push_back(p - 1);
    }
    return pages;
}

}  // namespace leopard
