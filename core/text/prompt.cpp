#include "text/prompt.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "util/errors.h"

namespace leopard::text {

namespace {

constexpr std::string_view kImageMarker = "<image>";

std::size_t countMarkers(const std::string& text) {
    std::size_t n = 0;
    for (std::size_t pos = text.find(kImageMarker); pos != std::string::npos; pos = text.find(kImageMarker, pos + 1)) ++n;
    return n;
}

// The reference's option_refine: "\nOptions: A. first B. second\n".
std::string optionsText(const std::vector<std::string>& options) {
    if (options.empty()) return {};
    if (options.size() > 26) throw InputError("question", "more than 26 options");
    std::string s = "\nOptions: ";
    for (std::size_t i = 0; i < options.size(); ++i) {
        if (i > 0) s += ' ';
        s += static_cast<char>('A' + i);
        s += ". " + options[i];
    }
    return s + "\n";
}

}  // namespace

std::string instructionText(Instruction instruction) {
    switch (instruction) {
        case Instruction::None: return "";
        case Instruction::DirectMultipleChoice: return "Answer with the option's letter from the given choices directly.";
        case Instruction::DirectOpen: return "Answer the question using a single word or phrase.";
        case Instruction::CotMultipleChoice: return "First think step by step. Then answer with the letter of the correct option.";
        case Instruction::CotOpen: return "First think step by step. Then answer with a single word or phrase.";
    }
    return "";
}

PromptFormat PromptFormat::fromModelDir(const std::filesystem::path& modelDir) {
    PromptFormat format;
    const auto path = modelDir / "config.json";
    if (!std::filesystem::exists(path)) return format;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string(), "cannot open");
    std::ostringstream s;
    s << in.rdbuf();
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(s.str());
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path.string(), std::string("malformed JSON: ") + e.what());
    }
    if (!config.is_object() || !config.contains("leopard_prompt")) return format;
    const auto& custom = config["leopard_prompt"];
    if (!custom.is_object()) throw InputError(path.string(), "\"leopard_prompt\" must be an object");
    const std::pair<const char*, std::string*> fields[] = {
        {"bos", &format.bos},
        {"user_header", &format.userHeader},
        {"assistant_header", &format.assistantHeader},
        {"end_of_turn", &format.endOfTurn},
        {"image_begin", &format.imageBegin},
        {"image_end", &format.imageEnd},
        {"image_placeholder", &format.imagePlaceholder}};
    for (const auto& [key, value] : custom.items()) {
        bool known = false;
        for (const auto& [name, field] : fields) {
            if (key != name) continue;
            if (!value.is_string()) throw InputError(path.string(), "leopard_prompt." + key + " must be a string");
            *field = value.get<std::string>();
            known = true;
        }
        if (!known) throw InputError(path.string(), "unknown key leopard_prompt." + key);
    }
    return format;
}

// Collects ids and the loss mask; runs of plain text are encoded together.
struct PromptBuilder::Encoder {
    const PromptBuilder& builder;
    const std::vector<int>& tiles;
    TrainingExample out;
    std::string pending;
    bool loss = false;
    std::size_t nextImage = 0;

    void flush() {
        if (pending.empty()) return;
        push(builder.tokenizer_.encode(pending, false));
        pending.clear();
    }
    void push(const std::vector<int32_t>& ids) {
        out.ids.insert(out.ids.end(), ids.begin(), ids.end());
        out.lossMask.insert(out.lossMask.end(), ids.size(), loss ? 1 : 0);
    }
    void special(int32_t id) {
        flush();
        push({id});
    }
    // A format string (may hold special tokens): encoded on its own.
    void formatString(const std::string& s) {
        flush();
        push(builder.tokenizer_.encode(s, false));
    }
    // User text with its <image> markers replaced by image blocks.
    void userText(const std::string& text) {
        std::size_t pos = 0;
        for (std::size_t at; (at = text.find(kImageMarker, pos)) != std::string::npos; pos = at + kImageMarker.size()) {
            pending.append(text, pos, at - pos);
            imageBlock();
        }
        pending.append(text, pos, std::string::npos);
    }
    void imageBlock() {
        const int count = tiles.at(nextImage);
        if (count < 1) throw InputError("images", "image " + std::to_string(nextImage + 1) + " has no tiles");
        pending += "image " + std::to_string(++nextImage) + ": ";
        special(builder.imageBeginId_);
        for (int i = 0; i < count; ++i) special(builder.placeholderId_);
        special(builder.imageEndId_);
    }
};

