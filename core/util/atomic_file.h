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

// Removes `path` and, for a folder, everything under it (symbolic links are
// removed, not followed); a missing path is not an error. Throws Error naming
// the path. POSIX nftw rather than std::filesystem::remove_all: in the
// trainer built against the CUDA machine's pip LibTorch 2.11, remove_all of
// a non-empty folder jumped to address 0 (three runs, each at the second
// checkpoint: the first one that replaces an old checkpoint). Suspected, not
// proven: a libstdc++ filesystem symbol resolved into the wheel's own copy.
void removeTree(const std::filesystem::path& path);

}  // namespace leopard
