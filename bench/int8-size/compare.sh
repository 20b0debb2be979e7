#!/usr/bin/env bash
# The INT8 writer's size change (bench/results/int8-models.md, "Size after the writer change"):
# for each model, the INT8 file written before (OLD dir) and after (NEW dir) the change, compared in
# ONNX Runtime bit for bit on the calibration set's 10,000 test images (x/255) and 1,000 uniform
# inputs in [-0.5, 1.5], with both files' ONNX and .cdz sizes (Compare.java); then what further
# rewrites would save (variants.py) and where the bytes are (breakdown.py).
# Build first: mvn -B -q -DskipTests package. Usage: OLD=dir NEW=dir bash bench/int8-size/compare.sh
# (files MODEL-int8-s1-minmax.onnx in both; CALIB: the calib-s1.npz of bench/int8-models.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
MODELS="${MODELS:-lenet-5 vgg-16-4 resnet-20 resnet-56 mobilenet_v2}"
CALIB="${CALIB:-$OLD/calib-s1.npz}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
CP="$(ls condense-cli/target/lib/*.jar | tr '\n' ':')"
javac -d "$work" -cp "$CP" bench/int8-size/Compare.java
/usr/bin/python3 - "$CALIB" "$work/x.f32" <<'PY'
import sys
import numpy as np
d = np.load(sys.argv[1])
x = (d["x_test"].astype(np.float32) / 255).reshape(-1, 1, 28, 28)
r = np.random.default_rng(5).uniform(-0.5, 1.5, (1000, 1, 28, 28)).astype(np.float32)
np.concatenate([x, r]).astype("<f4").tofile(sys.argv[2])
PY
for m in $MODELS; do
  java -cp "$work:$CP" Compare "$OLD/$m-int8-s1-minmax.onnx" "$NEW/$m-int8-s1-minmax.onnx" "$work/x.f32"
  /usr/bin/python3 bench/int8-size/variants.py "$NEW/$m-int8-s1-minmax.onnx"
  /usr/bin/python3 bench/int8-size/breakdown.py "$NEW/$m-int8-s1-minmax.onnx"
done
