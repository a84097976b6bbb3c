#!/usr/bin/env bash
# Where a CPU decode step spends its time, by function, with Linux perf
# (apt install linux-perf): writes a bf16 llama-1b-shape random checkpoint,
# then records `leopard-cli bench` on it (64-token prompt, 600 new tokens;
# the recording starts 15 s in, after loading, the prefill and the first
# decode steps, so it holds decode steps only) and prints perf's flat
# profile.
#   scripts/perf_decode.sh [BUILD_DIR]        (default: build)
# README's Performance section quotes its first lines.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$here/build}" && pwd)"
command -v perf >/dev/null || { echo "perf_decode.sh: perf is not installed (apt install linux-perf)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$build/bin/leopard-cli" bench --random llama-1b --device cpu --dtype bf16 --save-random "$work/model" >/dev/null
perf record -q -F 2000 -D 15000 -o "$work/perf.data" -- \
  "$build/bin/leopard-cli" bench --model "$work/model" --device cpu --dtype bf16 --tiles 0 \
  --prompt-tokens 64 --new-tokens 600 | grep -E "^(prefill|decode)"
perf report -i "$work/perf.data" --no-children --sort dso,symbol --percent-limit 0.5 2>/dev/null |
  grep -v '^#' | grep -v '^$' | cut -c1-120
