#!/usr/bin/env bash
# Issue 16 §3/§5: 4-bit weights of LeNet-300-100 on Fashion-MNIST against float and INT8, for the
# seeds in SEEDS (default 1). Trains LeNet-300-100 (EPOCHS epochs, default 5, lr 0.05, batch 32,
# cosine), then `condense quantize`: INT8 (min-max, 512 calibration images) and --weights int4
# with round-to-nearest and GPTQ (512 calibration images), blocks of 32, 64 and 128, uint4 with
# zero points, written as MatMulNBits (and, for blocks of 32, also as DequantizeLinear-21 ->
# MatMul, and symmetric int4). Prints the table rows of bench/results/int4-lenet300.md: top-1 of the float model, of
# the engine's simulation and of the written file in ONNX Runtime, their agreement, file sizes.
# Latency (float, INT8 and the seed-1 4-bit files, MatMulNBits included): bench/int4-latency.sh, on an
# idle machine.
# Usage: bash bench/int4-lenet300.sh [DATA] (default fashion-mnist)
set -euo pipefail
cd "$(dirname "$0")/.."
condense="${CONDENSE:-./condense}"
data="${1:-fashion-mnist}"
epochs="${EPOCHS:-5}"
work="${WORK:-/tmp/int4-lenet300}"
mkdir -p "$work"
row() {
  /usr/bin/python3 bench/int4-row.py "$1" "$2" "$3" each
}
echo "| seed | weights | float top-1 | engine | ONNX Runtime | change | agreement | output error ip1 / ip2 / ip3 | float bytes | bytes | × smaller |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |"
for seed in ${SEEDS:-1}; do
  m="$work/l300-s$seed.onnx"
  if [[ ! -f "$m" ]]; then
    "$condense" train lenet-300-100 --data "$data" --epochs "$epochs" --lr 0.05 --batch 32 --schedule cosine \
      --seed "$seed" --out "$m" --quiet > /dev/null
  fi
  "$condense" quantize "$m" --data "$data" --calibration 512 --seed "$seed" --out "$work/l300-s$seed-int8.onnx" \
    --json > "$work/l300-s$seed-int8.json"
  row "$work/l300-s$seed-int8.json" "$seed" "INT8 QDQ (min-max)"
  for block in 32 64 128; do
    for rounding in rtn gptq; do
      formats="matmulnbits"
      [[ "$block" == 32 ]] && formats="matmulnbits qdq"
      for format in $formats; do
        tag="b$block-$rounding-$format"
        "$condense" quantize "$m" --data "$data" --weights int4 --block "$block" --rounding "$rounding" \
          --format "$format" --calibration 512 --seed "$seed" --out "$work/l300-s$seed-$tag.onnx" \
          --json > "$work/l300-s$seed-$tag.json"
        row "$work/l300-s$seed-$tag.json" "$seed" "4-bit $rounding, block $block, $format"
      done
    done
  done
  for rounding in rtn gptq; do
    tag="b32-$rounding-sym"
    "$condense" quantize "$m" --data "$data" --weights int4 --block 32 --rounding "$rounding" --symmetric \
      --calibration 512 --seed "$seed" --out "$work/l300-s$seed-$tag.onnx" --json > "$work/l300-s$seed-$tag.json"
    row "$work/l300-s$seed-$tag.json" "$seed" "4-bit $rounding, block 32, int4 symmetric, matmulnbits"
  done
done
