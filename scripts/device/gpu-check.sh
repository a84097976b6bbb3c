#!/usr/bin/env bash
# The GPU session's one script (issue 3: CUDA; issue 7: training on CUDA).
# Runs on the device machine from the repository root after
# scripts/device/pack.sh filled .devdeps/ here. It builds the engine-only
# configuration against that machine's CUDA LibTorch, checks tiny-leopard on
# CUDA against the goldens (f32 and bf16) and on its CPU, benchmarks the
# llama-1b and leopard-llava-8b shapes on the GPU, and, when .devdeps/train
# exists, trains the default recipe's model on CUDA for what time is left.
# Everything lands in $OUT (run.log, build.log, bench.jsonl, model.tar).
# Usage: OUT=dir LEOPARD_GPU_SECONDS=540 scripts/device/gpu-check.sh
# (LEOPARD_GPU_DEVICE=cpu, LEOPARD_GPU_BUILD=dir and LEOPARD_GPU_SKIP_BUILD=1
# make a dry run with an existing build on a machine without a GPU.)
set -uo pipefail
root="$(pwd)"
out="${OUT:-$root/out-device}"
budget="${LEOPARD_GPU_SECONDS:-540}"
mkdir -p "$out"
exec > >(tee -a "$out/run.log") 2>&1
say() { echo "== [$SECONDS s] $*"; }
deps="$root/.devdeps/usr"
export PKG_CONFIG_PATH="$deps/lib/pkgconfig"
export TORCH_CUDA_ARCH_LIST="${TORCH_CUDA_ARCH_LIST:-9.0}"
dev="${LEOPARD_GPU_DEVICE:-cuda}"
build="${LEOPARD_GPU_BUILD:-build-gpu}"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
torch_prefix="$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null)"
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' 2>/dev/null

if [ -z "${LEOPARD_GPU_SKIP_BUILD:-}" ]; then
say "configure"
gen=Ninja; command -v ninja >/dev/null || gen="Unix Makefiles"
cmake -S . -B "$build" -G "$gen" -DCMAKE_BUILD_TYPE=Release -DLEOPARD_ENGINE_ONLY=ON -DLEOPARD_BUILD_TESTS=OFF \
  -DCMAKE_PREFIX_PATH="$torch_prefix;$deps" -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON \
  -DPNG_PNG_INCLUDE_DIR="$deps/include" -DPNG_LIBRARY="$deps/lib/libpng16.so" \
  -DZLIB_INCLUDE_DIR="$deps/include" -DZLIB_LIBRARY="$deps/lib/zlib/libz.so" > "$out/configure.log" 2>&1 ||
  { tail -40 "$out/configure.log"; exit 1; }
say "build"
if [ "$gen" = Ninja ]; then keep="-k 0"; else keep="-k"; fi
cmake --build "$build" -j "$(nproc)" -- $keep > "$out/build.log" 2>&1
grep -E "error|FAILED" "$out/build.log" | head -60
fi
bin="$root/$build/bin"
[ -x "$bin/leopard-cli" ] || { tail -60 "$out/build.log"; exit 1; }
# PCRE2 and libpng from .devdeps (also on the build RPATH); only our programs
# get this library path, not the machine's Python.
cli() { LD_LIBRARY_PATH="$deps/lib" "$bin/leopard-cli" "$@"; }
trainer() { LD_LIBRARY_PATH="$deps/lib" "$bin/leopard-train" "$@"; }
cli --version
cli doctor

phases="${LEOPARD_GPU_PHASES:-goldens bench train}"
has() { case " $phases " in *" $1 "*) return 0;; esac; return 1; }

if has goldens; then
say "goldens"
g="$root/tests/data/golden/tiny-leopard"
for run in "$dev f32" "$dev bf16" "cpu f32"; do
  set -- $run
  cli forward --model "$g" --inputs "$g/golden.safetensors" --out "/tmp/fwd-$1-$2.safetensors" \
      --generate 16 --device "$1" --dtype "$2" &&
    python3 scripts/device/compare_golden.py "$g" "/tmp/fwd-$1-$2.safetensors" "$1 $2"
done

fi

