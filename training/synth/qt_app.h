// Text rendering with QPainter needs a QGuiApplication (fonts). Command-line
// tools and tests call ensureGuiApplication() once before drawing; it creates
// an offscreen one when none exists (no display needed).
//
// Call from the main thread only.
#pragma once

namespace leopard::synth {

void ensureGuiApplication();

}  // namespace leopard::synth
