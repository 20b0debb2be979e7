#!/usr/bin/env bash
# Issue 16 §1: INT8 post-training quantization of LeNet-5 on Fashion-MNIST, for seeds 1-3. Trains
# LeNet-5 (EPOCHS epochs, default 5, lr 0.02, batch 32, cosine), then `condense quantize` with
# min-max, percentile=99.99 and entropy calibration on 512 training images (uint8 activations,
# int8 per-channel weights); prints one table row per seed and method for
# bench/results/int8-ptq-lenet5.md: float top-1, INT8 top-1 in the engine's simulation and in ONNX
# Runtime, their agreement, the share of multiply-adds ONNX Runtime runs in integer kernels, and
# the file sizes. No latency: that needs an idle machine.
# Usage: bash bench/int8-ptq-lenet5.sh [DATA] (default fashion-mnist)
set -euo pipefail
cd "$(dirname "$0")/.."
condense="${CONDENSE:-./condense}"
data="${1:-fashion-mnist}"
epochs="${EPOCHS:-5}"
work="${WORK:-/tmp/int8-ptq-lenet5}"
mkdir -p "$work"
echo "| seed | calibration | float top-1 | INT8 engine | INT8 ONNX Runtime | change | agreement | integer MACs | float bytes | INT8 bytes | × smaller |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for seed in ${SEEDS:-1 2 3}; do
  if [[ ! -f "$work/l5-s$seed.onnx" ]]; then
    "$condense" train lenet-5 --data "$data" --epochs "$epochs" --lr 0.02 --batch 32 --schedule cosine --seed "$seed" \
      --out "$work/l5-s$seed.onnx" --quiet > /dev/null
  fi
  for method in minmax percentile=99.99 entropy; do
    tag="${method//=/}"
    "$condense" quantize "$work/l5-s$seed.onnx" --data "$data" --calibrate "$method" --calibration 512 \
      --seed "$seed" --out "$work/l5-s$seed-$tag.onnx" --json > "$work/l5-s$seed-$tag.json"
    /usr/bin/python3 - "$work/l5-s$seed-$tag.json" "$seed" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
f, e, o = j["float_top1"], j["int8_engine_top1"], j["int8_ort_top1"]
print(f"| {sys.argv[2]} | {j['calibration']} | {100*f:.2f}% | {100*e:.2f}% | {100*o:.2f}% | {100*(o-f):+.2f} | "
      f"{100*j['ort_agreement']:.2f}% | {100*j['integer_mac_share']:.1f}% | {j['float_bytes']:,} | {j['int8_bytes']:,} | "
      f"{j['float_bytes']/j['int8_bytes']:.2f}× |")
PY
  done
done
