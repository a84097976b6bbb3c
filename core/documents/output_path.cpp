#include "documents/output_path.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>

#include "util/errors.h"

namespace leopard {
namespace fs = std::filesystem;

void checkOutputFile(const fs::path& path) {
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw InputError(path.string(), "the folder " + dir.string() + " does not exist");
    const fs::path probe = dir / (".leopard-write-test-" + std::to_string(::getpid()));
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        throw InputError(path.string(), "cannot write in the folder " + dir.string() + ": " + std::strerror(errno));
    ::close(fd);
    ::unlink(probe.c_str());
    if (fs::exists(path, ec)) {
        if (!fs::is_regular_file(path, ec)) throw InputError(path.string(), "not a regular file");
        const int existing = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (existing < 0) throw InputError(path.string(), std::string("cannot write: ") + std::strerror(errno));
        ::close(existing);
    }
}

}  // namespace leopard
