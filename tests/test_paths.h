// Locations the tests read from: tests/data/golden (reference outputs made
// outside the project, copied in; tests/data/README.md says by what),
// build/test-data (package-shipped data fetched by scripts/fetch-test-data.sh)
// and the built binaries. Nothing outside the clone.
#pragma once

#include <filesystem>
#include <string>
#include <unistd.h>

namespace leopard::test {

inline std::filesystem::path goldenDir() { return std::filesystem::path(LEOPARD_GOLDEN_DIR); }
// Reference plans and tiles of large images (scripts/reference_native_tiles.py).
inline std::filesystem::path nativeSizeDir() { return goldenDir().parent_path() / "native-size"; }
inline std::filesystem::path testDataDir() { return std::filesystem::path(LEOPARD_TEST_DATA_DIR); }
inline std::filesystem::path binDir() { return std::filesystem::path(LEOPARD_BIN_DIR); }
inline std::filesystem::path examplesDir() { return std::filesystem::path(LEOPARD_EXAMPLES_DIR); }

// A fresh temporary folder removed when the object dies.
class TempDir {
public:
    TempDir() {
        auto base = std::filesystem::temp_directory_path();
        for (int i = 0;; ++i) {
            path_ = base / ("leopard-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
            if (std::filesystem::create_directory(path_)) break;
        }
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    static int& counter() {
        static int c = 0;
        return c;
    }
    std::filesystem::path path_;
};

}  // namespace leopard::test
