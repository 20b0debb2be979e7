#!/usr/bin/env bash
# Issue 16 §2: INT8 post-training quantization against quantization-aware training on Fashion-MNIST.
# For each seed: a trained LeNet-5 (5 epochs, lr 0.02, batch 32, cosine, as bench/int8-ptq-lenet5.sh;
# an existing $WORK/l5-sN.onnx is reused) and a briefly trained vgg-16:width=0.25 (VGG_EPOCHS epochs on
# the first VGG_LIMIT training images, lr 0.02, batch 64, cosine); then `condense quantize` with each
# calibration of CALIBRATIONS on 512 seeded training images, once as post-training quantization and
# once with `--qat-epochs 1 --lr QAT_LR --distill` (one epoch on the same training images as the
# model, distilled from the float model; the same seed, so the same calibration sample). Top-1 on the
# test set (whole for LeNet-5, the first VGG_LIMIT for VGG) of the float model and of the written
# INT8 files in ONNX Runtime; one table row per model, seed and calibration. No latency: the machine
# is shared.
# Usage: bash bench/int8-qat.sh   (SEEDS="1 2 3", CALIBRATIONS="minmax percentile=99", MODELS="lenet-5 vgg",
#        WORK=/tmp/int8-qat, VGG_LIMIT=10000, VGG_EPOCHS=1, QAT_LR=0.001, CONDENSE=./condense)
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
W="${WORK:-/tmp/int8-qat}"
SEEDS="${SEEDS:-1 2 3}"
CALIBRATIONS="${CALIBRATIONS:-minmax percentile=99}"
MODELS="${MODELS:-lenet-5 vgg}"
VGG_LIMIT="${VGG_LIMIT:-10000}"
VGG_EPOCHS="${VGG_EPOCHS:-1}"
QAT_LR="${QAT_LR:-0.001}"
mkdir -p "$W"
echo "| model | seed | calibration | float top-1 | PTQ (ORT) | QAT 1 epoch (ORT) | PTQ change | QAT change | QAT ORT agreement | integer MACs (PTQ / QAT) |"
echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for m in $MODELS; do
  for seed in $SEEDS; do
    if [[ "$m" == lenet-5 ]]; then
      f="$W/l5-s$seed.onnx"; limit=()
      [[ -f "$f" ]] || "$C" train lenet-5 --data fashion-mnist --epochs 5 --lr 0.02 --batch 32 --schedule cosine \
        --seed "$seed" --out "$f" --quiet > /dev/null
    else
      f="$W/vgg-s$seed.onnx"; limit=(--limit "$VGG_LIMIT")
      [[ -f "$f" ]] || "$C" train vgg-16:width=0.25 --data fashion-mnist "${limit[@]}" --epochs "$VGG_EPOCHS" --lr 0.02 \
        --batch 64 --schedule cosine --seed "$seed" --out "$f" --quiet > /dev/null
    fi
    for cal in $CALIBRATIONS; do
      tag="${f%.onnx}-${cal//=/}"
      "$C" quantize "$f" --data fashion-mnist "${limit[@]}" --calibrate "$cal" --calibration 512 --seed "$seed" \
        --out "$tag-ptq.onnx" --json --quiet > "$tag-ptq.json"
      "$C" quantize "$f" --data fashion-mnist "${limit[@]}" --calibrate "$cal" --calibration 512 --seed "$seed" \
        --qat-epochs 1 --lr "$QAT_LR" --distill --out "$tag-qat.onnx" --json --quiet > "$tag-qat.json"
      /usr/bin/python3 - "$m" "$seed" "$cal" "$tag-ptq.json" "$tag-qat.json" <<'PY'
import json, sys
m, seed, cal, p, q = sys.argv[1:6]
p, q = json.load(open(p)), json.load(open(q))
f = p["float_top1"]
print(f"| {m} | {seed} | {cal} | {100*f:.2f}% | {100*p['int8_ort_top1']:.2f}% | {100*q['int8_ort_top1']:.2f}% | "
      f"{100*(p['int8_ort_top1']-f):+.2f} | {100*(q['int8_ort_top1']-f):+.2f} | {100*q['ort_agreement']:.2f}% | "
      f"{100*p['integer_mac_share']:.1f}% / {100*q['integer_mac_share']:.1f}% |")
PY
    done
  done
done
