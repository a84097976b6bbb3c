#!/usr/bin/env bash
# Proves the engine part of core/ and the engine-only leopard-cli build on a
# machine with LibTorch but without Qt 6 or Poppler: configures a separate
# build with LEOPARD_ENGINE_ONLY=ON while Qt6 is disabled for find_package
# and pkg-config sees only the engine's own .pc files (no poppler-qt6, no
# Qt), builds it, and runs the engine-only CLI.
set -euo pipefail
src="${1:?source dir}"
out="${2:?build dir}"

pc_dir="$out/pkgconfig-engine-only"
mkdir -p "$pc_dir"
for pc in libpcre2-8 sentencepiece; do
  f="$(pkg-config --variable=pcfiledir "$pc")/$pc.pc"
  ln -sf "$f" "$pc_dir/$pc.pc"
done

PKG_CONFIG_LIBDIR="$pc_dir" PKG_CONFIG_PATH="" \
  cmake -S "$src" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DLEOPARD_ENGINE_ONLY=ON -DLEOPARD_BUILD_TESTS=OFF \
    -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON >/dev/null
if PKG_CONFIG_LIBDIR="$pc_dir" pkg-config --exists poppler-qt6 Qt6Core 2>/dev/null; then
  echo "engine-only build: Qt/Poppler still visible to pkg-config" >&2; exit 1
fi
if grep -q "Qt6_DIR:PATH=/" "$out/CMakeCache.txt" || grep -qi "poppler" "$out/CMakeCache.txt"; then
  echo "engine-only build: configure found Qt or Poppler" >&2; exit 1
fi
cmake --build "$out" --parallel "$(nproc)"
"$out/bin/leopard-cli" --version
"$out/bin/leopard-cli" doctor | grep -E "^(libtorch|qt|poppler):"
# The binary itself must not need Qt 6 or Poppler. (Only its own DT_NEEDED
# entries count: Debian's libtorch_cpu itself pulls Qt 5 and libpoppler in
# through OpenCV, so `ldd` lists them whatever we build.)
if readelf -d "$out/bin/leopard-cli" | grep NEEDED | grep -Eqi "libQt6|poppler"; then
  echo "engine-only leopard-cli links Qt or Poppler" >&2; exit 1
fi
echo "engine-only build OK"
