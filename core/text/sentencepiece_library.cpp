#include "text/sentencepiece_library.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>

#include "util/errors.h"
#include "util/paths.h"

namespace leopard::text::sentencepiece {

namespace {

constexpr const char* kFileName = "libleopard_sentencepiece.so";

std::vector<std::filesystem::path> candidates() {
    std::vector<std::filesystem::path> paths;
    if (const char* env = std::getenv("LEOPARD_SENTENCEPIECE_MODULE"); env && *env) paths.emplace_back(env);
    paths.push_back(executableDir().parent_path() / LEOPARD_MODULE_RELDIR / kFileName);
    paths.push_back(std::filesystem::path(LEOPARD_BUILD_DIR) / LEOPARD_MODULE_RELDIR / kFileName);
    return paths;
}

const Library* loadLibrary() {
    std::string tried;
    for (const auto& path : candidates()) {
        tried += "\n  " + path.string();
        if (!std::filesystem::exists(path)) {
            tried += " (missing)";
            continue;
        }
        // DEEPBIND: the module and libsentencepiece resolve their symbols
        // among themselves first (the embedded protobuf); LOCAL: none of
        // them become visible to the rest of the process.
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
        if (!handle) {
            tried += std::string(" (") + dlerror() + ")";
            continue;
        }
        auto entry = reinterpret_cast<LeopardSentencePieceEntry>(dlsym(handle, "leopard_sentencepiece_library"));
        const Library* library = entry ? entry(kAbiVersion) : nullptr;
        if (library) return library;  // the handle stays open for the process's life
        tried += " (another version of the module)";
        dlclose(handle);
    }
    throw Error("SentencePiece support is not available: " + std::string(kFileName) +
                " could not be loaded. Tried:" + tried +
                "\nInstall libsentencepiece0 and rebuild, or set LEOPARD_SENTENCEPIECE_MODULE.");
}

}  // namespace

const Library& library() {
    static const Library* const loaded = loadLibrary();
    return *loaded;
}

}  // namespace leopard::text::sentencepiece
