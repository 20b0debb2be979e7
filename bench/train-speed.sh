#!/usr/bin/env bash
# Issue 18 §3: training speed of Condense and PyTorch side by side (resnet-20 at batch 64 and 128,
# vgg-16:width=0.25, torchvision mobilenet_v2 with a 1-channel stem, lenet-5; 1 and 2 threads),
# medians of alternating runs and their ratios; writes bench/results/train-speed.{md,json}.
# Extra arguments go to bench/train/speed.py (e.g. --runs 1 --steps 5 for a quick check).
# About 15 minutes on the idle 2-core machine with the defaults (3 runs x 4 blocks of 20 steps per side).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q -pl bench -am package -DskipTests
/usr/bin/python3 bench/train/speed.py "$@"
