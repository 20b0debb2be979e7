#!/usr/bin/env bash
# Issue 18 §1: a per-op profile of one training step (forward, backward, optimizer) for
# resnet-20 (full width), vgg-16:width=0.25 and lenet-5 at batch 64 on synthetic 1×28×28 images,
# against the sgemm peak measured in the same run (dev.condense.bench.speed.TrainProfile).
# Usage: mvn -B -q -pl bench -am package -DskipTests && bash bench/train-profile.sh [OUT.md] [THREADS] [STEPS]
# (about 1 minute on the idle 2-core machine). Default OUT: bench/results/train-profile.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-bench/results/train-profile.md}
THREADS=${2:-2}
STEPS=${3:-20}
CP="bench/target/classes:bench/target/lib/*"
TMP=$(mktemp)
trap 'rm -f "$TMP"' EXIT
{
  echo "# Training-step profile ($(date -u +%Y-%m-%d), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD))"
  echo
  echo "Wall time of every kernel (forward and backward), the loss, the optimizer step and the batch fill, per training step,"
  echo "timed by the session's OpProfile; GFLOP/s count 2 flops per multiply-add (a backward pass: one forward's worth per"
  echo "gradient of data or weight it computes). % of peak: the op's forward+backward rate against the sgemm peak."
  echo
  for m in resnet-20 vgg-16:width=0.25 lenet-5; do
    java -cp "$CP" dev.condense.bench.speed.TrainProfile "$m" --batch 64 --threads "$THREADS" --warmup 5 --steps "$STEPS" --top 20
  done
} > "$TMP"
mkdir -p "$(dirname "$OUT")"
mv "$TMP" "$OUT"
trap - EXIT
cat "$OUT"