if has bench; then
say "bench"
bench() {   # label, bench arguments…
  local label="$1"; shift
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "/tmp/mem-$label" 2>/dev/null &
  local smi=$!
  cli bench --device "$dev" --json "$@" > "/tmp/bench-$label.json"
  kill "$smi" 2>/dev/null; wait "$smi" 2>/dev/null
  python3 - "$label" "/tmp/bench-$label.json" "/tmp/mem-$label" <<'PY' | tee -a "$out/bench.jsonl"
import json, sys
j = json.load(open(sys.argv[2]))
mem = [int(x) for x in open(sys.argv[3]).read().split() if x.strip().isdigit()]
j["label"] = sys.argv[1]
j["gpu_memory_peak_mib"] = max(mem) if mem else None
print(json.dumps(j))
PY
}
bench 1b-bf16 --random llama-1b --dtype bf16 --tiles 4 --prompt-tokens 256 --new-tokens 64
[ "$dev" = cpu ] || bench 1b-f32 --random llama-1b --dtype f32 --tiles 4 --prompt-tokens 256 --new-tokens 64
[ "$dev" = cpu ] || bench 8b-bf16-t8 --random leopard-llava-8b --dtype bf16 --tiles 8 --prompt-tokens 256 --new-tokens 64
[ "$dev" = cpu ] || bench 8b-bf16-t50 --random leopard-llava-8b --dtype bf16 --tiles 50 --prompt-tokens 256 --new-tokens 64

fi

t="$root/.devdeps/train"
if has train && [ -d "$t" ] && [ -x "$bin/leopard-train" ]; then
  say "training calibration"
  python3 - "$t" "$dev" <<'PY'
import json, sys
t = sys.argv[1]
base = {"model_config": "model_config.json", "tokenizer": "vocab", "train_data": "data/train.jsonl",
        "eval_data": "heldout/eval.jsonl", "batch_size": 8, "lr": 0.002, "min_lr": 0.0001,
        "warmup_steps": 20, "weight_decay": 0.0, "grad_clip": 1.0, "seed": 1, "tile_budget": 50,
        "autocast": "none", "eval_samples": 60, "max_new_tokens": 12, "device": sys.argv[2]}
json.dump(dict(base, out="/tmp/calib", eval_data="", steps=30, log_every=10, checkpoint_every=0),
          open(f"{t}/calib.json", "w"))
json.dump(base, open(f"{t}/base.json", "w"))
PY
  trainer train --config "$t/calib.json" 2>&1 | grep -E "step|training on|rror"
  left=$(( budget - SECONDS - ${LEOPARD_GPU_TRAIN_RESERVE:-60} ))
  [ "$left" -ge 60 ] || { say "only $left s left: no training run"; exit 0; }
  python3 - "$t" "$left" "${LEOPARD_GPU_CHECKPOINT_EVERY:-}" <<'PY'
import json, sys
t, left = sys.argv[1], int(sys.argv[2])
rows = [json.loads(l) for l in open("/tmp/calib/metrics.jsonl") if '"loss"' in l]
rate = rows[-1]["samples_per_s"]
steps = max(50, int(rate * left / 8 * 0.85))   # eval and checkpoints take the rest
c = json.load(open(f"{t}/base.json"))
every = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else max(50, steps // 4)
c.update(out="model", steps=steps, log_every=25, eval_every=max(50, steps // 10), checkpoint_every=every,
         time_limit_minutes=left / 60.0)
json.dump(c, open(f"{t}/train_config.json", "w"), indent=1)
print(f"calibration: {rate:.1f} samples/s -> {steps} steps in {left} s")
PY
  say "training"
  # Under a debugger where there is one: a crash leaves its backtrace.
  if [ -z "${LEOPARD_GPU_NO_GDB:-}" ] && command -v cuda-gdb >/dev/null && [ "$dev" != cpu ]; then
    LD_LIBRARY_PATH="$deps/lib" cuda-gdb -q -batch -ex run -ex bt -ex "info threads" \
      --args "$bin/leopard-train" train --config "$t/train_config.json" > "$out/train.log" 2>&1
  else
    trainer train --config "$t/train_config.json" > "$out/train.log" 2>&1
  fi
  grep -E "training on|eval|rror|finished|stopped|resum" "$out/train.log"; tail -3 "$out/train.log"
  cp "$t/train_config.json" "$t/model/" 2>/dev/null
  ls "$t/model"
  tar -C "$t" --exclude='model/checkpoint*' -cJf "$out/model.tar.xz" model
fi
say "done"
