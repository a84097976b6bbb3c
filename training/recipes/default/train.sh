#!/bin/sh
# The bundled default model, end to end: synthetic data (seed 1) → held-out
# eval set (seed 1000003, never trained on) → byte-level vocabulary →
# training (resumes from WORK/model/checkpoint when run again) → evaluation
# with leopard-cli eval. Usage:
#   training/recipes/default/train.sh [WORK]      (default: build/default-recipe)
# LEOPARD_BIN names the folder with leopard-train and leopard-cli (default
# build/bin). The finished model is WORK/model; resources/models/default/
# holds the checked-in copy (model files + eval report).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
bin="${LEOPARD_BIN:-$root/build/bin}"
work="${1:-$root/build/default-recipe}"
mkdir -p "$work"
cp "$here/model_config.json" "$here/train_config.json" "$work/"
start=$(date +%s)

[ -f "$work/data/train.jsonl" ] ||
  "$bin/leopard-train" synth --out "$work/data" --seed 1 --train 10000 --min-side 192 --max-side 256 --quiet
[ -f "$work/heldout/eval.jsonl" ] ||
  "$bin/leopard-train" synth --out "$work/heldout" --seed 1000003 --eval 240 --min-side 192 --max-side 256 --quiet
# Byte-level tokenizer.json: with ~1 M training tokens, a learned vocabulary
# would leave most of its embedding rows nearly untrained.
[ -f "$work/vocab/tokenizer.json" ] || "$bin/leopard-train" vocab --byte-level --out "$work/vocab"
# Data-parallel over the cores, one intra-op thread each: this model is too
# small for LibTorch's threads (one process with 2 threads ran at 27 samples/s
# on reading crops, two processes with one thread each at 58). Every process
# count sees the same samples in the same order; the averaged gradients
# differ only in floating-point rounding, so the model is not bit for bit
# the one-process model. LEOPARD_TRAIN_PROCS sets the count.
procs="${LEOPARD_TRAIN_PROCS:-$(nproc)}"
rendezvous="$work/rendezvous"
rm -f "$rendezvous"
pids=""
for rank in $(seq 1 $((procs - 1))); do
  "$bin/leopard-train" train --config "$work/train_config.json" --threads 1 --world-size "$procs" --rank "$rank" \
    --rendezvous "$rendezvous" >"$work/rank$rank.log" 2>&1 &
  pids="$pids $!"
done
"$bin/leopard-train" train --config "$work/train_config.json" --threads 1 --world-size "$procs" --rank 0 \
  --rendezvous "$rendezvous"
for pid in $pids; do wait "$pid"; done
"$bin/leopard-cli" eval --model "$work/model" --data "$work/heldout/eval.jsonl"

echo "recipe finished in $(( $(date +%s) - start )) s: $work/model"
