#!/usr/bin/env bash
# Packs what a GPU machine without apt needs to build and check the engine
# (LEOPARD_ENGINE_ONLY with that machine's CUDA LibTorch) into .devdeps/:
# the Debian headers, CMake configs and libraries of nlohmann-json, CLI11,
# PCRE2, libpng and zlib, and, with a recipe work
# folder, a training set that fits the transfer limit. scripts/device/gpu-check.sh
# runs there. Usage:
#   scripts/device/pack.sh [RECIPE_WORK [MAX_TRAIN_MB]]
# RECIPE_WORK holds data/, heldout/ and vocab/ as training/recipes/default/train.sh
# makes them.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dst="$root/.devdeps"
rm -rf "$dst"
mkdir -p "$dst/usr/include" "$dst/usr/share/cmake" "$dst/usr/lib/pkgconfig"
lib=/usr/lib/x86_64-linux-gnu
cp -r /usr/include/nlohmann /usr/include/CLI "$dst/usr/include/"
cp /usr/include/pcre2.h /usr/include/png.h /usr/include/pngconf.h /usr/include/pnglibconf.h \
   /usr/include/zlib.h /usr/include/zconf.h "$dst/usr/include/"
cp -r /usr/share/cmake/nlohmann_json /usr/share/cmake/CLI11 "$dst/usr/share/cmake/"
cp -P "$lib"/libpcre2-8.so* "$lib"/libpng16.so* "$dst/usr/lib/"
# zlib only to link libpng against: at run time the machine's own libz serves
# (an older one on the library path could break its Python).
mkdir -p "$dst/usr/lib/zlib"
cp -L "$lib/libz.so" "$dst/usr/lib/zlib/libz.so"
ln -sf libpng16.so "$dst/usr/lib/libpng.so"
sed -e 's|^prefix=.*|prefix=${pcfiledir}/../..|' -e 's|^libdir=.*|libdir=${prefix}/lib|' \
    "$lib/pkgconfig/libpcre2-8.pc" > "$dst/usr/lib/pkgconfig/libpcre2-8.pc"

work="${1:-}"
if [ -n "$work" ]; then
  max_mb="${2:-40}"
  mkdir -p "$dst/train/data"
  cp -r "$work/vocab" "$work/heldout" "$dst/train/"
  cp "$root/training/recipes/default/model_config.json" "$dst/train/"
  # The first training samples whose images fit in MAX_TRAIN_MB.
  python3 - "$work/data" "$dst/train/data" "$max_mb" <<'PY'
import json, os, shutil, sys
src, out, budget = sys.argv[1], sys.argv[2], float(sys.argv[3]) * 1e6
used, kept = 0, []
for line in open(os.path.join(src, "train.jsonl")):
    s = json.loads(line)
    size = sum(os.path.getsize(os.path.join(src, p)) for p in s["images"])
    if used + size > budget: break
    used += size
    kept.append(line)
    for p in s["images"]:
        os.makedirs(os.path.dirname(os.path.join(out, p)), exist_ok=True)
        shutil.copyfile(os.path.join(src, p), os.path.join(out, p))
open(os.path.join(out, "train.jsonl"), "w").writelines(kept)
print(f"{len(kept)} training samples, {used/1e6:.1f} MB of images")
PY
fi
du -sh "$dst"
