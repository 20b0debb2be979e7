#!/usr/bin/env bash
# Issue 14 §4: Condense evaluates a user's PyTorch model on the user's data exactly as PyTorch does.
#
#   bench/preprocess-agreement.sh [WORKDIR] [SEEDS]     (default /tmp/pp, "1 2 3")
#
# For each seed, bench/preprocess/make.py (Debian's python3-torch, python3-torchvision, python3-pil)
# writes Fashion-MNIST as 3-channel 64x64 PNG folders and as 28x28 PNG folders, IDX-equal .npz
# arrays, and trains two CNNs: one through torchvision's ImageFolder with Resize(60),
# CenterCrop(56), ToTensor, Normalize(ImageNet); one on x/255 alone. Then Condense:
#  1. evaluates the RGB model on the PNG folder with the spec given once (--preprocess),
#  2. writes it (train --epochs 0), which stores the spec, and evaluates the written model with no
#     --preprocess: the spec is read from the model, no warning;
#  3. evaluates the x/255 model on IDX, on the 28x28 PNG folder and on the .npz with
#     --preprocess unit, and once on IDX without a spec (the warning, and the wrong inputs).
# Top-1 of each next to PyTorch's; results in bench/results/preprocess-agreement.md.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-/tmp/pp}
SEEDS=${2:-"1 2 3"}
C=./condense
top1() { sed -n 's/.*"top1" *: *\([0-9.]*\).*/\1/p' | head -1; }
pytop1() { /usr/bin/python3 -c "import json,sys; print('%.2f' % json.load(open(sys.argv[1]))['top1'])" "$1"; }
out=bench/results/preprocess-agreement.md
{
  echo "# Preprocessing agreement with PyTorch (issue 14 §4)"
  echo
  echo "Made by \`bench/preprocess-agreement.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores; Condense $(git rev-parse --short HEAD)."
  echo "Test set: the 10,000 Fashion-MNIST test images; each model trained by PyTorch 1.13 on 12,000 training images, 3 epochs."
  echo
  echo "| seed | model | data given to Condense | spec | PyTorch top-1 | Condense top-1 | difference (points) |"
  echo "| ---: | --- | --- | --- | ---: | ---: | ---: |"
} > "$out"
for s in $SEEDS; do
  [ -f "$W/seed$s/unit.onnx" ] || OMP_NUM_THREADS=1 /usr/bin/python3 bench/preprocess/make.py "$W" "$s" 12000 3
  M=$W/seed$s
  row() { # model data spec pytorch condense
    printf '| %s | %s | %s | %s | %s | %s | %+.2f |\n' "$s" "$1" "$2" "$3" "$4" "$5" "$(echo "$5 - $4" | bc -l)" >> "$out"
  }
  py=$(pytop1 "$M/rgb56.json")
  spec="imagenet,resize=60,crop=56"
  c=$($C eval "$M/rgb56.onnx" --data "folder:$W/fm64" --preprocess "$spec" --json 2>/dev/null | top1)
  row "RGB 56 (ImageFolder)" "PNG folder, 3×64×64" "--preprocess $spec" "$py" "$c"
  $C train "$M/rgb56.onnx" --data "folder:$W/fm64" --preprocess "$spec" --epochs 0 --out "$M/rgb56-stamped.onnx" --quiet > /dev/null
  warn=$($C eval "$M/rgb56-stamped.onnx" --data "folder:$W/fm64" --json 2>&1 >/dev/null | grep -c warning || true)
  c=$($C eval "$M/rgb56-stamped.onnx" --data "folder:$W/fm64" --json 2>/dev/null | top1)
  row "RGB 56, written by Condense" "PNG folder, 3×64×64" "read from the model ($warn warnings)" "$py" "$c"
  py=$(pytop1 "$M/unit.json")
  for d in "fashion-mnist|IDX (Debian dataset-fashion-mnist)" "folder:$W/fm28|PNG folder, 1×28×28" "npz:$W/fm28.npz|.npz arrays, uint8"; do
    c=$($C eval "$M/unit.onnx" --data "${d%%|*}" --preprocess unit --json 2>/dev/null | top1)
    row "x/255 CNN" "${d#*|}" "--preprocess unit" "$py" "$c"
  done
  warn=$($C eval "$M/unit.onnx" --data fashion-mnist --json 2>&1 >/dev/null | grep warning | head -1)
  c=$($C eval "$M/unit.onnx" --data fashion-mnist --json 2>/dev/null | top1)
  row "x/255 CNN" "IDX" "none (data default, warned)" "$py" "$c"
done
{
  echo
  echo "The warning printed for the last row:"
  echo
  echo '```text'
  echo "$warn"
  echo '```'
} >> "$out"
cat "$out"
