#!/usr/bin/env bash
# Does ONNX Runtime turn fewer multiply-adds into less time? ResNet-20 (16/32/64 channels) thinned by
# L1 filter pruning of each block's first layer, with and without --align 8, timed in ONNX Runtime
# against the original at batch 1 and 64 (the two models run in alternation). Weights do not change
# latency, so the untrained zoo model serves. Writes bench/results/ort-alignment.md.
# Usage: bash bench/ort-alignment.sh   (CONDENSE=... for another build; THREADS=N, default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
T="${THREADS:-2}"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
out=bench/results/ort-alignment.md
{
  echo "# ONNX Runtime latency of thinned ResNet-20s: channel counts aligned to 8 or not"
  echo
  echo "$(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores; ONNX Runtime with $T intra-op threads; $(date -u +%F)."
  echo
  echo "| ratio | --align | inner channels per stage | MACs ratio | speed-up, batch 1 | speed-up, batch 64 | speed-up / MACs ratio, batch 64 |"
  echo "| ---: | ---: | --- | ---: | ---: | ---: | ---: |"
} > "$out"
for ratio in 0.4 0.5 0.6; do
  for align in 1 8; do
    "$C" prune-filters resnet-20 --data fashion-mnist --limit 100 --ratio $ratio --align $align --retrain-epochs 0 \
      --no-verify --threads "$T" --seed 1 --out "$W/r.onnx" --report "$W/r.md" --quiet > /dev/null
    /usr/bin/python3 - "$W/r.json" $ratio $align >> "$out" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["structure"]
ch = s["rounds"][-1]["channels"]
stages = "/".join(str(ch[f"layer{i}.0.conv1"]) for i in (1, 2, 3))
lat = {x["batch"]: x for x in s["latency"]}
ratio = s["macs_before"] / s["macs_after"]
print(f"| {sys.argv[2]} | {sys.argv[3]} | {stages} | {ratio:.2f}x | {lat[1]['speed_up']:.2f}x | "
      f"{lat[64]['speed_up']:.2f}x | {lat[64]['speed_up'] / ratio:.2f} |")
PY
  done
done
cat "$out"
