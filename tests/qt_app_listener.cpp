// The documents and CLI tests draw their documents (QPdfWriter, QPainter)
// and use Qt's image plugins, which need a QGuiApplication: this listener
// makes one for the whole run, on the offscreen platform unless
// QT_QPA_PLATFORM says otherwise. Compiled into each suite that needs it.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include <catch2/catch.hpp>

#include <memory>

#include <QGuiApplication>

namespace {

struct QtAppListener : Catch::TestEventListenerBase {
    using TestEventListenerBase::TestEventListenerBase;

    void testRunStarting(const Catch::TestRunInfo&) override {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    }
    void testRunEnded(const Catch::TestRunStats&) override { app.reset(); }

    int argc = 1;
    char name[32] = "leopard_tests";
    char* argv[2] = {name, nullptr};
    std::unique_ptr<QGuiApplication> app;
};

}  // namespace

CATCH_REGISTER_LISTENER(QtAppListener)
