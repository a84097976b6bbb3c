#!/usr/bin/env bash
# Builds the Debian package with CPack, checks its metadata (dependencies
# computed by dpkg-shlibdeps, LibreOffice recommended), unpacks it into a
# fresh root, and from an empty HOME runs the installed leopard-cli on an
# installed example with the installed default model, and the installed
# `leopard --version` under the offscreen platform. The installed binaries
# must find their data relative to themselves (no build-tree paths).
set -euo pipefail
build="${1:?build dir}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$build"
cpack -G DEB -B "$work/pkg" >/dev/null
deb="$(ls "$work"/pkg/*.deb | head -n1)"
echo "package: $(basename "$deb")"

depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
for lib in libtorch libqt6core6 libpoppler-qt6 libsentencepiece; do
  grep -q "$lib" <<<"$depends" || { echo "Depends lacks $lib (shlibdeps not applied?)" >&2; exit 1; }
done
dpkg-deb -f "$deb" Recommends | grep -q libreoffice-impress-nogui

root="$work/root"
dpkg -x "$deb" "$root"
for f in usr/bin/leopard usr/bin/leopard-cli usr/bin/leopard-train \
         usr/share/applications/org.leoparddesk.LeopardDesk.desktop \
         usr/share/metainfo/org.leoparddesk.LeopardDesk.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/org.leoparddesk.LeopardDesk.svg \
         usr/share/icons/hicolor/48x48/apps/org.leoparddesk.LeopardDesk.png \
         usr/share/leopard-desk/models/default/config.json \
         usr/share/man/man1/leopard-cli.1.gz; do
  [[ -e "$root/$f" ]] || { echo "missing in package: $f" >&2; exit 1; }
done
desktop-file-validate "$root/usr/share/applications/org.leoparddesk.LeopardDesk.desktop"
appstreamcli validate --no-net "$root/usr/share/metainfo/org.leoparddesk.LeopardDesk.metainfo.xml" >/dev/null

# The installed binaries must resolve their data inside the fresh root
# (relative to /proc/self/exe), never in the build tree: doctor says which.
export HOME="$work/home"; mkdir -p "$HOME"
unset LEOPARD_MODEL LEOPARD_DATA_DIR
example="$(ls "$root"/usr/share/leopard-desk/examples/*.png | head -n1)"
"$root/usr/bin/leopard-cli" doctor | grep "default model:" | grep -q "$root/usr/share/leopard-desk/models/default"
"$root/usr/bin/leopard-cli" ask --max-new-tokens 8 --json "$example" -q "What is shown?" > "$work/answer.json"
grep -q '"answer"' "$work/answer.json"
QT_QPA_PLATFORM=offscreen "$root/usr/bin/leopard" --version | grep -q "leopard"
echo "package install OK"
