#!/usr/bin/env bash
# Reproduces the Fashion-MNIST LeNet-5 Deep Compression rows of docs/deep-compression.md with the
# shipped recipe (gradual pruning, trained quantization with 4-bit ip1, distillation): seed 1 with
# the default threads and with 1 thread, and seed 2. Writes
# docs/results/deep-compression-lenet-5-fashion-mnist-distill{,-1thread,-seed2}.{md,json}.
# About 45 minutes on 2 cores, plus 16 for the dense model.
# Usage: bash bench/reproduce-dc-lenet5-fashion.sh   (CONDENSE=... for another build; WORK=DIR, default /tmp/condense-dc)
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
W="${WORK:-/tmp/condense-dc}"
R=recipes/deep-compression-lenet-5-fashion-mnist.yaml
out=docs/results/deep-compression-lenet-5-fashion-mnist-distill
mkdir -p "$W" docs/results
[[ -f $W/l5.onnx ]] || "$C" train lenet-5 --data fashion-mnist --epochs 30 --lr 0.02 --batch 32 --schedule cosine --seed 1 --out "$W/l5.onnx"
run() { # suffix, extra options
  local suffix=$1; shift
  "$C" compress --recipe "$R" "$W/l5.onnx" --data fashion-mnist --gap-bits auto "$@" \
    --out "$W/l5$suffix.cdz" --report "$out$suffix.md" --quiet > /dev/null
  grep '^Top-1\|P+Q+H |' "$out$suffix.md" | tail -2
}
run "" --seed 1
run -1thread --seed 1 --threads 1
run -seed2 --seed 2
