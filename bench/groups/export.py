#!/usr/bin/python3
"""Exports the torchvision 0.14 architectures of issue 15 §1 with random weights, for groups.sh.

Usage: export.py OUTDIR [SIDE]   (SIDE: input height and width, default 32)
Seeded (torch.manual_seed(0)); BatchNorm statistics and biases drawn at random (as after
training, so no two folded biases are equal by accident); opset 13, do_constant_folding=True, a
dynamic batch axis. Writes OUTDIR/MODEL.onnx and OUTDIR/data/ (a CIFAR-10-format binary data set
of seeded random images: 40 per training batch, 100 test) for --data cifar10:OUTDIR/data.
The model building and the data come from tools/torchvision-thinning/export.py.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "torchvision-thinning"))
from export import build, randomise_statistics, write_data  # noqa: E402

MODELS = ["mobilenet_v2", "efficientnet_b0", "regnet_x_400mf", "mobilenet_v3_small", "shufflenet_v2_x0_5",
          "resnext50_32x4d", "densenet121", "googlenet"]


def main():
    outdir = sys.argv[1]
    side = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    os.makedirs(outdir, exist_ok=True)
    for name in MODELS:
        torch.manual_seed(0)
        model = build(name)
        randomise_statistics(model, torch.Generator().manual_seed(1))
        torch.onnx.export(model, torch.randn(1, 3, side, side), os.path.join(outdir, name + ".onnx"), opset_version=13,
                          do_constant_folding=True, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    write_data(outdir, 40, 100)


if __name__ == "__main__":
    main()
