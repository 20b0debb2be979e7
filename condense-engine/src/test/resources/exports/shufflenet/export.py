#!/usr/bin/python3
"""Exports the ShuffleNet v2 models ShuffleNetGroupsTest thins (and the real one, by hand).

Run from this directory with Debian's Python (torch 1.13, torchvision 0.14): /usr/bin/python3 export.py [REALDIR]
Writes tiny-opset13.onnx and tiny-opset17.onnx: torchvision's ShuffleNetV2 at a tiny width
(stages_repeats [5, 1, 1], stages_out_channels [8, 16, 32, 64, 64], 10 classes, input
1x3x32x32): every pattern of the real network -- the channel shuffle Reshape(N, 2, C/2, H, W)
-> Transpose(0, 2, 1, 3, 4) -> Reshape(N, C, H, W) after the Concat of the two branches,
chunk(2) as Split -- with four stride-1 blocks after a stride-2 one (the fifth chunk cuts the shuffled stream inside a channel). With REALDIR it also writes
REALDIR/shufflenet_v2_x0_5-opset{13,17}.onnx (1x3x224x224, 1000 classes; 5.5 MB each, not
committed; the measurement in docs/structured-pruning.md). Random weights, seeded; BatchNorm
statistics and affine parameters drawn at random so the folded biases differ; eval-mode export
(BatchNorm folded into the Conv), do_constant_folding=True.
"""
import sys

import torch
import torchvision
from torchvision.models.shufflenetv2 import ShuffleNetV2


def randomize(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
                m.weight.copy_((torch.rand(m.weight.shape, generator=g) * 2 - 1) * (3.0 / m.weight[0].numel()) ** 0.5)
                if m.bias is not None:
                    m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=g))
            if isinstance(m, torch.nn.BatchNorm2d):
                n = m.num_features
                m.weight.copy_(0.5 + torch.rand(n, generator=g))
                m.bias.copy_(0.2 * torch.randn(n, generator=g))
                m.running_mean.copy_(0.2 * torch.randn(n, generator=g))
                m.running_var.copy_(0.5 + torch.rand(n, generator=g))
    return model.eval()


def export(model, side, path, opset):
    x = torch.randn(1, 3, side, side, generator=torch.Generator().manual_seed(1))
    torch.onnx.export(model, x, path, opset_version=opset, do_constant_folding=True,
                      input_names=["input"], output_names=["logits"])


def main():
    torch.manual_seed(0)
    tiny = randomize(ShuffleNetV2([5, 1, 1], [8, 16, 32, 64, 64], num_classes=10), 0)
    for opset in (13, 17):
        export(tiny, 32, "tiny-opset%d.onnx" % opset, opset)
    if len(sys.argv) > 1:
        real = randomize(torchvision.models.shufflenet_v2_x0_5(weights=None), 0)
        for opset in (13, 17):
            export(real, 224, "%s/shufflenet_v2_x0_5-opset%d.onnx" % (sys.argv[1], opset), opset)


if __name__ == "__main__":
    main()
