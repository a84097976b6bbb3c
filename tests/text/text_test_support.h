// Shared helpers for the text tests: the real LLaMA-3 tokenizer.json that
// scripts/fetch-test-data.sh installs, loaded once per test run.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "test_paths.h"
#include "text/bpe_tokenizer.h"

namespace leopard::test {

inline std::filesystem::path llama3TokenizerPath() { return testDataDir() / "llama3-tokenizer.json"; }

// The real LLaMA-3 tokenizer. A missing file fails the test (never skips).
inline const text::BpeTokenizer& llama3Tokenizer() {
    static const std::unique_ptr<text::BpeTokenizer> tok = [] {
        const auto path = llama3TokenizerPath();
        if (!std::filesystem::exists(path))
            FAIL("missing " << path.string() << ": run scripts/fetch-test-data.sh " << testDataDir().string());
        return text::BpeTokenizer::fromFile(path);
    }();
    return *tok;
}

inline std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace leopard::test
