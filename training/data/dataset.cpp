#include "data/dataset.h"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "util/errors.h"

namespace leopard::training {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A problem with one line: its message is the reason only; the reader adds
// "<file>:<line>: ".
struct LineError {
    std::string reason;
};

// A referenced image that does not exist: always names the image.
struct MissingImage {
    fs::path image;
};

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

std::string stringField(const json& j, const char* key, bool required) {
    if (!j.contains(key)) {
        if (required) throw LineError{std::string("missing \"") + key + "\""};
        return {};
    }
    if (!j[key].is_string()) throw LineError{std::string("\"") + key + "\" is not a string"};
    return j[key].get<std::string>();
}

// A list of strings, or one string standing for a list of one.
std::vector<std::string> stringList(const json& j, const char* key) {
    if (!j.contains(key)) throw LineError{std::string("missing \"") + key + "\""};
    const json& v = j[key];
    if (v.is_string()) return {v.get<std::string>()};
    if (!v.is_array()) throw LineError{std::string("\"") + key + "\" is not a list"};
    std::vector<std::string> out;
    for (const auto& e : v) {
        if (!e.is_string()) throw LineError{std::string("\"") + key + "\" holds a non-string"};
        out.push_back(e.get<std::string>());
    }
    return out;
}

std::vector<fs::path> resolveImages(const std::vector<std::string>& rel, const fs::path& base, bool check) {
    std::vector<fs::path> out;
    for (const auto& r : rel) {
        if (r.empty()) throw LineError{"empty image path"};
        fs::path p = fs::path(r).is_absolute() ? fs::path(r) : base / r;
        if (check && !fs::is_regular_file(p)) throw MissingImage{p};
        out.push_back(std::move(p));
    }
    return out;
}

size_t countMarkers(const std::string& s) {
    size_t n = 0;
    for (size_t at = s.find("<image>"); at != std::string::npos; at = s.find("<image>", at + 7)) ++n;
    return n;
}

TrainSample parseTrain(const json& j, const fs::path& base, const ReadOptions& o) {
    TrainSample s;
    s.id = stringField(j, "id", false);
    s.category = stringField(j, "category", false);
    s.images = resolveImages(stringList(j, "images"), base, o.checkImages);
    if (j.contains("glyph_maps")) {
        s.glyphMaps = resolveImages(stringList(j, "glyph_maps"), base, o.checkImages);
        if (s.glyphMaps.size() != s.images.size())
            throw LineError{std::to_string(s.glyphMaps.size()) + " glyph maps for " + std::to_string(s.images.size()) +
                            " images"};
    }
    if (!j.contains("conversations") || !j["conversations"].is_array())
        throw LineError{"missing \"conversations\" list"};
    size_t markers = 0;
    for (const auto& t : j["conversations"]) {
        if (!t.is_object()) throw LineError{"a turn is not an object"};
        Turn turn;
        if (t.contains("from")) {
            turn.from = stringField(t, "from", true);
            turn.value = stringField(t, "value", true);
        } else {
            const std::string role = stringField(t, "role", true);
            turn.from = role == "user" ? "human" : role == "assistant" ? "gpt" : role;
            turn.value = stringField(t, "content", true);
        }
        const std::string expected = s.turns.size() % 2 == 0 ? "human" : "gpt";
        if (turn.from != expected)
            throw LineError{"turn " + std::to_string(s.turns.size() + 1) + " is \"" + turn.from + "\", expected \"" +
                            expected + "\""};
        if (turn.from == "gpt" && blank(turn.value))
            throw LineError{"empty answer in turn " + std::to_string(s.turns.size() + 1)};
        if (turn.from == "human") markers += countMarkers(turn.value);
        s.turns.push_back(std::move(turn));
    }
    if (s.turns.size() < 2 || s.turns.size() % 2 != 0) throw LineError{"conversation needs human/gpt pairs"};
    if (markers > s.images.size())
        throw LineError{std::to_string(markers) + " <image> markers but " + std::to_string(s.images.size()) + " images"};
    return s;
}

EvalSample parseEval(const json& j, const fs::path& base, const ReadOptions& o) {
    EvalSample s;
    s.id = stringField(j, "id", false);
    s.category = stringField(j, "category", false);
    s.images = resolveImages(stringList(j, "images_path"), base, o.checkImages);
    s.question = stringField(j, "question", true);
    if (blank(s.question)) throw LineError{"empty question"};
    s.answers = stringList(j, "answers");
    if (s.answers.empty() || std::all_of(s.answers.begin(), s.answers.end(), blank)) throw LineError{"empty answers"};
    s.quesType = stringField(j, "ques_type", true);
    static const std::vector<std::string> types = {"multiple-choice", "open-ended", "captioning", "webqa"};
    if (std::find(types.begin(), types.end(), s.quesType) == types.end())
        throw LineError{"unknown ques_type \"" + s.quesType + "\""};
    // the reference writes '' for "no options"
    if (j.contains("options") && !(j["options"].is_string() && j["options"].get<std::string>().empty()))
        s.options = stringList(j, "options");
    if (s.quesType == "multiple-choice") {
        if (s.options.empty()) throw LineError{"multiple-choice question without options"};
        for (const auto& a : s.answers)
            if (a.size() != 1 || a[0] < 'A' || a[0] >= 'A' + static_cast<int>(s.options.size()))
                throw LineError{"answer \"" + a + "\" is not an option letter"};
    }
    return s;
}

template <typename Sample, typename Parse>
std::vector<Sample> readJsonl(const fs::path& file, const ReadOptions& o, ReadReport* report, Parse parse) {
    std::ifstream in(file);
    if (!in) throw InputError(file.string(), "cannot open");
    ReadReport local;
    ReadReport& r = report ? *report : local;
    const fs::path base = file.parent_path();
    std::vector<Sample> out;
    std::string text;
    for (int line = 1; std::getline(in, text); ++line) {
        if (blank(text)) continue;
        ++r.lines;
        const std::string where = file.string() + ":" + std::to_string(line);
        try {
            json j;
            try {
                j = json::parse(text);
            } catch (const json::parse_error& e) {
                throw LineError{std::string("not valid JSON (") + e.what() + ")"};
            }
            if (!j.is_object()) throw LineError{"not a JSON object"};
            Sample s = parse(j, base, o);
            s.line = line;
            out.push_back(std::move(s));
        } catch (const LineError& e) {
            if (o.onError == OnError::Fail) throw InputError(file.string(), "line " + std::to_string(line) + ": " + e.reason);
            ++r.skipped;
            r.problems.push_back(where + ": " + e.reason);
        } catch (const MissingImage& e) {
            if (o.onError == OnError::Fail)
                throw InputError(e.image.string(), "missing image (referenced from " + where + ")");
            ++r.skipped;
            r.problems.push_back(where + ": missing image " + e.image.string());
        }
    }
    return out;
}

}  // namespace

std::vector<TrainSample> readTrainJsonl(const fs::path& file, const ReadOptions& options, ReadReport* report) {
    return readJsonl<TrainSample>(file, options, report, parseTrain);
}

std::vector<EvalSample> readEvalJsonl(const fs::path& file, const ReadOptions& options, ReadReport* report) {
    return readJsonl<EvalSample>(file, options, report, parseEval);
}

}  // namespace leopard::training
