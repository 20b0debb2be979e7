#!/usr/bin/env bash
# Reproduces the Fashion-MNIST structured-pruning results: Network Trimming of LeNet-5 (Hu et al.
# 2016), L1 filter pruning of VGG-16 and ResNet-20 (Li et al. 2017), and He et al. 2017's Table 2
# (He, ThiNet, L1, random at 2x and 4x fewer multiply-adds) on the same VGG and ResNet.
# Writes docs/results/{hu2016,li2017}-*.{md,json} and bench/results/table2-*-fashion-mnist.{md,json}.
# About 4 hours on 2 cores; then bench/structured-latency.sh re-times the thinned models alone. Usage: bash bench/reproduce-structured.sh   (CONDENSE=... for another build;
# WORK=DIR for the trained models, default /tmp/condense-structured)
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
W="${WORK:-/tmp/condense-structured}"
D=fashion-mnist
mkdir -p "$W" docs/results bench/results
step() { echo "== $* ($(date +%T))" >&2; }

step "models"
[[ -f $W/l5.onnx ]] || "$C" train lenet-5 --data $D --epochs 30 --lr 0.02 --batch 32 --schedule cosine --seed 1 --out "$W/l5.onnx"
[[ -f $W/vgg.onnx ]] || "$C" train vgg-16:width=0.25 --data $D --epochs 8 --lr 0.05 --batch 64 --schedule cosine --seed 1 --out "$W/vgg.onnx"
[[ -f $W/resnet.onnx ]] || "$C" train resnet-20:width=0.5 --data $D --epochs 8 --lr 0.05 --batch 64 --schedule cosine --seed 1 --out "$W/resnet.onnx"
[[ -f $W/resnet20.onnx ]] || "$C" train resnet-20 --data $D --epochs 6 --lr 0.05 --batch 64 --schedule cosine --seed 1 --out "$W/resnet20.onnx"

step "Network Trimming, LeNet-5"
"$C" compress --recipe recipes/hu2016-lenet-5-fashion-mnist.yaml "$W/l5.onnx" --data $D --seed 1 \
  --out "$W/l5-trim.onnx" --report docs/results/hu2016-lenet-5-fashion-mnist.md --quiet > /dev/null

step "Pruning Filters, VGG-16/4: conv1 and conv8-13 halved, conv3-7 by a quarter (kept counts multiples of 8)"
"$C" prune-filters "$W/vgg.onnx" --data $D --align 8 --retrain-epochs 4 --retrain-lr 0.005 --seed 1 \
  --ratio conv1=0.5,conv3=0.25,conv4=0.25,conv5=0.25,conv6=0.25,conv7=0.25,conv8=0.5,conv9=0.5,conv10=0.5,conv11=0.5,conv12=0.5,conv13=0.5 \
  --out "$W/vgg-li.onnx" --report docs/results/li2017-vgg16-w0.25-fashion-mnist.md --quiet > /dev/null

step "Pruning Filters, ResNet-20/2: the first layer of each stage-2 and stage-3 block halved"
"$C" prune-filters "$W/resnet.onnx" --data $D --align 8 --retrain-epochs 4 --retrain-lr 0.005 --seed 1 \
  --ratio layer2.0.conv1=0.5,layer2.1.conv1=0.5,layer2.2.conv1=0.5,layer3.0.conv1=0.5,layer3.1.conv1=0.5,layer3.2.conv1=0.5 \
  --out "$W/resnet-li.onnx" --report docs/results/li2017-resnet20-w0.5-fashion-mnist.md --quiet > /dev/null

step "Pruning Filters, ResNet-20 (full width): the first layer of each stage-2 and stage-3 block halved"
"$C" prune-filters "$W/resnet20.onnx" --data $D --align 8 --retrain-epochs 4 --retrain-lr 0.005 --seed 1 \
  --ratio layer2.0.conv1=0.5,layer2.1.conv1=0.5,layer2.2.conv1=0.5,layer3.0.conv1=0.5,layer3.1.conv1=0.5,layer3.2.conv1=0.5 \
  --out "$W/resnet20-li.onnx" --report docs/results/li2017-resnet20-fashion-mnist.md --quiet > /dev/null

# He et al.'s Table 2: model, speed-ups, --align, table name. With counts aligned to 8 the ResNet's
# inner layers cannot give 4x (3.42x at most), so its 4x rows keep exact counts.
table2() {
  step "He et al.'s Table 2, $4"
  /usr/bin/python3 bench/channel-pruning/table2.py "$W/$1.onnx" --data $D --speedups "$2" --align "$3" \
    --fine-tune-epochs 1 --fine-tune-lr 0.005 --thinet-layer-epochs 1 --thinet-layer-images 3000 --condense "$C" \
    --out "bench/results/table2-$4-fashion-mnist" --reports "$W/table2-$4"
}
table2 vgg 2,4 8 vgg16-w0.25
table2 resnet 2 8 resnet20-w0.5-2x
table2 resnet 4 1 resnet20-w0.5-4x

step "ThiNet-GAP, VGG-16/4 at 2x"
"$C" channel-prune "$W/vgg.onnx" --data $D --method thinet --speedup 2 --align 8 --gap-head --layer-epochs 1 \
  --layer-images 3000 --retrain-epochs 1 --retrain-lr 0.005 --seed 1 --out "$W/vgg-thinet-gap.onnx" \
  --report docs/results/thinet-gap-vgg16-w0.25-fashion-mnist.md --quiet > /dev/null
