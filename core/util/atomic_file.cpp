#include "util/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/errors.h"

namespace leopard {
namespace fs = std::filesystem;

namespace {
std::string errnoText(int err) { return std::strerror(err); }
}  // namespace

void writeFileAtomically(const fs::path& path, std::string_view data) {
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw InputError(path.string(), "folder does not exist: " + dir.string());

    fs::path tmp = path;
    tmp += ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        const int err = errno;
        throw InputError(path.string(), "cannot write: " + errnoText(err));
    }
    size_t written = 0;
    while (written < data.size()) {
        const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw Error(path.string() + ": write failed (" + errnoText(err) + "); the previous file is unchanged");
        }
        written += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw Error(path.string() + ": write failed (" + errnoText(err) + "); the previous file is unchanged");
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw Error(path.string() + ": rename failed (" + errnoText(err) + ")");
    }
}

void writeFileAtomically(const fs::path& path, const std::function<void(std::ostream&)>& writer) {
    // Streams straight into the temporary file so multi-GB checkpoints are
    // never held in memory twice.
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw InputError(path.string(), "folder does not exist: " + dir.string());
    fs::path tmp = path;
    tmp += ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw InputError(path.string(), "cannot write: " + errnoText(errno));
        try {
            writer(out);
        } catch (...) {
            out.close();
            fs::remove(tmp, ec);
            throw;
        }
        out.flush();
        if (!out) {
            out.close();
            fs::remove(tmp, ec);
            throw Error(path.string() + ": write failed (disk full?); the previous file is unchanged");
        }
    }
    const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        const int err = errno;
        if (fd >= 0) ::close(fd);
        fs::remove(tmp, ec);
        throw Error(path.string() + ": write failed (" + errnoText(err) + "); the previous file is unchanged");
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        fs::remove(tmp, ec);
        throw Error(path.string() + ": rename failed (" + errnoText(err) + ")");
    }
}

namespace {
int removeEntry(const char* entry, const struct stat*, int type, struct FTW*) {
    return (type == FTW_DP ? ::rmdir(entry) : ::unlink(entry)) == 0 ? 0 : -1;
}
}  // namespace

void removeTree(const fs::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return;
        throw Error(path.string() + ": " + errnoText(errno));
    }
    // Depth first (children before their folder), never following links.
    if (::nftw(path.c_str(), removeEntry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        throw Error(path.string() + ": cannot remove: " + errnoText(errno));
}

}  // namespace leopard
