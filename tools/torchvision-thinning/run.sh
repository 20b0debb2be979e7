#!/bin/sh
# Exports resnet18, squeezenet1_1, densenet121, efficientnet_b0 and googlenet (torchvision 0.14,
# opset 13, do_constant_folding=True: the shared-initializer patterns of issue 13 §2) and runs
# `condense prune-filters --ratio 0.25` and `condense channel-prune --method he --keep 0.75` on
# each, without retraining. Prints a Markdown table: whether the command ran, the share of test
# images on which ONNX Runtime reading the written file gives the engine's top-1 prediction, and
# the multiply-adds before and after.
#
# Usage (from the repository root, after `mvn -B -q -DskipTests package`):
#   tools/torchvision-thinning/run.sh [WORKDIR]     (default /tmp/condense-torchvision)
# Needs /usr/bin/python3 with torch 1.13 and torchvision 0.14 for the export (not the CI).
set -eu
work=${1:-/tmp/condense-torchvision}
here=$(dirname "$0")
[ -f "$work/resnet18-init.onnx" ] || /usr/bin/python3 "$here/export.py" "$work" >/dev/null 2>&1
echo "| model | weights | command | ran | ORT top-1 agreement | MACs before | MACs after | prunable groups |"
echo "| --- | --- | --- | --- | ---: | ---: | ---: | --- |"
for m in resnet18 squeezenet1_1 densenet121 efficientnet_b0 googlenet; do
  for v in init trained; do
    for cmd in prune-filters channel-prune; do
      if [ "$cmd" = prune-filters ]; then args="--ratio 0.25"; else args="--method he --keep 0.75 --images 120 --per-image 40"; fi
      out="$work/$m-$v-$cmd"
      if ./condense "$cmd" "$work/$m-$v.onnx" --out "$out.onnx" $args --data "cifar10:$work/data" \
          --retrain-epochs 0 --json --quiet >"$out.json" 2>"$out.err"; then
        /usr/bin/python3 - "$out.json" "$m" "$v" "$cmd" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); s = d["structure"]
changed = sum(1 for l in s["layers"] if l["channels_after"] != l["channels_before"])
print("| %s | %s | %s | yes | %.2f%% | %d | %d | %d layers thinned |" % (sys.argv[2], sys.argv[3], sys.argv[4],
      100 * d["readback_agreement"], s["macs_before"], s["macs_after"], changed))
PY
      else
        echo "| $m | $v | $cmd | no: $(tail -1 "$out.err" | cut -c1-160) | | | | |"
      fi
    done
  done
done
