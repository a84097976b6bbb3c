// The desktop application's bundled resources (the app icon) and the
// application-wide set-up every entry point (the `leopard` program, GUI
// tests) shares.
//
// Call from the GUI thread after the QApplication exists.
#pragma once

#include <QIcon>

namespace leopard::ui {

// Registers ui/'s compiled resources (needed once: ui/ is a static library).
void initResources();

// The application icon: the theme's, else the bundled SVG.
QIcon appIcon();

// Organization and application names (QSettings, QStandardPaths: they must
// match documents/settings.h), version, desktop file name.
void setApplicationIdentity();

}  // namespace leopard::ui
