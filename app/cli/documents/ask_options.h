// Command-line options shared by `leopard-cli ask` and `leopard-cli compare`:
// their declaration on a CLI11 subcommand and what they become for the ask
// API (documents/conversation.h). The work itself is all in core.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "documents/ask_types.h"
#include "documents/conversation.h"

namespace leopard::cli {

struct AskCommandLine {
    std::string model, device = "auto", dtype = "auto";
    int threads = 0;
    int budget = 50;
    std::string instruction = "none";
    int maxNewTokens = 0;
    double temperature = 0, topP = 1.0;
    int topK = 0;
    uint64_t seed = 0;
    bool ignoreEos = false;
    bool takeFirstPages = false;
    bool json = false;
    bool printPrompt = false;
    std::string notes, session;
    std::string question;
    bool questionGiven = false;

    std::vector<std::string> files;
    // --pages as given, with the number of files before it on the command
    // line (0: before the first file, so it applies to all of them).
    std::vector<std::pair<size_t, std::string>> pageSpecs;
};

// Declares the options on `cmd` (ask or compare), writing into `o`, which
// must outlive parsing.
void addAskOptions(CLI::App* cmd, AskCommandLine& o);

// The sources the command line names: each file with the --pages that
// follows it, else the --pages given before the first file, else
// `defaultPages`. Throws InputError for --pages given twice for one file.
std::vector<SourceSelection> sourcesFrom(const AskCommandLine& o, const std::string& defaultPages = {});

// The ask API's options. Throws InputError for an unknown --instruction.
AskOptions askOptionsFrom(const AskCommandLine& o);

// Exit codes, for --help.
extern const char* const kExitCodesHelp;

}  // namespace leopard::cli
