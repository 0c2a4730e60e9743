#!/usr/bin/env bash
# Configures and builds Supernet Studio into build/ (Release, Ninja, ccache when present).
# Extra arguments go to CMake's configure step, e.g. -DSUPERNET_BUILD_GUI=OFF.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SN_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
# Two cores and a 600 MB torch PCH: two jobs keep memory and time in check.
cmake --build "$build" -j "${SN_JOBS:-$(nproc)}"
