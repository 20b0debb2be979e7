#!/usr/bin/env bash
# Resident memory while streaming a 200,000-image folder: writes N (default 200,000) 28x28 gray
# PNGs in 10 class folders (Debian's /usr/bin/python3 with PIL, once; kept in DIR), then evaluates
# an untrained LeNet-300-100 on the folder through FolderSet (condense-core's FolderStreamingBench, the
# library API: every image decoded, preprocessed and run through the engine once) while sampling
# the JVM's VmRSS from /proc/PID/status every second. Writes bench/results/folder-streaming.csv
# (seconds, rss_mb, batches done) and prints RSS at 10%, 50% and 100% of the pass.
# Usage: [MODE=fill] bash bench/folder-streaming.sh [N] [THREADS] [BATCH] [DIR]  (MODE=fill: the loader alone, no model)
# Needs a compiled checkout: mvn -B -o -q -pl condense-core test-compile
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-200000}"; threads="${2:-2}"; batch="${3:-256}"; dir="${4:-/tmp/condense-folder-bench-$n}"
out=bench/results/folder-streaming.csv
log=$(mktemp)
if [[ ! -f "$dir/.complete" ]]; then
  rm -rf "$dir"
  /usr/bin/python3 - "$dir" "$n" <<'PY'
import os, sys
import numpy as np
from PIL import Image
root, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(1)
for c in range(10):
    os.makedirs(os.path.join(root, f"class{c}"), exist_ok=True)
for i in range(n):
    px = rng.integers(0, 256, (28, 28), dtype=np.uint8)
    Image.fromarray(px, "L").save(os.path.join(root, f"class{i % 10}", f"{i:06d}.png"))
open(os.path.join(root, ".complete"), "w").close()
PY
fi
(cd condense-core && mvn -B -o -q dependency:build-classpath -Dmdep.outputFile=/tmp/folder-streaming-cp.txt >/dev/null)
cp="condense-core/target/classes:condense-core/target/test-classes:$(cat /tmp/folder-streaming-cp.txt)"
java ${JAVA_OPTS:--Xmx256m} -cp "$cp" dev.condense.data.FolderStreamingBench "$dir" "$threads" "$batch" ${MODE:-} > "$log" &
pid=$!
echo "seconds,rss_mb,batches_done" > "$out"
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  done_=$(awk '/^batch/ {d=$2} END {print d+0}' "$log")
  [[ -n "$rss" ]] && echo "$(( $(date +%s) - start )),$(( rss / 1024 )),$done_" >> "$out"
  sleep 1
done
wait "$pid"
grep -v '^batch' "$log"
total=$(awk '/^batch/ {t=$3} END {print t}' "$log")
python3 - "$out" "$total" <<'PY'
import csv, sys
rows = [(int(r["seconds"]), int(r["rss_mb"]), int(r["batches_done"])) for r in csv.DictReader(open(sys.argv[1]))]
total = int(sys.argv[2])
for pct in (10, 50, 100):
    want = total * pct / 100
    s, mb, d = next((r for r in rows if r[2] >= want), rows[-1])
    print(f"{pct:3d}% of the pass ({d}/{total} batches, {s} s): RSS {mb} MB")
streaming = [mb for _, mb, d in rows if 0 < d < total]
print(f"while streaming: RSS min {min(streaming)} MB, max {max(streaming)} MB over {len(streaming)} samples")
PY
rm -f "$log"
