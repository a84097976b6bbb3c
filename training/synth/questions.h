// Builds one verified Sample of a category: picks documents, draws them,
// words the question and checks (verify.h) that the answer can be read back
// from the drawn pages, drawing new pages until it can.
//
// Reentrant; the Rng decides everything, so equal seeds give equal samples.
#pragma once

#include "synth/render.h"
#include "synth/rng.h"
#include "synth/sample.h"

namespace leopard::synth {

// Throws leopard::Error if no derivable sample comes out of many attempts
// (which would be a bug in the templates, not bad luck).
Sample makeSample(Category category, Rng& rng, const CanvasOptions& canvas);

}  // namespace leopard::synth
