#!/usr/bin/env bash
# Data-parallel throughput on one machine: 1 process x T threads against N processes x T/N
# threads (supernet-cli train --nproc N), same global batch, same data; prints images/s of
# each and, for the ranks, the gradient all-reduce's time and bytes per step (the
# distributed/* metric rows rank 0 writes).
#
#   tests/bench/distributed_bench.sh [BUILD_DIR] [IMAGES] [THREADS] [RANKS]
#   (defaults: build, 6400 fmnist-small training images, 2 threads, 2 ranks)
set -euo pipefail
build=${1:-build}
images=${2:-6400}
threads=${3:-2}
ranks=${4:-2}
cli="$build/app/supernet-cli"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# One epoch of fmnist-small at global batch 128; the epoch-end evaluation is cut to the
# largest and smallest on 500 test images so the step rate dominates.
make_project() {  # DIR PER_RANK_BATCH
  "$cli" init "$1" --template fmnist-small --train-limit "$images" --test-limit 500 --epochs 1 >/dev/null
  python3 - "$1" "$2" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1] + "/project.sqlite")
cfg = json.loads(db.execute("select value from project_settings where key='config'").fetchone()[0])
cfg["recipe"].update(batch_size=int(sys.argv[2]), log_every=10, probe={"subnets": 2, "every": 1})
db.execute("update project_settings set value=? where key='config'", (json.dumps(cfg),))
db.commit()
PY
}

report() {  # DIR LABEL
  python3 - "$1" "$2" <<'PY'
import sqlite3, statistics, sys
db = sqlite3.connect(sys.argv[1] + "/project.sqlite")
def series(key):
    # The first interval includes start-up (data on the device, first oneDNN primitives).
    rows = [v for (v,) in db.execute("select value from metrics where key=? order by step", (key,))]
    return rows[1:] if len(rows) > 1 else rows
ips = series("throughput/images_per_s")
line = f"{sys.argv[2]:<28} images/s median {statistics.median(ips):7.1f} (intervals: {len(ips)})"
ms, by = series("distributed/allreduce_ms"), series("distributed/allreduce_bytes")
if ms:
    line += f"  all-reduce {statistics.median(ms):6.2f} ms/step, {by[0] / 1e6:.2f} MB/step per rank"
print(line)
PY
}

make_project "$scratch/one" 128
"$cli" train "$scratch/one" --threads "$threads" >/dev/null 2>&1
report "$scratch/one" "1 process x $threads threads"

per_rank=$((128 / ranks))
make_project "$scratch/ranks" "$per_rank"
"$cli" train "$scratch/ranks" --nproc "$ranks" --threads $((threads / ranks > 0 ? threads / ranks : 1)) >/dev/null 2>&1
report "$scratch/ranks" "$ranks processes x $((threads / ranks > 0 ? threads / ranks : 1)) thread(s)"
