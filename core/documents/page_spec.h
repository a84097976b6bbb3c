// Page selections as users type them: "1-3,7", "5-" (to the end), "all".
// Pages are 1-based in the text and 0-based in the result, in the order
// written, without duplicates. Shared by `leopard-cli tiles` and `ask`.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

namespace leopard {

// Parses `spec` for a document of `pageCount` pages named `file`. Empty or
// "all" selects every page. Throws InputError naming the file and its page
// count for a page out of range, and the spec for a malformed one.
std::vector<int> parsePageSpec(const std::string& spec, int pageCount, const std::string& file);

}  // namespace leopard
