#include "synth/content.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace leopard::synth {
namespace {

using Pool = std::vector<std::string>;

const Pool kSlideTitles = {"Quarterly Review", "Team Update", "Sales Summary", "Project Status",
                           "Market Outlook", "Growth Plan", "Weekly Metrics", "Launch Recap"};
const Pool kSlideLabels = {"Revenue", "Users", "Orders", "Staff", "Budget", "Stores",
                           "Clients", "Visits", "Signups", "Tickets", "Partners", "Returns"};
const Pool kTableTitles = {"Units Sold", "Stock Levels", "Orders by Product", "Inventory", "Shipments"};
const Pool kTableLabels = {"Alpha", "Bravo", "Cedar", "Delta", "Ember", "Falcon",
                           "Garnet", "Harbor", "Indigo", "Juniper", "Kestrel", "Lotus"};
const Pool kBarTitles = {"Visitors by City", "Sales by City", "Stores per City", "Rainfall by City"};
const Pool kBarLabels = {"Paris", "Oslo", "Rome", "Lima", "Kyiv", "Cairo",
                         "Delhi", "Tokyo", "Quito", "Seoul", "Dakar", "Perth"};
const Pool kLineTitles = {"Monthly Users", "Temperature", "Monthly Revenue", "Daily Orders"};
const Pool kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const Pool kVendors = {"Blue Cafe", "Corner Deli", "Green Market", "Sun Bakery", "City Diner", "Harbor Grill"};
const Pool kReceiptItems = {"Coffee", "Bagel", "Tea", "Muffin", "Salad", "Soup",
                            "Juice", "Pasta", "Pizza", "Water", "Cookie", "Sandwich"};
const Pool kFormTitles = {"Registration Form", "Membership Form", "Visitor Pass", "Application"};
const Pool kApps = {"Settings", "Notes Pro", "PhotoBox", "MailDesk", "TaskBoard", "MusicBar"};
const Pool kReportNames = {"Annual Report 2023", "Board Summary", "Field Study", "Audit Report", "Site Review"};
const Pool kReportSections = {"Overview", "Finance", "Operations", "Staffing", "Outlook", "Risks",
                              "Logistics", "Research"};
const Pool kReportLabels = {"Budget", "Headcount", "Projects", "Incidents", "Customers",
                            "Sites", "Audits", "Vendors", "Trainees", "Patents"};

const std::map<std::string, Pool>& textFieldValues() {
    static const std::map<std::string, Pool> values = {
        // screenshot settings
        {"Theme", {"Light", "Dark", "Blue", "Sepia"}},
        {"Language", {"English", "French", "German", "Spanish", "Italian"}},
        {"Font size", {"10", "12", "14", "16", "18", "20"}},
        {"Volume", {"30%", "40%", "50%", "60%", "70%", "80%", "90%"}},
        {"Sync", {"On", "Off"}},
        {"Zoom", {"75%", "100%", "125%", "150%"}},
        {"Timeout", {"1 min", "5 min", "10 min", "30 min"}},
        {"Region", {"Europe", "Asia", "Africa", "America"}},
        {"Quality", {"Low", "Medium", "High"}},
        {"Backup", {"Daily", "Weekly", "Monthly"}},
        // form fields
        {"Name", {"Anna Berg", "Ravi Shah", "Lena Ortiz", "Tom Keller", "Mia Chen", "Omar Diaz", "Sara Holm"}},
        {"City", {"Lyon", "Porto", "Graz", "Turin", "Ghent", "Malmo", "Split"}},
        {"Country", {"France", "Spain", "Norway", "Chile", "Kenya", "Japan", "Peru"}},
        {"Plan", {"Basic", "Plus", "Pro"}},
    };
    return values;
}
const Pool kScreenshotLabels = {"Theme", "Language", "Font size", "Volume", "Sync",
                                "Zoom", "Timeout", "Region", "Quality", "Backup"};
const Pool kFormLabels = {"Name", "City", "Country", "Plan", "Date", "Member ID", "Phone"};

std::string textValue(const std::string& label, Rng& rng) {
    if (label == "Date") {
        char buf[16];
        std::snprintf(buf, sizeof buf, "2024-%02d-%02d", static_cast<int>(rng.intIn(1, 12)),
                      static_cast<int>(rng.intIn(1, 28)));
        return buf;
    }
    if (label == "Member ID") return "A" + std::to_string(rng.intIn(1000, 9999));
    if (label == "Phone") return "555-" + std::to_string(rng.intIn(1000, 9999));
    return rng.pick(textFieldValues().at(label));
}

const Pool& titlesOf(Kind kind) {
    switch (kind) {
    case Kind::Slide: return kSlideTitles;
    case Kind::Table: return kTableTitles;
    case Kind::BarChart: return kBarTitles;
    case Kind::LineChart: return kLineTitles;
    case Kind::Receipt: return kVendors;
    case Kind::Form: return kFormTitles;
    case Kind::Screenshot: return kApps;
    case Kind::ReportPage: return kReportSections;
    }
    throw std::logic_error("unknown kind");
}

const Pool& labelsOf(Kind kind) {
    switch (kind) {
    case Kind::Slide: return kSlideLabels;
    case Kind::Table: return kTableLabels;
    case Kind::BarChart: return kBarLabels;
    case Kind::LineChart: return kMonths;
    case Kind::Receipt: return kReceiptItems;
    case Kind::Form: return kFormLabels;
    case Kind::Screenshot: return kScreenshotLabels;
    case Kind::ReportPage: return kReportLabels;
    }
    throw std::logic_error("unknown kind");
}

bool contains(const Pool& pool, const std::string& s) {
    return std::find(pool.begin(), pool.end(), s) != pool.end();
}

}  // namespace

