#!/usr/bin/env bash
# Peak memory and time of `leopard-cli tiles` on a 48 MP JPEG (a phone photo
# of a document: examples/report.pdf page 1 rendered to 6000 × 8000 by
# pdftoppm), planned and resampled at its native size. For comparison: the
# same command on a 0.5 MP PNG (the process's own baseline: Qt, LibTorch)
# and the decoded image's size (4 bytes a pixel, as Qt decodes a JPEG).
#   scripts/bench_large_image.sh [BUILD_DIR]      (default: build)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$(cd "${1:-$here/build}" && pwd)/bin"
export QT_QPA_PLATFORM=offscreen
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

pdftoppm -jpeg -jpegopt quality=90 -f 1 -l 1 -scale-to-x 6000 -scale-to-y 8000 "$here/examples/report.pdf" "$work/photo"
pdftoppm -png -f 1 -l 1 -scale-to-x 600 -scale-to-y 800 "$here/examples/report.pdf" "$work/small"
photo="$(ls "$work"/photo*.jpg)"
small="$(ls "$work"/small*.png)"

# LABEL FILE: prints peak RSS and wall time of `leopard-cli tiles FILE`; sets $kib.
measure() {
  local out
  out="$(mktemp -d "$work/out.XXXXXX")"
  /usr/bin/time -f '%M %e' -o "$work/time" "$bin/leopard-cli" tiles --out "$out" "$2" >/dev/null
  local secs
  read -r kib secs <"$work/time"
  awk -v l="$1" -v k="$kib" -v s="$secs" -v n="$(ls "$out"/*.png | wc -l)" \
    'BEGIN { printf "%-28s peak RSS %7.1f MiB   %6.2f s   %d tiles\n", l, k / 1024, s, n }'
}

echo "leopard-cli tiles, planned from native pixels (one run each):"
measure "600×800 PNG (baseline)" "$small"
base_kib=$kib
measure "6000×8000 JPEG (48.0 MP)" "$photo"
awk -v b="$base_kib" -v p="$kib" 'BEGIN {
  d = 6000 * 8000 * 4 / 1048576
  printf "decoded image (RGB32) %.1f MiB; peak above the baseline %.1f MiB = %.2f x the decoded image\n", d, (p - b) / 1024, (p - b) / 1024 / d }'
