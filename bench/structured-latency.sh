#!/usr/bin/env bash
# Re-times the thinned Fashion-MNIST models of bench/reproduce-structured.sh against their
# originals in ONNX Runtime, alone on the machine, with 1 and 2 intra-op threads, three times each
# (condense latency: the two models in alternation on the same random batches, medians).
# Writes bench/results/structured-latency.md. Run it on an idle machine, after reproduce-structured.sh.
# Usage: bash bench/structured-latency.sh   (CONDENSE=... for another build; WORK=DIR as for reproduce-structured.sh)
# STANDINS=1: without reproduce-structured.sh's trained models, time stand-ins of the same shapes
# instead (ONNX Runtime's latency depends on the shapes, not the weights): each model trained on 64
# images, then thinned to the layer widths the reproduction reported (docs/results/hu2016-*,
# li2017-*) with the same commands and no retraining.
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
W="${WORK:-/tmp/condense-structured}"
out=bench/results/structured-latency.md
if [[ "${STANDINS:-0}" == 1 ]]; then
  W="${WORK:-/tmp/condense-structured-standins}"
  mkdir -p "$W"
  q=(--data fashion-mnist --quiet --seed 1)
  base() { [[ -f $W/$2 ]] || "$C" train "$1" "${q[@]}" --epochs 1 --limit 64 --out "$W/$2" > /dev/null; }
  thin() { [[ -f $W/$2 ]] || "$C" prune-filters "$W/$1" "${q[@]}" --retrain-epochs 0 --limit 200 --align "$3" --ratio "$4" --out "$W/$2" > /dev/null; }
  base lenet-5 l5.onnx; base vgg-16:width=0.25 vgg.onnx; base resnet-20:width=0.5 resnet.onnx; base resnet-20 resnet20.onnx
  # Network Trimming kept 216 of ip1's 500 neurons (docs/results/hu2016-lenet-5-fashion-mnist.md);
  # prune-filters thins convolutions only, so the stand-in's Gemm rows and columns are cut here
  [[ -f $W/l5-trim.onnx ]] || /usr/bin/python3 - "$W" <<'PY'
import sys, onnx, onnx.numpy_helper as nh
m = onnx.load(sys.argv[1] + "/l5.onnx")
cut = {"ip1.weight": lambda a: a[:216], "ip1.bias": lambda a: a[:216], "ip2.weight": lambda a: a[:, :216]}
for i, t in enumerate(m.graph.initializer):
    if t.name in cut:
        m.graph.initializer[i].CopyFrom(nh.from_array(cut[t.name](nh.to_array(t)).copy(), t.name))
onnx.checker.check_model(m)
onnx.save(m, sys.argv[1] + "/l5-trim.onnx")
PY
  thin vgg.onnx vgg-li.onnx 8 conv1=0.5,conv3=0.25,conv4=0.25,conv5=0.25,conv6=0.25,conv7=0.25,conv8=0.5,conv9=0.5,conv10=0.5,conv11=0.5,conv12=0.5,conv13=0.5
  res=layer2.0.conv1=0.5,layer2.1.conv1=0.5,layer2.2.conv1=0.5,layer3.0.conv1=0.5,layer3.1.conv1=0.5,layer3.2.conv1=0.5
  thin resnet.onnx resnet-li.onnx 8 "$res"
  thin resnet20.onnx resnet20-li.onnx 8 "$res"
fi
{
  echo "# ONNX Runtime latency of the thinned Fashion-MNIST models, re-timed alone"
  echo
  echo "$(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores, nothing else running; $(date -u +%F)."
  echo "Each cell: speed-up at batch 64 (÷ MACs ratio) of three runs of \`condense latency ORIGINAL THINNED --batch 64\`."
  [[ "${STANDINS:-0}" == 1 ]] && echo "Models: same-shape stand-ins of the reproduction's (STANDINS=1: the layer widths it reported, weights from 64 training images)."
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
