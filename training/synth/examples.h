// The example documents shipped in examples/ (issue 6 item 7), drawn by the
// same renderers as the synthetic data with fixed content:
//
//   slides.pdf              a three-slide deck (PDF with a text layer)
//   slides.fodp             the same deck as flat ODF, which
//                           scripts/make-examples.sh converts to .odp/.pptx
//   report.pdf              a two-page report
//   screenshot-before.png   a settings screen …
//   screenshot-after.png    … with one setting changed
//   README.md               what each file says, so users can ask about it
//
// Needs a QGuiApplication (synth/qt_app.h).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace leopard::synth {

// Writes the files into `dir` (created if missing) and returns their names.
// Throws InputError when the folder cannot be written.
std::vector<std::string> writeExamples(const std::filesystem::path& dir);

}  // namespace leopard::synth
