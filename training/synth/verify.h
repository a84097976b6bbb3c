// The derivability check: recomputes a Sample's answer from the texts its
// renderer actually drew (Page::texts) — never from the content model — and
// says whether it matches. The generator rejects samples that fail, and the
// tests run it over every generated sample.
#pragma once

#include <string>

#include "synth/sample.h"

namespace leopard::synth {

// "" when the answer follows from the drawn pages; otherwise the reason.
std::string verifySample(const Sample& sample);

// "image 3" for page index 2.
std::string imageName(int pageIndex);

}  // namespace leopard::synth
