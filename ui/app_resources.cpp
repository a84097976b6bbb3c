#include "app_resources.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include "documents/settings.h"

// Q_INIT_RESOURCE must be used outside any namespace.
static void initLeopardUiResources() { Q_INIT_RESOURCE(leopard_ui); }

namespace leopard::ui {

void initResources() { initLeopardUiResources(); }

QIcon appIcon() {
    return QIcon::fromTheme(QStringLiteral("org.leoparddesk.LeopardDesk"),
                            QIcon(QStringLiteral(":/icons/org.leoparddesk.LeopardDesk.svg")));
}

void setApplicationIdentity() {
    QCoreApplication::setOrganizationName(QString::fromUtf8(kSettingsOrganization));
    QCoreApplication::setApplicationName(QString::fromUtf8(kSettingsApplication));
    QCoreApplication::setApplicationVersion(QStringLiteral(LEOPARD_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Leopard Desk"));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.leoparddesk.LeopardDesk"));
}

}  // namespace leopard::ui
