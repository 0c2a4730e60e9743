#!/usr/bin/env bash
# Builds core, db and the unit tests with AddressSanitizer + UndefinedBehaviorSanitizer (gcc)
# into a folder of their own and runs the unit tests there (`ctest -L unit`). Any sanitizer
# report aborts its test, so the run fails and names it.
#   packaging/sanitize.sh            (SN_SANITIZE_DIR: the folder, default build-sanitize)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SN_SANITIZE_DIR:-$root/build-sanitize}
# -O1 -g1: reports with exact lines (line tables only, no variable info), at about half the
# build time of -O2 -g.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DSUPERNET_SANITIZE=ON -DSUPERNET_CUDA=OFF "$@" > /dev/null
# The unit tests: those labelled unit in tests/CMakeLists.txt, as CTest lists them (a new one
# is built and run without a change here).
mapfile -t tests < <(cd "$build" && ctest -N -L unit | sed -n 's/^ *Test *#[0-9]*: *//p')
[ ${#tests[@]} -gt 0 ] || { echo "sanitize: no unit tests listed by ctest -N -L unit" >&2; exit 1; }
cmake --build "$build" -j "${SN_JOBS:-$(nproc)}" --target "${tests[@]}"
# LeakSanitizer on too: the unit tests exit with no leak reported, LibTorch's and Qt's
# start-up allocations included, so no suppressions are needed.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$build"
ctest --output-on-failure -L unit