PromptBuilder::PromptBuilder(const Tokenizer& tokenizer, PromptFormat format, int32_t imageTokenIndex)
    : tokenizer_(tokenizer), format_(std::move(format)) {
    auto resolve = [&](const std::string& s, const char* role) {
        const auto id = tokenizer_.tokenToId(s);
        if (!id || tokenizer_.encode(s, false) != std::vector<int32_t>{*id})
            throw InputError("tokenizer", std::string("the prompt's ") + role + " \"" + s +
                                              "\" is not a single token of this tokenizer");
        return *id;
    };
    bosId_ = resolve(format_.bos, "bos");
    endOfTurnId_ = resolve(format_.endOfTurn, "end_of_turn");
    imageBeginId_ = resolve(format_.imageBegin, "image_begin");
    imageEndId_ = resolve(format_.imageEnd, "image_end");
    placeholderId_ = resolve(format_.imagePlaceholder, "image_placeholder");
    if (placeholderId_ != imageTokenIndex)
        throw InputError("config.json", "image_token_index is " + std::to_string(imageTokenIndex) + " but the tokenizer gives " +
                                            format_.imagePlaceholder + " the id " + std::to_string(placeholderId_));
}

namespace {

// Markers in all user texts; images without one go in front of the first.
std::string withMissingMarkers(const std::string& firstUserText, std::size_t markers, std::size_t images) {
    if (markers > images)
        throw InputError("question", std::to_string(markers) + " <image> markers but only " + std::to_string(images) +
                                         " images");
    if (markers == images) return firstUserText;
    std::string prefix;
    for (std::size_t i = markers; i < images; ++i) prefix += kImageMarker;
    return prefix + " " + firstUserText;
}

}  // namespace

std::vector<int32_t> PromptBuilder::build(const std::vector<Turn>& history, const UserTurn& question,
                                          const std::vector<int>& tilesPerImage, Instruction instruction) const {
    std::vector<const UserTurn*> users;
    for (const auto& t : history) users.push_back(&t.user);
    users.push_back(&question);
    std::size_t markers = 0;
    for (const auto* u : users) markers += countMarkers(u->text);
    const std::string first = withMissingMarkers(users.front()->text, markers, tilesPerImage.size());

    Encoder enc{*this, tilesPerImage, {}, {}, false, 0};
    enc.special(bosId_);
    for (std::size_t i = 0; i < users.size(); ++i) {
        enc.formatString(format_.userHeader);
        enc.userText(i == 0 ? first : users[i]->text);
        enc.pending += optionsText(users[i]->options) + "\n" + instructionText(instruction);
        enc.special(endOfTurnId_);
        enc.formatString(format_.assistantHeader);
        if (i < history.size()) {
            enc.pending += history[i].answer;
            enc.special(endOfTurnId_);
        }
    }
    enc.flush();
    return std::move(enc.out.ids);
}

TrainingExample PromptBuilder::buildTrainingExample(const std::vector<Message>& conversation,
                                                    const std::vector<int>& tilesPerImage) const {
    std::size_t markers = 0;
    const Message* firstUser = nullptr;
    for (const auto& m : conversation) {
        if (m.role != Message::Role::User) continue;
        markers += countMarkers(m.text);
        if (!firstUser) firstUser = &m;
    }
    if (!firstUser) throw InputError("conversation", "no user message");
    const std::string first = withMissingMarkers(firstUser->text, markers, tilesPerImage.size());

    Encoder enc{*this, tilesPerImage, {}, {}, false, 0};
    enc.special(bosId_);
    for (const auto& m : conversation) {
        if (m.role == Message::Role::User) {
            enc.loss = false;
            enc.formatString(format_.userHeader);
            enc.userText(&m == firstUser ? first : m.text);
            enc.special(endOfTurnId_);
            enc.formatString(format_.assistantHeader);
        } else {
            enc.flush();
            enc.loss = true;
            enc.pending += m.text;
            enc.special(endOfTurnId_);
            enc.loss = false;
        }
    }
    enc.flush();
    return std::move(enc.out);
}

}  // namespace leopard::text
