#!/usr/bin/env bash
# Resident memory over a long training run: trains MODEL (default LeNet-300-100) on Fashion-MNIST
# for EPOCHS epochs (default 20) and samples the JVM's VmRSS every second. A flat line after the
# first epoch means nothing accumulates per step (the engine holds plain Java arrays, allocated
# once per plan). Writes bench/results/rss-<model>.csv and prints the first/last-half summary.
# Usage: bash bench/memory/rss.sh [MODEL] [EPOCHS] [BATCH]
set -euo pipefail
cd "$(dirname "$0")/../.."
model="${1:-lenet-300-100}"; epochs="${2:-20}"; batch="${3:-64}"
condense="${CONDENSE:-./condense}"
out="bench/results/rss-$model.csv"
mkdir -p bench/results
JAVA_OPTS="${JAVA_OPTS:--Xmx2g -XX:+UseParallelGC}" "$condense" train "$model" --data fashion-mnist --epochs "$epochs" \
  --batch "$batch" --lr 0.01 --threads 2 --quiet --out /tmp/rss-model.onnx > /dev/null &
pid=$!  # the condense script execs java, so this is the JVM itself
echo "seconds,rss_mb" > "$out"
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  [[ -n "$rss" ]] && echo "$(( $(date +%s) - start )),$(( rss / 1024 ))" >> "$out"
  sleep 1
done
wait "$pid"
python3 - "$out" "$model" "$epochs" "$batch" <<'PY'
import csv, sys
rows = [(int(r["seconds"]), int(r["rss_mb"])) for r in csv.DictReader(open(sys.argv[1]))]
n = len(rows)
first = [m for _, m in rows[n // 10: n // 2]]
last = [m for _, m in rows[n // 2:]]
print(f"{sys.argv[2]}, {sys.argv[3]} epochs at batch {sys.argv[4]}: {n} samples over {rows[-1][0]} s; "
      f"RSS max {max(m for _, m in rows)} MB; median of the first half (after warm-up) {sorted(first)[len(first)//2]} MB, "
      f"of the second half {sorted(last)[len(last)//2]} MB, max of the second half {max(last)} MB")
PY
