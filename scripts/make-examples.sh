#!/usr/bin/env bash
# Regenerates examples/ (the documents README command (1) and the tests use):
# leopard-train draws the PDFs, screenshots and README with fixed content,
# and LibreOffice turns the flat ODF deck into .odp and .pptx copies.
#
#   scripts/make-examples.sh                 # uses build/bin/leopard-train
#   LEOPARD_BUILD_DIR=out scripts/make-examples.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${LEOPARD_BUILD_DIR:-$here/build}"
train="$build_dir/bin/leopard-train"
out="$here/examples"

[[ -x "$train" ]] || { echo "make-examples: $train not built (cmake --build $build_dir --target leopard-train)" >&2; exit 2; }
command -v soffice >/dev/null || { echo "make-examples: soffice not found (apt-get install libreoffice-impress-nogui)" >&2; exit 2; }

QT_QPA_PLATFORM=offscreen "$train" synth --examples "$out" >/dev/null

# A private LibreOffice profile, so a running LibreOffice or another user's
# profile does not interfere, removed afterwards.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
for format in odp pptx; do
  soffice -env:UserInstallation="file://$profile" --headless --convert-to "$format" \
          --outdir "$out" "$out/slides.fodp" >/dev/null
done
rm -f "$out/slides.fodp"

ls -l "$out"
du -ch "$out"/* | tail -1
