#include "documents/office_converter.h"

#include <csignal>
#include <mutex>
#include <unistd.h>

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUrl>

#include "documents/runtime_info.h"
#include "util/errors.h"

namespace leopard {

namespace {

std::string str(const QString& s) { return s.toStdString(); }

QByteArray sha256Of(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) throw InputError(str(path), "cannot be read: " + str(f.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&f)) throw InputError(str(path), "cannot be read");
    return hash.result().toHex();
}

QString lastLine(const QByteArray& output) {
    const QList<QByteArray> lines = output.trimmed().split('\n');
    return lines.isEmpty() ? QString() : QString::fromUtf8(lines.last()).trimmed();
}

// Kills soffice and everything it started (oosplash forks soffice.bin).
void killGroup(QProcess& process) {
    const qint64 pid = process.processId();
    if (pid > 0) ::kill(-pid_t(pid), SIGKILL);
    process.kill();
    process.waitForFinished(5000);
}

}  // namespace

QString defaultOfficeCacheDir() {
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/office-pdf");
}

QString convertOfficeToPdf(const QString& path, const OpenOptions& options) {
    const QString cacheDir = options.officeCacheDir.isEmpty() ? defaultOfficeCacheDir() : options.officeCacheDir;
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QString cached = cacheDir + "/" + QString::fromLatin1(sha256Of(path)) + ".pdf";
    if (QFileInfo::exists(cached)) return cached;

    const QString soffice = options.sofficePath.isEmpty() ? QString::fromStdString(findSoffice()) : options.sofficePath;
    if (soffice.isEmpty())
        throw InputError(str(path), "LibreOffice is needed to read ." + str(suffix) +
                                        " files and is not installed (sudo apt-get install libreoffice-impress-nogui)");
    if (!QDir().mkpath(cacheDir)) throw Error(str(cacheDir) + ": cannot create the conversion cache folder");

    static std::mutex oneAtATime;  // conversions share the LibreOffice profile
    std::lock_guard<std::mutex> lock(oneAtATime);
    if (QFileInfo::exists(cached)) return cached;

    // soffice names its output after the input; a private folder with a
    // fixed input name keeps odd file names and concurrent outputs apart.
    QTemporaryDir work(cacheDir + "/convert-XXXXXX");
    if (!work.isValid()) throw Error(str(cacheDir) + ": cannot create a temporary folder");
    const QString input = work.filePath("document." + suffix);
    if (!QFile::copy(path, input)) throw InputError(str(path), "cannot be read");

    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setChildProcessModifier([] { ::setsid(); });
    const QString profile = QUrl::fromLocalFile(cacheDir + "/lo-profile").toString();
    process.start(soffice, {"-env:UserInstallation=" + profile, "--headless", "--norestore", "--nolockcheck",
                            "--convert-to", "pdf", "--outdir", work.path(), input});
    if (!process.waitForStarted(10000))
        throw InputError(str(path), "LibreOffice (" + str(soffice) + ") could not be started: " +
                                        str(process.errorString()));

    QElapsedTimer clock;
    clock.start();
    while (process.state() != QProcess::NotRunning && !process.waitForFinished(100)) {
        if (options.cancel && options.cancel->cancelled()) {
            killGroup(process);
            throw CancelledError();
        }
        if (clock.elapsed() > options.officeTimeoutMs) {
            killGroup(process);
            throw InputError(str(path), "LibreOffice did not finish converting it within " +
                                            str(QString::number(options.officeTimeoutMs / 1000.0, 'g', 3)) +
                                            " s and was stopped");
        }
    }
    const QString output = work.filePath("document.pdf");
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0 || !QFileInfo(output).size()) {
        const QString why = lastLine(process.readAll());
        throw InputError(str(path), "LibreOffice could not convert it to PDF" +
                                        (why.isEmpty() ? std::string() : " (" + str(why) + ")"));
    }
    // Rename inside the cache folder: readers see a whole PDF or none.
    if (!QFile::rename(output, cached) && !QFileInfo::exists(cached))
        throw Error(str(cached) + ": cannot store the converted PDF");
    return cached;
}

}  // namespace leopard
