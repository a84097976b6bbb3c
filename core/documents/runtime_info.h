// Facts about the documents part of the runtime for `doctor` and the About
// box: Qt and Poppler versions, and whether LibreOffice (for slide decks and
// office documents) is installed.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace leopard {

// Path of the LibreOffice `soffice` binary, or empty when not installed.
std::string findSoffice();

std::vector<std::pair<std::string, std::string>> documentsRuntimeReport();

}  // namespace leopard
