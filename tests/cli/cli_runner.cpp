#include "cli_runner.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

#include "test_paths.h"

namespace leopard::test {

CliResult runCli(const std::vector<std::string>& args, const CliOptions& options) {
    const std::string exe = (binDir() / "leopard-cli").string();
    std::vector<std::string> argvStrings{exe};
    argvStrings.insert(argvStrings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argvStrings) argv.push_back(a.data());
    argv.push_back(nullptr);

    int outPipe[2], errPipe[2];
    if (::pipe(outPipe) != 0 || ::pipe(errPipe) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::dup2(outPipe[1], STDOUT_FILENO);
        ::dup2(errPipe[1], STDERR_FILENO);
        ::close(outPipe[0]);
        ::close(errPipe[0]);
        ::unsetenv("LEOPARD_MODEL");
        if (!options.configHome.empty()) ::setenv("XDG_CONFIG_HOME", options.configHome.c_str(), 1);
        for (const auto& [name, value] : options.env) {
            if (value) ::setenv(name.c_str(), value->c_str(), 1);
            else ::unsetenv(name.c_str());
        }
        ::signal(SIGINT, SIG_DFL);
        ::execv(exe.c_str(), argv.data());
        ::_exit(127);
    }
    ::close(outPipe[1]);
    ::close(errPipe[1]);

    CliResult r;
    pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    int open = 2;
    char buf[4096];
    while (open > 0) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
                continue;
            }
            (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
            if (i == 0 && options.onStdout) options.onStdout(pid, r.out);
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
    return r;
}

void makePdf(const std::filesystem::path& path, const std::vector<std::string>& pages) {
    QPdfWriter writer(QString::fromStdString(path.string()));
    writer.setResolution(72);
    writer.setPageSize(QPageSize(QPageSize::A5));
    QPainter painter(&writer);
    QFont font("DejaVu Sans");
    font.setPointSize(24);
    painter.setFont(font);
    for (size_t i = 0; i < pages.size(); ++i) {
        if (i > 0) writer.newPage();
        painter.drawText(QPointF(30, 80), QString::fromStdString(pages[i]));
        painter.fillRect(QRectF(30, 120, 150, 40), Qt::black);
    }
    painter.end();
}

void makePng(const std::filesystem::path& path, int width, int height, const std::string& label) {
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.fillRect(0, 0, width, height / 4, QColor(40, 90, 200));
    painter.setPen(Qt::black);
    painter.drawText(QPointF(10, height / 2.0), QString::fromStdString(label));
    painter.end();
    if (!image.save(QString::fromStdString(path.string()), "PNG")) throw std::runtime_error("cannot write " + path.string());
}

std::string readText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace leopard::test
