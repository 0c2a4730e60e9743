#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz with Debian's clang 14 (ASan + UBSan) and runs
# each (or only the HARNESS names given) for SECONDS (default 45) on a scratch copy of its seed corpus, then once over every
# regression input in tests/fuzz/regressions/<harness>/. Exit 1 when a harness crashes,
# leaks or trips a sanitizer (the input is kept in the scratch folder and named).
#   packaging/fuzz.sh [SECONDS [HARNESS...]]   (after packaging/build.sh: it reuses
#                                              build/core's generated embedded_resources.cpp)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SN_BUILD_DIR:-$root/build}
out=${SN_FUZZ_DIR:-$root/build-fuzz}
seconds=${1:-45}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(fuzz_pickle fuzz_arch fuzz_space)
cxx=${SN_FUZZ_CXX:-clang++-14}
mkdir -p "$out"
flags=(-std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I"$root")

# harness: the core sources it needs (plain C++, no torch)
declare -A sources=(
  [fuzz_pickle]="core/pytorch_io/pickle_reader.cpp"
  [fuzz_arch]="core/space/arch.cpp core/space/search_space.cpp core/space/presets.cpp core/space/block_layout.cpp"
  [fuzz_space]="core/space/search_space.cpp"
)
declare -A corpus=([fuzz_pickle]=pickle [fuzz_arch]=arch [fuzz_space]=space)

status=0
for h in "${harnesses[@]}"; do
  [ -n "${sources[$h]:-}" ] || { echo "fuzz: no harness $h"; status=1; continue; }
  extra=()
  [ "$h" = fuzz_arch ] && extra=("$build/core/embedded_resources.cpp")
  # shellcheck disable=SC2086
  (cd "$root" && "$cxx" "${flags[@]}" tests/fuzz/$h.cpp ${sources[$h]} "${extra[@]}" -o "$out/$h")
  scratch="$out/$h-corpus"
  rm -rf "$scratch" && mkdir -p "$scratch"
  log="$out/$h.log"
  if ! "$out/$h" -max_total_time="$seconds" -rss_limit_mb=2048 -artifact_prefix="$out/$h-" \
       "$scratch" "$root/tests/fuzz/corpus/${corpus[$h]}" > "$log" 2>&1; then
    echo "fuzz: $h FAILED; see $log and $out/$h-crash-* / leak-*"; tail -30 "$log"; status=1; continue
  fi
  runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log")
  echo "fuzz: $h ${runs:-0} executions in ${seconds} s, no crash"
  regressions="$root/tests/fuzz/regressions/$h"
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    "$out/$h" "$regressions"/* > "$out/$h-regressions.log" 2>&1 \
      || { echo "fuzz: $h fails a regression input"; tail -30 "$out/$h-regressions.log"; status=1; }
  fi
done
exit $status
