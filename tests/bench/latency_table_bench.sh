#!/usr/bin/env bash
# Latency table accuracy and the machine's noise floor, for the issue's matrix: method
# (in-network, isolated) x batch (1, 32) x threads (1, 2), on this CPU as it is and with
# LibTorch held to AVX2 (ATen, oneDNN and OpenBLAS kernels; the other machine type has no
# AVX-512). One line each: share within 10%, mean and worst error, noise floor.
#   tests/bench/latency_table_bench.sh [BUILD_DIR] [REPEATS]
set -euo pipefail
build=${1:-build}
repeats=${2:-1}
cli="$build/app/supernet-cli"
project=$(mktemp -d)/lat
"$cli" init "$project" --template fmnist-small >/dev/null
read -r -d '' summary <<'PY' || true
import json, os, sys
d = json.load(sys.stdin)
isa, method, batch, threads = os.environ["SN_LINE"].split()
print("%-6s %-10s batch %2s threads %s: %3.0f%% within 10%%, mean %4.1f%%, worst %5.1f%%; "
      "noise median %4.1f%%, p90 %4.1f%%" % (
          isa, method, batch, threads, 100 * d["within_10_percent"],
          100 * d["mean_relative_error"], 100 * d["worst_relative_error"],
          100 * d["noise_median"], 100 * d["noise_p90"]), flush=True)
PY
avx2=(ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 OPENBLAS_CORETYPE=Haswell)
for isa in native avx2; do
  for method in in-network isolated; do
    for batch in 1 32; do
      for threads in 1 2; do
        for ((r = 0; r < repeats; r++)); do
          env=()
          [ "$isa" = avx2 ] && env=("${avx2[@]}")
          out=$(env "${env[@]}" "$cli" latency-table "$project" --threads "$threads" \
                --batch "$batch" --method "$method" --json 2>/dev/null)
          SN_LINE="$isa $method $batch $threads" python3 -c "$summary" <<<"$out"
        done
      done
    done
  done
done
rm -rf "$(dirname "$project")"
