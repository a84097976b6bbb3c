// A conversation kept on disk (`leopard-cli ask --session FILE.json`): its
// sources (files and pages) and its turns, so a later process continues it.
// The KV cache is not stored: a new process recomputes it from the turns.
//
//   leopard::SessionData s = leopard::loadSession(path);   // empty if missing
//   s.turns.push_back({question, answer, FinishReason::EndOfTurn});
//   leopard::saveSession(path, s);                          // atomic
//
// Layout: {"format": "leopard-session", "version": 1, "model": "…",
// "sources": [{"file": "/abs/a.pdf", "pages": "1-2"}],
// "turns": [{"question": "…", "answer": "…", "stop_reason": "end_of_turn"}]}.
// File paths are stored absolute so the session works from any folder.
//
// Thread-safety: reentrant functions over plain values.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "documents/ask_types.h"

namespace leopard {

struct SessionData {
    std::vector<SourceSelection> sources;
    std::vector<Turn> turns;
    QString model;  // the model folder of the last turn (informative)
};

// Reads a session file; a missing file is a new, empty session. Throws
// InputError for a file that is not a Leopard session.
SessionData loadSession(const std::filesystem::path& path);

// Writes the session atomically (util/atomic_file.h). Throws InputError for
// a missing or read-only folder.
void saveSession(const std::filesystem::path& path, const SessionData& session);

// Throws InputError unless `path` can be written (existing writable folder;
// a writable regular file if it exists). Call before running the model.
void checkSessionTarget(const std::filesystem::path& path);

}  // namespace leopard
