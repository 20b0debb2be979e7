#!/usr/bin/env bash
# Issue 16 §1: per-layer INT8 sensitivity and mixed precision (--max-drop) on Fashion-MNIST. Trains
# LeNet-5 (1 epoch, all 60,000 images), vgg-16:width=0.25 (1 epoch, the first 10,000) and resnet-20
# with option-A shortcuts (1 epoch, the first 6,000), then `condense quantize` each with
# --sensitivity --max-drop DROP (default 0.3 points) on 1,000 held-out training images (--validation)
# and 512 calibration images; prints each model's sensitivity table, the layers kept float and the
# summary for bench/results/int8-sensitivity.md. No latency: the machine is shared.
# Usage: bash bench/int8-sensitivity.sh [DATA] (default fashion-mnist); CALIBRATE=minmax|entropy|percentile=P,
# MODELS="lenet-5 vgg-16-w0.25 resnet-20-a" (a subset to run), WORK=DIR (trained models found there are reused).
set -euo pipefail
cd "$(dirname "$0")/.."
condense="${CONDENSE:-./condense}"
data="${1:-fashion-mnist}"
drop="${DROP:-0.3}"
calibrate="${CALIBRATE:-minmax}"
work="${WORK:-/tmp/int8-sensitivity}"
mkdir -p "$work"
run() { # name zoo-model limit (0: all)
  local name="$1" model="$2" limit="$3" lim=()
  [[ "$limit" != 0 ]] && lim=(--limit "$limit")
  if [[ ! -f "$work/$name.onnx" ]]; then
    "$condense" train "$model" --data "$data" "${lim[@]}" --epochs 1 --lr 0.02 --batch 32 --seed 1 \
      --out "$work/$name.onnx" --quiet > "$work/$name-train.txt"
  fi
  "$condense" quantize "$work/$name.onnx" --data "$data" "${lim[@]}" --calibrate "$calibrate" --calibration 512 \
    --sensitivity --max-drop "$drop" --validation 1000 --seed 1 --out "$work/$name-int8.onnx" \
    --report "$work/$name-int8.md" --json > "$work/$name-int8.json"
  /usr/bin/python3 - "$work/$name-int8.json" "$name" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
print(f"\n### {sys.argv[2]}\n")
print(f"float {100*j['float_validation_top1']:.2f}%, all INT8 {100*j['int8_validation_top1']:.2f}%, "
      f"mixed {100*j['mixed_validation_top1']:.2f}% on {j['validation_samples']} held-out training images "
      f"(max drop {j['max_drop']} points); float layers: {', '.join(j['float_layers']) or 'none'}\n")
print("| layer | op | MACs | top-1, only it INT8 | drop (points) | output error |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for r in j["sensitivity"]:
    print(f"| {r['layer']} | {r['op']} | {r['macs']:,} | {100*r['top1']:.2f}% | {100*r['drop']:+.2f} | {100*r['output_error']:.3f}% |")
print(f"\ntest set ({j['model']}): float {100*j['float_top1']:.2f}%, written model in the engine {100*j['int8_engine_top1']:.2f}%, "
      f"in ONNX Runtime {100*j['int8_ort_top1']:.2f}% (agreement {100*j['ort_agreement']:.2f}%); "
      f"integer MACs in ONNX Runtime's optimized graph {100*j['integer_mac_share']:.1f}% of {j['macs']:,}; "
      f"float nodes: {', '.join(j['float_nodes']) or 'none'}; {j['float_bytes']:,} -> {j['int8_bytes']:,} bytes")
PY
}
models="${MODELS:-lenet-5 vgg-16-w0.25 resnet-20-a}"
[[ " $models " == *" lenet-5 "* ]] && run lenet-5 lenet-5 0
[[ " $models " == *" vgg-16-w0.25 "* ]] && run vgg-16-w0.25 vgg-16:width=0.25 10000
[[ " $models " == *" resnet-20-a "* ]] && run resnet-20-a resnet-20 6000
exit 0
