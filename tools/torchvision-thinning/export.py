#!/usr/bin/python3
"""Exports the torchvision 0.14 models whose ONNX files share tensors, for run.sh.

PyTorch's eval-mode export folds each BatchNorm into its Conv and then stores identical
initializers once, handing the copy to further consumers through Identity nodes (or letting
several nodes read it). With torchvision's initialisation every folded bias is all zeros, so most
layers of equal width share one bias; with BatchNorm statistics and biases drawn at random
(as after training) the biases differ and only genuinely equal tensors are shared. Both variants are
written: MODEL-init.onnx and MODEL-trained.onnx.

Usage: export.py OUTDIR [SIDE]   (SIDE: input height and width, default 32, the CIFAR-10 shape)
Seeded (torch.manual_seed(0)); opset 13, do_constant_folding=True, a dynamic batch axis.
Also writes OUTDIR/data/, a CIFAR-10-format binary data set of seeded random images (600 per
split) that the CLI reads with --data cifar10:OUTDIR/data.
"""
import os
import sys

import numpy as np
import torch
import torchvision

MODELS = ["resnet18", "squeezenet1_1", "densenet121", "efficientnet_b0", "googlenet"]


def build(name):
    kw = {"aux_logits": False, "init_weights": True} if name == "googlenet" else {}
    return getattr(torchvision.models, name)(weights=None, num_classes=10, **kw).eval()


def randomise_statistics(model, gen):
    for m in model.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)) and m.bias is not None:
            m.bias.data = 0.1 * torch.randn(m.bias.shape, generator=gen)
        if isinstance(m, torch.nn.BatchNorm2d):
            n = m.num_features
            m.weight.data = 0.5 + torch.rand(n, generator=gen)
            m.bias.data = 0.2 * torch.randn(n, generator=gen)
            m.running_mean.data = 0.2 * torch.randn(n, generator=gen)
            m.running_var.data = 0.5 + torch.rand(n, generator=gen)


def write_data(outdir, train=120, test=600):
    rng = np.random.default_rng(0)
    d = os.path.join(outdir, "data")
    os.makedirs(d, exist_ok=True)
    for f in ["data_batch_%d.bin" % i for i in range(1, 6)] + ["test_batch.bin"]:
        n = train if f != "test_batch.bin" else test
        rec = np.zeros((n, 3073), np.uint8)
        rec[:, 0] = rng.integers(0, 10, n)
        rec[:, 1:] = rng.integers(0, 256, (n, 3072))
        rec.tofile(os.path.join(d, f))


def main():
    outdir = sys.argv[1]
    side = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    os.makedirs(outdir, exist_ok=True)
    for name in MODELS:
        for variant in ["init", "trained"]:
            torch.manual_seed(0)
            model = build(name)
            if variant == "trained":
                randomise_statistics(model, torch.Generator().manual_seed(1))
            x = torch.randn(1, 3, side, side)
            torch.onnx.export(model, x, os.path.join(outdir, "%s-%s.onnx" % (name, variant)), opset_version=13,
                              do_constant_folding=True, input_names=["input"], output_names=["logits"],
                              dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    write_data(outdir)


if __name__ == "__main__":
    main()
