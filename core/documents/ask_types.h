// The plain values the ask API trades in: which pages of which files go to
// the model, what a turn of a conversation was, and what one answer carries
// back (the text, the pages used, timings, the model). Shared by
// conversation.h, session_file.h and notes.h so each can be used alone.
//
// Plain value types: copy freely, share read-only between threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <QString>

namespace leopard {

// One input file and the pages of it to use. `pages` is a selection as
// users type it (documents/page_spec.h): "1-3,7", "5-" (to the end); empty
// or "all" is every page. It is resolved against the page count when the
// file is opened; AskResult::pages lists the pages actually used.
struct SourceSelection {
    QString path;
    std::string pages;

    bool operator==(const SourceSelection& o) const { return path == o.path && pages == o.pages; }
    bool operator!=(const SourceSelection& o) const { return !(*this == o); }
};

// Why generation stopped.
enum class FinishReason {
    EndOfTurn,  // the model emitted an end token
    MaxTokens,  // max_new_tokens reached
    Cancelled,  // the CancelToken was set; the answer holds what came so far
};

// "end_of_turn", "max_tokens", "cancelled": the spelling used in --json,
// session files and notes.
inline const char* finishReasonName(FinishReason r) {
    switch (r) {
        case FinishReason::EndOfTurn: return "end_of_turn";
        case FinishReason::MaxTokens: return "max_tokens";
        case FinishReason::Cancelled: return "cancelled";
    }
    return "end_of_turn";
}

// Inverse of finishReasonName(); unknown spellings read as EndOfTurn.
inline FinishReason finishReasonFromName(const std::string& name) {
    if (name == "max_tokens") return FinishReason::MaxTokens;
    if (name == "cancelled") return FinishReason::Cancelled;
    return FinishReason::EndOfTurn;
}

// One question and its answer.
struct Turn {
    std::string question;  // UTF-8
    std::string answer;    // UTF-8; partial when finishReason is Cancelled
    FinishReason finishReason = FinishReason::EndOfTurn;
};

// A page that went to the model, in prompt order: it is "image <image>".
struct PageUsed {
    QString file;
    int page = 1;        // 1-based page number in its file
    int image = 1;       // 1-based label in the prompt ("image 1: …")
    int modelTiles = 0;  // global view + grid tiles
    int width = 0, height = 0;  // rendered size in pixels
};

// Seconds spent in each stage of one ask() call.
struct AskTimings {
    double render = 0;   // opening files and rendering pages
    double encode = 0;   // resizing tiles and running the vision tower + projector
    double prefill = 0;  // the prompt through the decoder
    double decode = 0;   // generating the answer
    int64_t promptTokens = 0;     // expanded prompt length
    int64_t reusedTokens = 0;     // prompt positions served from the KV cache
    int64_t generatedTokens = 0;
    double tokensPerSecond = 0;   // generatedTokens / decode
};

// The model that answered.
struct ModelInfo {
    QString dir;      // the model folder
    QString name;     // its folder name
    std::string device;  // "cpu", "cuda:0"
    std::string dtype;   // "float32", "bfloat16" …
};

// What one ask() returns.
struct AskResult {
    std::string answer;  // UTF-8, special tokens removed
    FinishReason finishReason = FinishReason::EndOfTurn;
    std::vector<PageUsed> pages;        // what the model saw, in order
    std::vector<std::string> warnings;  // files that failed, pages left out …
    AskTimings timings;
    int64_t tilesEncoded = 0;  // tiles run through the vision tower this turn (0 when cached)
    ModelInfo model;
};

}  // namespace leopard
