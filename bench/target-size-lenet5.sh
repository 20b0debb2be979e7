#!/usr/bin/env bash
# Issue 15 §4: LeNet-5 compressed by `compress --target size=F` with no per-layer numbers (the
# sensitivity allocation picks every layer's sparsity), against the hand-tuned Deep Compression
# recipe's 39x within 0.3 points. Trains LeNet-5 as that recipe does (30 epochs, lr 0.02, batch 32,
# cosine), then compresses it, for seeds 1-3; prints one table row per seed for
# bench/results/target-size-lenet5.md. Usage: bash bench/target-size-lenet5.sh [DATA] (default mnist)
set -euo pipefail
cd "$(dirname "$0")/.."
condense="${CONDENSE:-./condense}"
data="${1:-mnist}"
share="${SHARE:-0.0255}"
work="${WORK:-/tmp/target-size-lenet5}"
mkdir -p "$work"
echo "| seed | top-1 dense | top-1 compressed | change | .cdz bytes | × smaller | wall s |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for seed in ${SEEDS:-1 2 3}; do
  start=$(date +%s)
  "$condense" train lenet-5 --data "$data" --epochs 30 --lr 0.02 --batch 32 --schedule cosine --seed "$seed" \
    --out "$work/l5-s$seed.onnx" --quiet
  "$condense" compress "$work/l5-s$seed.onnx" --data "$data" --target "size=$share" --rounds 10 --retrain-epochs 3 \
    --retrain-lr 0.02 --distill --quantize-epochs 5 --quantize-lr 0.0005 --gap-bits auto --seed "$seed" \
    --out "$work/l5-s$seed.cdz" --report "$work/l5-s$seed.md" --json > "$work/l5-s$seed.json"
  /usr/bin/python3 - "$work/l5-s$seed.json" "$seed" "$(( $(date +%s) - start ))" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
st = j["stages"]
dense, final = st[0]["top1"], st[-1]["top1"]
dc = j["deep_compression"]
print(f"| {sys.argv[2]} | {100*dense:.2f}% | {100*final:.2f}% | {100*(final-dense):+.2f} | {dc['cdz_bytes_pqh']:,} | "
      f"{dc['ratio_pqh']:.1f}× | {sys.argv[3]} |")
PY
done
