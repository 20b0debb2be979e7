#!/usr/bin/env bash
# Reproduces Han et al. 2015 (iterative magnitude pruning) on LeNet-300-100 and LeNet-5, on the
# built-in MNIST digits and on Fashion-MNIST, with the shipped recipes. Writes the reports to
# docs/results/han2015-<model>-<data>.{md,json} and a log of wall times.
# Usage: bash bench/reproduce-han2015.sh   (CONDENSE=path/to/condense to use another build)
set -euo pipefail
cd "$(dirname "$0")/.."
condense="${CONDENSE:-./condense}"
mkdir -p docs/results
for data in mnist fashion-mnist; do
  for model in lenet-300-100 lenet-5; do
    out="docs/results/han2015-$model-$data"
    start=$(date +%s)
    "$condense" compress --recipe "recipes/han2015-$model.yaml" "$model" --data "$data" --seed 1 \
      --out "/tmp/han2015-$model-$data.onnx" --report "$out.md" --quiet > /dev/null
    echo "$model $data: $(( $(date +%s) - start )) s wall" | tee -a docs/results/han2015-wall-times.txt
  done
done
