// Skipping a test whose optional tool is missing (LibreOffice, a GPU) so that
// ctest counts it as skipped, with its reason, instead of passed or failed.
// Catch2 2.x has no SKIP: a skipped test case prints kSkipMark and returns,
// and tests/CMakeLists.txt gives every test SKIP_REGULAR_EXPRESSION on it.
#pragma once

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace leopard::test {

inline constexpr const char* kSkipMark = "LEOPARD-SKIP: ";

// Whether `program` is an executable on PATH.
inline bool onPath(const std::string& program) {
    std::istringstream path(std::getenv("PATH") ? std::getenv("PATH") : "");
    std::string dir;
    while (std::getline(path, dir, ':')) {
        if (dir.empty()) continue;
        const std::string candidate = dir + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0) return true;
    }
    return false;
}

// Prints the mark and the reason; the caller returns from the test case.
inline void announceSkip(const std::string& reason) { std::cout << kSkipMark << reason << std::endl; }

}  // namespace leopard::test

// Inside a TEST_CASE: skip (and return) unless `program` is on PATH.
#define LEOPARD_SKIP_WITHOUT_PROGRAM(program, package)                                                   \
    do {                                                                                                  \
        if (!::leopard::test::onPath(program)) {                                                         \
            ::leopard::test::announceSkip(std::string(program) + " is not installed (Debian package " + \
                                          (package) + ")");                                              \
            return;                                                                                       \
        }                                                                                                 \
    } while (0)