const char* kindName(Kind kind) {
    switch (kind) {
    case Kind::Slide: return "slide";
    case Kind::Table: return "table";
    case Kind::BarChart: return "bar_chart";
    case Kind::LineChart: return "line_chart";
    case Kind::Receipt: return "receipt";
    case Kind::Form: return "form";
    case Kind::Screenshot: return "screenshot";
    case Kind::ReportPage: return "report";
    }
    return "?";
}

bool kindIsNumeric(Kind kind) { return kind != Kind::Form && kind != Kind::Screenshot; }

const std::vector<std::string>& numericLabels(Kind kind) {
    if (!kindIsNumeric(kind)) throw std::logic_error("kind has no numeric fields");
    return labelsOf(kind);
}

std::string numericValue(Kind kind, Rng& rng) {
    switch (kind) {
    case Kind::Slide: return std::to_string(rng.intIn(2, 99));
    case Kind::Table: return std::to_string(rng.intIn(10, 999));
    case Kind::BarChart: return std::to_string(rng.intIn(5, 95));
    case Kind::LineChart: return std::to_string(rng.intIn(10, 90));
    case Kind::Receipt: return "$" + formatNumber(static_cast<double>(rng.intIn(20, 399)) * 0.05, 2);
    case Kind::ReportPage: return std::to_string(rng.intIn(3, 250));
    default: throw std::logic_error("kind has no numeric fields");
    }
}

Document makeDocument(const ContentRequest& request, Rng& rng) {
    Document doc;
    doc.kind = request.kind;
    Pool titles;
    for (const auto& t : titlesOf(request.kind))
        if (!contains(request.avoidTitles, t)) titles.push_back(t);
    doc.title = rng.pick(titles.empty() ? titlesOf(request.kind) : titles);

    // a line needs three points to look like a trend
    const int minFields = request.kind == Kind::LineChart ? std::max(3, request.minFields) : request.minFields;
    const int n = static_cast<int>(rng.intIn(minFields, std::max(minFields, request.maxFields)));
    Pool labels = request.mustHaveLabels;
    Pool others;
    for (const auto& l : labelsOf(request.kind))
        if (!contains(request.avoidLabels, l) && !contains(labels, l)) others.push_back(l);
    for (const auto& l : rng.sample(others, n > static_cast<int>(labels.size()) ? n - labels.size() : 0))
        labels.push_back(l);
    if (request.kind == Kind::LineChart) {
        // months stay in calendar order, as on a real time axis
        std::sort(labels.begin(), labels.end(), [](const std::string& a, const std::string& b) {
            return std::find(kMonths.begin(), kMonths.end(), a) < std::find(kMonths.begin(), kMonths.end(), b);
        });
    } else {
        rng.shuffle(labels);
    }
    for (const auto& l : labels)
        doc.fields.push_back({l, kindIsNumeric(request.kind) ? numericValue(request.kind, rng) : textValue(l, rng)});

    switch (request.kind) {
    case Kind::Receipt: {
        doc.subtitle = "Receipt #" + std::to_string(rng.intIn(1000, 9999));
        double sum = 0;
        for (const auto& f : doc.fields) {
            double v = 0;
            parseNumber(f.value, &v);
            sum += v;
        }
        doc.total = "$" + formatNumber(sum, 2);
        break;
    }
    case Kind::Screenshot: doc.subtitle = "File  Edit  View  Help"; break;
    case Kind::ReportPage: doc.subtitle = rng.pick(kReportNames); break;
    case Kind::Table: doc.subtitle = "Product"; break;
    default: break;
    }
    return doc;
}

Document changeOneField(const Document& before, Rng& rng, int* changedIndex) {
    Document after = before;
    const int i = static_cast<int>(rng.intIn(0, static_cast<int64_t>(before.fields.size()) - 1));
    auto& f = after.fields[static_cast<size_t>(i)];
    const std::string old = f.value;
    while (f.value == old)
        f.value = kindIsNumeric(before.kind) ? numericValue(before.kind, rng) : textValue(f.label, rng);
    if (changedIndex) *changedIndex = i;
    return after;
}

bool parseNumber(const std::string& text, double* out) {
    std::string s;
    for (char c : text)
        if (c != ',' && c != '$' && c != '%') s += c;
    if (s.empty()) return false;
    size_t used = 0;
    try {
        *out = std::stod(s, &used);
    } catch (const std::exception&) {
        return false;
    }
    return used == s.size();
}

int decimalsOf(const std::string& text) {
    const auto dot = text.find('.');
    if (dot == std::string::npos) return 0;
    int n = 0;
    for (size_t i = dot + 1; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) ++n;
    return n;
}

std::string formatNumber(double value, int decimals) {
    char buf[64];
    // + 0.0 turns a negative zero into "0"
    std::snprintf(buf, sizeof buf, "%.*f", decimals, std::round(value * std::pow(10, decimals)) / std::pow(10, decimals) + 0.0);
    return buf;
}

}  // namespace leopard::synth
