// Crash-safe file writes: the data goes to "<path>.tmp-<pid>" in the same
// folder, is flushed and fsync'ed, then renamed over <path>. A reader (or a
// crash, or a full disk) sees either the old file or the new one, never half.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string_view>

namespace leopard {

// Writes `data` to `path` atomically. Throws InputError naming the path when
// the folder is missing or read-only, Error when the disk is full.
void writeFileAtomically(const std::filesystem::path& path, std::string_view data);

// Same, with the content produced by a writer callback into a stream.
void writeFileAtomically(const std::filesystem::path& path,
                         const std::function<void(std::ostream&)>& writer);

}  // namespace leopard
