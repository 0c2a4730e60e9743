#!/usr/bin/env bash
# A project on a small tmpfs that fills up during training, then the same project folder
# read-only: each failing command says in one line which file and what happened (no space
# left, read-only), nothing already stored is lost (integrity_check ok, the rows and the
# checkpoints from before are all there and whole), and once there is room again the run
# resumes and ends exactly as a run that always had room.
#   disk_faults_test.sh SUPERNET_CLI
# Mounting needs root (CI runs as root on a disposable machine); without it the test is
# skipped (exit 77) and says so.
set -euo pipefail
cli=$1
work=$(mktemp -d)
disk="$work/disk"
mkdir "$disk"
if ! mount -t tmpfs -o size=64m tmpfs "$disk" 2> "$work/mount.err"; then
  echo "skipped: cannot mount a tmpfs here ($(cat "$work/mount.err"))"
  exit 77
fi
trap 'umount "$disk" 2>/dev/null || true; rm -rf "$work"' EXIT

fail() { echo "FAILED: $*"; exit 1; }

# One value from the project's database, read-only (Python's sqlite3).
sql() {
  python3 -c 'import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "/project.sqlite?mode=ro", uri=True)
print(c.execute(sys.argv[2]).fetchone()[0])' "$1" "$2"
}

# Run 1's metric rows but the timing ones, a line each.
rows() {
  python3 -c 'import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "/project.sqlite?mode=ro", uri=True)
for r in c.execute("SELECT key, step, value FROM metrics WHERE run_id = 1 AND key NOT LIKE ? ORDER BY key, step", ("throughput/%",)):
    print(*r)' "$1"
}

# Every recorded checkpoint file exists and matches its SHA-256; no other file is there.
checkpoints_whole() {
  python3 -c 'import hashlib, os, sqlite3, sys
d = sys.argv[1]
c = sqlite3.connect("file:" + d + "/project.sqlite?mode=ro", uri=True)
recorded = set()
for path, sha in c.execute("SELECT path, sha256 FROM checkpoints"):
    full = os.path.join(d, path)
    if not os.path.exists(full): sys.exit(full + ": recorded, missing")
    if hashlib.sha256(open(full, "rb").read()).hexdigest() != sha: sys.exit(full + ": not whole")
    recorded.add(os.path.basename(path))
folder = os.path.join(d, "checkpoints")
extra = set(os.listdir(folder)) - recorded if os.path.isdir(folder) else set()
if extra: sys.exit("unrecorded: " + " ".join(sorted(extra)))' "$1"
}

# The project: 4 epochs of 16 steps, a metric row each step, checkpoints at epoch ends.
make_project() {
  "$cli" init "$1" --template fmnist-tiny --train-limit 1024 --test-limit 200 --epochs 4 > /dev/null
  python3 -c 'import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
c = json.loads(db.execute("SELECT value FROM project_settings WHERE key = ?", ("config",)).fetchone()[0])
c["recipe"].update(batch_size=64, log_every=1, subnets_per_step=1, checkpoint_minutes=0)
c["recipe"]["eval"] = {"recal_batches": 2, "batch_size": 100}
c["recipe"]["probe"] = {"subnets": 2, "every": 1}
db.execute("UPDATE project_settings SET value = ? WHERE key = ?", (json.dumps(c, indent=2), "config"))
db.commit()' "$1/project.sqlite"
}

# `refused WHAT PATTERN VERB ARGS...`: supernet-cli VERB fails, and its last line names the
# project ($proj) and matches PATTERN.
refused() {
  local what=$1 pattern=$2 code=0
  shift 2
  "$cli" "$@" > "$work/out" 2> "$work/err" || code=$?
  message=$(tail -1 "$work/err")
  echo "$what, $1: exit $code: $message"
  test "$code" -ne 0 || fail "$1 exited 0 ($what)"
  echo "$message" | grep -q "$proj" || fail "$1 ($what): the message names no file of the project"
  echo "$message" | grep -qi "$pattern" || fail "$1 ($what): the message does not say '$pattern'"
}

# First on a disk with room: how large a checkpoint is, and what the run must end as.
ref="$work/ref"
make_project "$ref"
"$cli" train "$ref" --threads 2 > /dev/null 2>&1 || fail "the run on a disk with room"
checkpoint_bytes=$(du -b "$ref"/checkpoints/*.pt | sort -n | head -1 | cut -f1)
echo "a checkpoint takes $checkpoint_bytes bytes"

# Disk full: a filler leaves room for the first epoch's checkpoint and half of the next.
proj="$disk/proj"
make_project "$proj"
free_kb=$(df --output=avail -k "$disk" | tail -1)
fallocate -l $(( free_kb * 1024 - checkpoint_bytes * 3 / 2 )) "$disk/filler"
refused "disk full" "no space left\|disk is full" train "$proj" --threads 2
test "$(sql "$proj" "PRAGMA integrity_check")" = ok || fail "integrity_check after the full disk"
test "$(sql "$proj" "SELECT COUNT(*) FROM checkpoints")" -ge 1 || fail "the first epoch's checkpoint is gone"
checkpoints_whole "$proj" || fail "checkpoints after the full disk"
rows "$proj" > "$work/rows.full"
test "$(comm -23 <(sort "$work/rows.full") <(rows "$ref" | sort) | wc -l)" -eq 0 \
  || fail "rows stored on the full disk that the run with room does not have"
echo "kept: $(wc -l < "$work/rows.full") metric rows, $(sql "$proj" "SELECT COUNT(*) FROM checkpoints") checkpoint(s)"

# Read-only: the folder's file system remounted read-only; every writing command refuses
# with one line that names the project and says why, and nothing changes.
rm "$disk/filler"
rows "$proj" > "$work/rows.before-ro"
mount -o remount,ro "$disk"
refused "read-only" "read-only" resume "$proj" --threads 2
refused "read-only" "read-only" evaluate "$proj" --arch max --no-latency
refused "read-only" "read-only" new-run "$proj" --from 1
refused "read-only" "read-only" export "$proj" --arch max --name ro --no-latency
mount -o remount,rw "$disk"
cmp <(rows "$proj") "$work/rows.before-ro" || fail "rows changed while read-only"
test "$(sql "$proj" "PRAGMA integrity_check")" = ok || fail "integrity_check after read-only"

# Room again: the run resumes to its end, and ends as the run that always had room.
"$cli" resume "$proj" --threads 2 > /dev/null 2> "$work/resume.err" \
  || { cat "$work/resume.err"; fail "resume with room"; }
"$cli" runs "$proj" | grep -q finished || fail "the run did not finish"
checkpoints_whole "$proj" || fail "checkpoints at the end"
cmp <(rows "$proj") <(rows "$ref") || fail "the resumed run's rows differ from the run with room"
echo "disk faults: passed ($(rows "$proj" | wc -l) metric rows equal to the run with room)"
