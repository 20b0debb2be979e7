#!/usr/bin/env bash
# Reproduces Han et al. 2015 (pruning) and Han et al. 2016 (Deep Compression) on LeNet-300-100 and
# LeNet-5, on the built-in MNIST digits and on Fashion-MNIST, with the shipped recipes. Writes
# docs/results/{han2015,deep-compression}-<model>-<data>.{md,json} (+ weight plots) and wall times.
# Usage: bash bench/reproduce-han2015.sh [han2015|deep-compression ...]   (CONDENSE=... for another build;
#        MODELS="lenet-5" or DATASETS="fashion-mnist" to run a subset)
set -euo pipefail
cd "$(dirname "$0")/.."
condense="${CONDENSE:-./condense}"
methods=("${@:-han2015 deep-compression}")
mkdir -p docs/results
for method in ${methods[@]}; do
  for data in ${DATASETS:-mnist fashion-mnist}; do
    for model in ${MODELS:-lenet-300-100 lenet-5}; do
      name="$method-$model-$data"
      ext=onnx; extra=()
      if [[ $method == deep-compression ]]; then ext=cdz; extra=(--gap-bits auto); fi
      recipe="recipes/$method-$model-$data.yaml"   # a data set's own recipe where it has one
      [[ -f $recipe ]] || recipe="recipes/$method-$model.yaml"
      start=$(date +%s)
      "$condense" compress --recipe "$recipe" "$model" --data "$data" --seed 1 "${extra[@]}" \
        --out "/tmp/$name.$ext" --report "docs/results/$name.md" --quiet > /dev/null
      echo "$name: $(( $(date +%s) - start )) s wall" | tee -a docs/results/wall-times.txt
    done
  done
done
