#!/bin/sh
# The model-coverage table of issue 13 §3: every torchvision 0.14 classification model plus a
# TransformerEncoder and an LSTM text classifier, at opsets 11, 13 and 17 — exported by PyTorch
# (export.py), then per model and opset, one JVM at a time (bench ModelCoverage): load in Condense,
# engine logits vs ONNX Runtime's, one SGD step's loss and gradients vs PyTorch's, write + reload.
# Writes docs/model-coverage.md (report.py) from $DIR/results.jsonl.
#
# Usage (repository root):  tools/model-coverage/run.sh [MODEL...]     (default: all 22)
#   builds bench with `mvn -B -o -q -pl bench -am package -DskipTests` first unless SKIP_BUILD=1.
# Exports are cached in ${CONDENSE_COVERAGE_DIR:-/tmp/model-coverage} (about 10 GB for all models);
# delete a model's folder there to export it again, or set REFERENCES=1 to recompute only PyTorch's
# reference gradients and noise floors of the cached exports. Needs /usr/bin/python3 with torch 1.13,
# torchvision 0.14 and onnx. JVM heap: -Xmx${COVERAGE_HEAP:-6g}; each cell is given ${COVERAGE_TIMEOUT:-1500} s.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${CONDENSE_COVERAGE_DIR:-/tmp/model-coverage}
models=${*:-"alexnet vgg11_bn resnet18 resnet50 resnext50_32x4d wide_resnet50_2 densenet121 googlenet inception_v3 mobilenet_v2 mobilenet_v3_small mobilenet_v3_large mnasnet0_5 shufflenet_v2_x0_5 squeezenet1_1 efficientnet_b0 regnet_x_400mf convnext_tiny vit_b_16 swin_t transformer_text lstm_text"}
mkdir -p "$dir"
cd "$root"
[ "${SKIP_BUILD:-0}" = 1 ] || mvn -B -o -q -pl bench -am package -DskipTests
start=$(date +%s)
results="$dir/results.jsonl"
for m in $models; do
  if [ "${REFERENCES:-0}" = 1 ] && [ -f "$dir/$m/opset17.export.txt" ]; then
    /usr/bin/python3 "$here/export.py" --references "$m" "$dir" >"$dir/$m.references.log" 2>&1
  elif [ ! -f "$dir/$m/opset17.export.txt" ]; then
    /usr/bin/python3 "$here/export.py" "$m" "$dir" >"$dir/$m.export.log" 2>&1 || {
      mkdir -p "$dir/$m"; for op in 11 13 17; do tail -1 "$dir/$m.export.log" >"$dir/$m/opset$op.export.txt"; done; }
  fi
  for op in 11 13 17; do
    grep -v "\"model\": \"$m\", \"opset\": $op," "$results" >"$results.tmp" 2>/dev/null || true
    mv "$results.tmp" "$results"
    t0=$(date +%s)
    rc=0
    timeout "${COVERAGE_TIMEOUT:-1500}" java -Xmx"${COVERAGE_HEAP:-6g}" -cp "bench/target/classes:bench/target/lib/*" \
        dev.condense.bench.coverage.ModelCoverage "$dir/$m" "$op" "$results" >"$dir/$m/opset$op.log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
      grep -q "\"model\": \"$m\", \"opset\": $op," "$results" || printf '{"model": "%s", "opset": %s, "jvm_error": "%s"}\n' \
        "$m" "$op" "exit $rc (124: timeout) after $(( $(date +%s) - t0 )) s: $(grep -m1 -E 'Error|Exception' "$dir/$m/opset$op.log" | tr -d '"\\' | cut -c1-200)" >>"$results"
    fi
    echo "$m opset $op: $(( $(date +%s) - t0 )) s"
  done
done
/usr/bin/python3 "$here/report.py" "$results" "$(( $(date +%s) - start ))" "$*" >docs/model-coverage.md
echo "wrote docs/model-coverage.md"
