#!/usr/bin/env bash
# Issue 13 §4, the held-out-style CNN: a PyTorch model of our own with grouped convolutions,
# squeeze-and-excitation, HardSwish, channel shuffle and chunk/concat (bench/heldout/heldout_cnn.py),
# trained briefly in PyTorch on Fashion-MNIST and exported; Condense loads it and its test accuracy
# (engine and ONNX Runtime) is compared with PyTorch's; then `condense train` fine-tunes it end to
# end for EPOCHS epochs with seeds 1, 2, 3, and each written model is evaluated by the engine and by
# ONNX Runtime. Writes bench/results/heldout-cnn.md (and .json).
# Usage: bash bench/heldout-cnn.sh   (after `mvn -B -o -q -pl condense-cli -am package -DskipTests`;
#   PT_EPOCHS=1 EPOCHS=1 by default; PT_LIMIT=N trains PyTorch on the first N training images
#   (default 60000); LIMIT=N fine-tunes on the first N training images and tests on the first N test
#   images (default: all); WORK=DIR keeps the files, default a temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
PT_EPOCHS="${PT_EPOCHS:-1}"
EPOCHS="${EPOCHS:-1}"
PT_LIMIT="${PT_LIMIT:-60000}"
LIMIT="${LIMIT:-60000}"
W="${WORK:-$(mktemp -d)}"
mkdir -p "$W"
start=$(date +%s)
/usr/bin/python3 bench/heldout/heldout_cnn.py "$W" "$PT_EPOCHS" "$PT_LIMIT"
common=(--data fashion-mnist --preprocess unit --json --quiet --limit "$LIMIT")
"$C" eval "$W/heldout.onnx" "${common[@]}" --runtime both > "$W/eval-before.json"
for seed in 1 2 3; do
  "$C" train "$W/heldout.onnx" "${common[@]}" --epochs "$EPOCHS" --seed "$seed" -o "$W/ft-$seed.onnx" > "$W/train-$seed.json"
  "$C" eval "$W/ft-$seed.onnx" "${common[@]}" --runtime both > "$W/eval-$seed.json"
done
/usr/bin/python3 - "$W" "$EPOCHS" "$(( $(date +%s) - start ))" "$LIMIT" <<'PY' > bench/results/heldout-cnn.md
import json, os, statistics, sys
w, epochs, secs, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
load = lambda n: json.load(open(os.path.join(w, n)))
pt, before = load("pytorch.json"), load("eval-before.json")
rows = []
for s in (1, 2, 3):
    t, e = load("train-%d.json" % s), load("eval-%d.json" % s)
    rows.append((s, t["test"]["top1"], e["top1"], e["ort"]["top1"], e["ort_agreement"], t["seconds"]))
after = [r[1] for r in rows]
print("# Held-out-style CNN on Fashion-MNIST: PyTorch-trained, loaded, checked and fine-tuned by Condense\n")
print("Issue 13 §4. `bench/heldout-cnn.sh` (model: `bench/heldout/heldout_cnn.py`, %d parameters: grouped 1x1 "
      "convolutions, depthwise 3x3, squeeze-and-excitation with HardSigmoid, HardSwish, channel shuffle as "
      "view/transpose/reshape with a dynamic batch, chunk/concat). PyTorch 1.13: %d epoch(s) of SGD (lr 0.05, "
      "momentum 0.9, batch 128, seed 0) on the first %d training images, export at opset 13; inputs x/255 in both (`--preprocess unit`). "
      "Whole run: %d min %d s.\n" % (pt["params"], pt["epochs"], pt["train_images"], secs // 60, secs % 60))
print("| | test top-1 (10,000 images) |\n| --- | ---: |")
if limit < 10000:
    print("| (Condense rows: first %d test images only) | |" % limit)
print("| PyTorch | %.2f%% |" % (100 * pt["top1"]))
print("| Condense engine, the exported file | %.2f%% |" % before["top1"])
print("| ONNX Runtime, the exported file | %.2f%% (agrees with the engine on %.2f%% of images) |"
      % (before["ort"]["top1"], 100 * before["ort_agreement"]))
print("\nFine-tuned end to end with `condense train --epochs %d` (defaults: SGD lr 0.01 cosine, momentum 0.9, "
      "weight decay 5e-4, batch 64) on the first %d training images, one run per seed:\n" % (epochs, min(limit, 60000)))
print("| seed | top-1 after (engine) | written model in ONNX Runtime | ORT/engine agreement | train seconds |")
print("| ---: | ---: | ---: | ---: | ---: |")
for r in rows:
    print("| %d | %.2f%% | %.2f%% | %.2f%% | %.0f |" % (r[0], r[1], r[3], 100 * r[4], r[5]))
print("\nBefore: %.2f%%; after: mean %.2f%%, range %.2f–%.2f%% (3 seeds)." % (before["top1"],
      statistics.mean(after), min(after), max(after)))
PY
cat bench/results/heldout-cnn.md
