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
[ ${#harnesses[@]} -eq 0 ] && harnesses=(fuzz_pickle fuzz_arch fuzz_space fuzz_config fuzz_idx fuzz_cifar fuzz_checkpoint)
cxx=${SN_FUZZ_CXX:-clang++-14}
mkdir -p "$out"
flags=(-std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I"$root")

# harness: the core sources it fuzzes, compiled here with coverage and sanitizers. The plain
# harnesses need nothing else; the torch ones take the rest of core (uninstrumented) from
# build/'s libraries, and LibTorch as Debian built it.
declare -A sources=(
  [fuzz_pickle]="core/pytorch_io/pickle_reader.cpp"
  [fuzz_arch]="core/space/arch.cpp core/space/search_space.cpp core/space/presets.cpp core/space/block_layout.cpp $build/core/embedded_resources.cpp"
  [fuzz_space]="core/space/search_space.cpp"
  [fuzz_config]="core/project/project_config.cpp core/data/dataset_spec.cpp core/train/train_recipe.cpp core/prune/pruning_spec.cpp core/train/distributed_spec.cpp core/project/init_from.cpp core/space/search_space.cpp"
  [fuzz_idx]="core/data/idx_reader.cpp"
  [fuzz_cifar]="core/data/cifar10_reader.cpp core/data/cifar10_files.cpp"
  [fuzz_checkpoint]="core/train/checkpoint.cpp core/pytorch_io/zip_integrity.cpp"
)
declare -A corpus=([fuzz_pickle]=pickle [fuzz_arch]=arch [fuzz_space]=space [fuzz_config]=config
                   [fuzz_idx]=idx [fuzz_cifar]=cifar [fuzz_checkpoint]=checkpoint)
torch_harnesses=" fuzz_config fuzz_idx fuzz_cifar fuzz_checkpoint "
torch_flags=(-I/usr/include/torch/csrc/api/include -Wno-unused-command-line-argument)
lib=/usr/lib/x86_64-linux-gnu
# core's torch sources are unity TUs, so an archive member can define a fuzzed file's
# functions again: the first definition, the instrumented one, is the one linked.
torch_libs=(-Wl,--allow-multiple-definition -Wl,--start-group "$build"/core/libsupernet_core.a "$build"/core/libsupernet_c10d.a
  "$build"/db/libsupernet_db.a "$build"/kernels/libsupernet_kernels.a "$build"/core/libsupernet_onnx.a
  -Wl,--end-group -lsqlite3 -lz $lib/libonnx_proto.so.1 -lopencv_dnn -lopencv_imgcodecs
  -lopencv_imgproc -lopencv_core -lxgboost -ltorch -Wl,--no-as-needed -ltorch_cpu -Wl,--as-needed
  -lprotobuf -lc10 -lglog -lgflags -lpthread /usr/lib/libgloo.so)

status=0
for h in "${harnesses[@]}"; do
  [ -n "${sources[$h]:-}" ] || { echo "fuzz: no harness $h"; status=1; continue; }
  compile=() link=()
  if [[ "$torch_harnesses" == *" $h "* ]]; then compile=("${torch_flags[@]}"); link=("${torch_libs[@]}"); fi
  # shellcheck disable=SC2086
  (cd "$root" && "$cxx" "${flags[@]}" "${compile[@]}" tests/fuzz/$h.cpp ${sources[$h]} "${link[@]}" -o "$out/$h")
  scratch="$out/$h-corpus"
  rm -rf "$scratch" && mkdir -p "$scratch" "$root/tests/fuzz/corpus/${corpus[$h]}"
  # fuzz_checkpoint writes its own seed (a real checkpoint of its network) into the scratch corpus.
  export SN_FUZZ_SEED_DIR="$scratch"
  log="$out/$h.log"
  # SN_FUZZ_SEED fixes libFuzzer's seed (CTest sets 1: a CI run then repeats the mutations
  # that passed before rather than landing on a new finding by chance); unset: a random one.
  if ! "$out/$h" -max_total_time="$seconds" -rss_limit_mb=2048 -artifact_prefix="$out/$h-" \
       ${SN_FUZZ_SEED:+-seed="$SN_FUZZ_SEED"} \
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
