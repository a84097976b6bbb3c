// Checks that a file the app will write (notes, session) can be written,
// before any slow work happens — so a typo in a path costs nothing.
//
// Thread-safety: reentrant.
#pragma once

#include <filesystem>

namespace leopard {

// Throws InputError("<path>", reason) unless the folder of `path` exists and
// a file can be created in it (tried for real with a probe file, since
// permission bits say nothing for root or read-only mounts), and `path`,
// when it exists, is a regular file that can be opened for writing.
void checkOutputFile(const std::filesystem::path& path);

}  // namespace leopard
