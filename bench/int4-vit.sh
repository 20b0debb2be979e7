#!/usr/bin/env bash
# Issue 16 §5: 4-bit weights of a small ViT's MLPs on Fashion-MNIST, against float (and INT8 where
# `condense quantize` takes the model). Trains the ViT in PyTorch if MODELDIR has none
# (bench/int8-peer/fashion_vit.py: patch 7, dim 96, 4 blocks, MLP 384, 6 epochs on one thread, seed 0,
# opset 17), then `condense quantize --weights int4 --layers <the 8 MLP MatMuls>` with round-to-nearest
# and GPTQ (512 seeded calibration images of the training split), blocks of 32 and 128, uint4 with
# zero points, written as MatMulNBits and as DequantizeLinear-21 -> MatMul. GPTQ for each seed in SEEDS
# (the calibration subset is the only randomness); RTN for the first seed only (its codes use no data;
# only the reported output error changes with the calibration subset). Then every Gemm/MatMul with a
# constant weight in 4 bits (attention projections and head too), blocks of 32, for comparison.
# Prints the table rows of bench/results/int4-vit.md: top-1 on the 10,000 test images of the float model,
# of the engine's simulation and of the written file in ONNX Runtime, their agreement, the layers'
# mean / max relative output error on the calibration inputs, file sizes. No latency: bench/int4-latency.sh.
# Usage: bash bench/int4-vit.sh   (SEEDS="1 2 3"; MODELDIR, default /tmp/int4-vit)
set -euo pipefail
cd "$(dirname "$0")/.."
condense="${CONDENSE:-./condense}"
D="${MODELDIR:-/tmp/int4-vit}"
SEEDS="${SEEDS:-1 2 3}"
mkdir -p "$D"
[[ -f "$D/vit.onnx" ]] || /usr/bin/python3 bench/int8-peer/fashion_vit.py "$D" 2> "$D/train.log"
mlp=$(/usr/bin/python3 -c "import json, sys; print(','.join(json.load(open(sys.argv[1]))['mlp_layers']))" "$D/vit.json")
row() {
  /usr/bin/python3 bench/int4-row.py "$1" "$2" "$3" summary
}
first="${SEEDS%% *}"
echo "| seed | weights | float top-1 | engine | ONNX Runtime | change | agreement | output error mean / max | float bytes | bytes | × smaller |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |"
if "$condense" quantize "$D/vit.onnx" --data fashion-mnist --calibration 512 --seed "$first" --out "$D/vit-int8.onnx" \
    --json > "$D/vit-int8.json" 2> "$D/vit-int8.err"; then
  row "$D/vit-int8.json" "$first" "INT8 QDQ (min-max), every layer"
else
  echo "| $first | INT8 QDQ: refused: $(tail -1 "$D/vit-int8.err") | | | | | | | | | |"
fi
for seed in $SEEDS; do
  for block in 32 128; do
    for rounding in gptq rtn; do
      [[ "$rounding" == rtn && "$seed" != "$first" ]] && continue
      for format in matmulnbits qdq; do
        tag="mlp-b$block-$rounding-$format-s$seed"
        "$condense" quantize "$D/vit.onnx" --data fashion-mnist --weights int4 --layers "$mlp" --block "$block" \
          --rounding "$rounding" --format "$format" --calibration 512 --seed "$seed" --out "$D/vit-$tag.onnx" \
          --json > "$D/vit-$tag.json"
        row "$D/vit-$tag.json" "$seed" "4-bit MLPs, $rounding, block $block, $format"
      done
    done
  done
done
for rounding in gptq rtn; do
  tag="all-b32-$rounding-matmulnbits-s$first"
  "$condense" quantize "$D/vit.onnx" --data fashion-mnist --weights int4 --block 32 --rounding "$rounding" \
    --calibration 512 --seed "$first" --out "$D/vit-$tag.onnx" --json > "$D/vit-$tag.json"
  row "$D/vit-$tag.json" "$first" "4-bit every Gemm/MatMul, $rounding, block 32, matmulnbits"
done
