#!/bin/sh
# Issue 15 §1's ONNX Runtime check on the exports of export.py: a quarter of every prunable
# group's channels thinned out against the same channels masked (GroupsMaskCheck).
# Usage (repository root, after `mvn -B -q -DskipTests package`): bench/groups/mask-check.sh [WORKDIR] [SIDE]
set -eu
work=${1:-/tmp/condense-groups}
side=${2:-32}
[ -f "$work/googlenet.onnx" ] || /usr/bin/python3 "$(dirname "$0")/export.py" "$work" "$side" >/dev/null 2>&1
models=""
for m in mobilenet_v2 efficientnet_b0 regnet_x_400mf mobilenet_v3_small shufflenet_v2_x0_5 resnext50_32x4d densenet121 googlenet; do
  models="$models $work/$m.onnx"
done
exec java -Xmx6g -cp "bench/target/condense-bench-0.1.0-SNAPSHOT.jar:condense-cli/target/lib/*" dev.condense.bench.GroupsMaskCheck "$side" $models
