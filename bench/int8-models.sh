#!/usr/bin/env bash
# Issue 16 §5: INT8 post-training quantization of PyTorch-trained Fashion-MNIST models (LeNet-5,
# VGG-16/4, ResNet-20, ResNet-56, torchvision mobilenet_v2 at 1 channel; bench/int8-peer/
# fashion_models.py), Condense beside PyTorch 1.13's own post-training static quantization (oneDNN: Debian's build has no fbgemm),
# from the same weights and the same calibration images. For each calibration seed 1-3, 512
# training images are drawn (NumPy, that seed) into calib-sN.npz with the whole test set; Condense
# runs `condense quantize MODEL.onnx --data npz:calib-sN.npz --calibrate METHOD` (every one of the
# 512 images calibrates: the set is the calibration sample) and the peer calibrates on the same
# array. Prints one table row per model, seed and method (accuracy, integer-MAC share, sizes); no
# latency (bench/int8-models-latency.sh, alone on the machine).
# Usage: bash bench/int8-models.sh   (MODELS="lenet-5 ..." METHODS="minmax entropy" SEEDS="1 2 3";
#   MODELDIR: where fashion_models.py wrote MODEL.onnx / MODEL.pt / MODEL.json, default /tmp/int8-models)
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
D="${MODELDIR:-/tmp/int8-models}"
MODELS="${MODELS:-lenet-5 vgg-16-4 resnet-20 resnet-56 mobilenet_v2}"
METHODS="${METHODS:-minmax percentile=99.99 entropy}"
SEEDS="${SEEDS:-1 2 3}"
for seed in $SEEDS; do
  [[ -f "$D/calib-s$seed.npz" ]] || /usr/bin/python3 - "$D/calib-s$seed.npz" "$seed" <<'PY'
import sys
import numpy as np
sys.path.insert(0, "bench/int8-peer")
import fashion_models as f
out, seed = sys.argv[1], int(sys.argv[2])
x, y = f.idx("train-images-idx3-ubyte.gz"), f.idx("train-labels-idx1-ubyte.gz")
pick = np.random.default_rng(seed).permutation(len(x))[:512]
np.savez(out, x_train=x[pick], y_train=y[pick], x_test=f.idx("t10k-images-idx3-ubyte.gz"),
         y_test=f.idx("t10k-labels-idx1-ubyte.gz"))
PY
done
echo "| model | seed | Condense calibration | float top-1 (PyTorch) | Condense INT8 (ONNX Runtime) | change | engine/ORT agreement | integer MACs | float / INT8 bytes | × smaller | PyTorch INT8 (oneDNN) | change |"
echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for m in $MODELS; do
  for seed in $SEEDS; do
    [[ -f "$D/$m-torch-s$seed.json" ]] || /usr/bin/python3 bench/int8-peer/torch_ptq_peer.py accuracy "$m" "$D" "$D/calib-s$seed.npz" "$D/$m-torch-s$seed.json"
    for method in $METHODS; do
      tag="${method//=/}"
      "$C" quantize "$D/$m.onnx" --data "npz:$D/calib-s$seed.npz" --calibrate "$method" --seed "$seed" \
        --out "$D/$m-int8-s$seed-$tag.onnx" --json --quiet > "$D/$m-int8-s$seed-$tag.json"
      /usr/bin/python3 - "$D/$m-int8-s$seed-$tag.json" "$D/$m-torch-s$seed.json" "$D/$m.json" "$m" "$seed" <<'PY'
import json, sys
j, p, t = (json.load(open(a)) for a in sys.argv[1:4])
f, o = j["float_top1"], j["int8_ort_top1"]
print(f"| {sys.argv[4]} | {sys.argv[5]} | {j['calibration']} | {100*f:.2f}% ({100*t['top1']:.2f}%) | {100*o:.2f}% | {100*(o-f):+.2f} | "
      f"{100*j['ort_agreement']:.2f}% | {100*j['integer_mac_share']:.1f}% | {j['float_bytes']:,} / {j['int8_bytes']:,} | "
      f"{j['float_bytes']/j['int8_bytes']:.2f}× | {100*p['int8_top1']:.2f}% | {100*(p['int8_top1']-p['float_top1']):+.2f} |")
PY
    done
  done
done
