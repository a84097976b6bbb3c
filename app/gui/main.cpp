// `leopard`: the Leopard Desk desktop application. Thin: it sets up the
// runtime and the application, then shows ui/'s MainWindow.
//
//   leopard [FILE...]     open documents (else the last conversation comes back)
//   leopard --version     "leopard 0.1.0"
#include <cstring>
#include <memory>

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>

#include "app_resources.h"
#include "app_settings.h"
#include "documents/runtime_info.h"
#include "engine/runtime.h"
#include "main_window.h"

namespace {

bool infoOnly(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        for (const char* flag : {"--version", "-v", "--help", "-h", "--help-all"})
            if (std::strcmp(argv[i], flag) == 0) return true;
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    // --version and --help must work without a display (scripts, packaging
    // checks): they get a console application.
    const bool info = infoOnly(argc, argv);
    std::unique_ptr<QCoreApplication> app;
    if (info) app = std::make_unique<QCoreApplication>(argc, argv);
    else app = std::make_unique<QApplication>(argc, argv);
    leopard::ui::setApplicationIdentity();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Ask questions about documents, slides and screenshots with the "
                                                    "Leopard vision-language model."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Documents or images to open."),
                                 QStringLiteral("[FILE...]"));
    parser.process(*app);  // exits after --version / --help

    leopard::ui::initResources();
    QApplication::setWindowIcon(leopard::ui::appIcon());

    const leopard::ui::AppSettings settings = leopard::ui::AppSettings::load();
    leopard::RuntimeOptions runtime;
    runtime.threads = settings.threads;
    runtime.quiet = true;
    leopard::configureRuntime(runtime);

    // The About box shows what `leopard-cli doctor` shows.
    leopard::ui::RuntimeReport report = leopard::engineRuntimeReport();
    for (auto& kv : leopard::documentsRuntimeReport()) report.push_back(kv);

    leopard::ui::MainWindow window(report);
    window.show();
    QStringList files;
    for (const QString& f : parser.positionalArguments()) files << QFileInfo(f).absoluteFilePath();
    if (files.isEmpty()) window.restoreLastConversation();
    else window.openFiles(files);
    return app->exec();
}
