#!/usr/bin/env bash
# Re-times the thinned Fashion-MNIST models of bench/reproduce-structured.sh against their
# originals in ONNX Runtime, alone on the machine, with 1 and 2 intra-op threads, three times each
# (condense latency: the two models in alternation on the same random batches, medians).
# Writes bench/results/structured-latency.md. Run it on an idle machine, after reproduce-structured.sh.
# Usage: bash bench/structured-latency.sh   (CONDENSE=... for another build; WORK=DIR as for reproduce-structured.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
W="${WORK:-/tmp/condense-structured}"
out=bench/results/structured-latency.md
{
  echo "# ONNX Runtime latency of the thinned Fashion-MNIST models, re-timed alone"
  echo
  echo "$(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores, nothing else running; $(date -u +%F)."
  echo "Each cell: speed-up at batch 64 (÷ MACs ratio) of three runs of \`condense latency ORIGINAL THINNED --batch 64\`."
  echo
  echo "| model | MACs ratio | 1 thread | 2 threads |"
  echo "| --- | ---: | --- | --- |"
} > "$out"
pair() { # label original thinned
  [[ -f $W/$2 && -f $W/$3 ]] || { echo "skipping $1: $W/$2 or $W/$3 missing" >&2; return; }
  local row="" ratio=""
  for t in 1 2; do
    local cell=""
    for rep in 1 2 3; do
      local j
      j="$("$C" latency "$W/$2" "$W/$3" --batch 64 --threads $t --json 2>/dev/null)"
      ratio="$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["macs_ratio"])' "$j")"
      cell="$cell$(/usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); s=d["latency"][0]["speed_up"]; print("%.2fx (%.2f)" % (s, s / d["macs_ratio"]))' "$j"), "
    done
    row="$row | ${cell%, }"
  done
  printf '| %s | %.2fx%s |\n' "$1" "$ratio" "$row" >> "$out"
}
pair "LeNet-5, APoZ trimming" l5.onnx l5-trim.onnx
pair "VGG-16/4, Li" vgg.onnx vgg-li.onnx
pair "ResNet-20/2, Li" resnet.onnx resnet-li.onnx
pair "ResNet-20, Li" resnet20.onnx resnet20-li.onnx
cat "$out"
