#!/usr/bin/python3
"""Exports the small PyTorch models ReduceNormalizeExportTest runs against ONNX Runtime.

Run from this directory with Debian's Python (torch 1.13): /usr/bin/python3 export.py
Writes <name>-opset<N>.onnx for each model and opset, and for the transformer block at opset 17
the PyTorch reference of one backward pass: x.pb (input), dy.pb (upstream gradient of the
output) and grad.<initializer>.pb (d sum(y * dy) / d initializer) for every initializer of the
ONNX file, ":" written as "_" (a Linear's weight is stored transposed for MatMul; its gradient is transposed too).
Everything is seeded; the files are small (< 100 kB in all) and committed.
"""
import torch
import torch.nn as nn
import numpy as np
import onnx
from onnx import numpy_helper


class TransformerBlock(nn.Module):
    """Linear, LayerNorm over the last dim of [N, T, D], ReLU, Linear: a transformer's MLP half."""

    def __init__(self, d=8):
        super().__init__()
        self.fc1 = nn.Linear(d, d)
        self.ln = nn.LayerNorm(d)
        self.fc2 = nn.Linear(d, 4)

    def forward(self, x):
        return self.fc2(torch.relu(self.ln(self.fc1(x))))


class SqueezeExcite(nn.Module):
    """Conv, then squeeze-and-excitation with x.mean(dim=(2, 3)) pooling, then a mean-pooled head."""

    def __init__(self, c=6):
        super().__init__()
        self.conv = nn.Conv2d(3, c, 3, padding=1)
        self.fc1 = nn.Linear(c, 3)
        self.fc2 = nn.Linear(3, c)
        self.c = c

    def forward(self, x):
        x = torch.relu(self.conv(x))
        s = torch.sigmoid(self.fc2(torch.relu(self.fc1(x.mean(dim=(2, 3))))))
        x = x * s.view(-1, self.c, 1, 1)
        return x.mean(dim=(2, 3), keepdim=True).flatten(1)


class ChunkConcat(nn.Module):
    """ShuffleNet-style: conv, split into two along channels, transform one half, concat swapped.

    torch.split with sizes exports as Split; torch.chunk (1.13) exports as Shape, Gather and Slice."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 4, 1)
        self.conv3 = nn.Conv2d(8, 5, 3)

    def forward(self, x):
        a, b = torch.split(self.conv1(x), [4, 4], dim=1)
        return self.conv3(torch.cat([torch.relu(self.conv2(b)), a], dim=1))


class InstanceNormNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.norm = nn.InstanceNorm2d(4, affine=True)
        self.conv2 = nn.Conv2d(4, 2, 1)

    def forward(self, x):
        return self.conv2(torch.relu(self.norm(self.conv(x))))


def randomize(m, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in m.parameters():  # LayerNorm/InstanceNorm start at 1 and 0: make them count
            p.copy_(torch.rand(p.shape, generator=g) * 2 - 1)
    return m


MODELS = {
    "layernorm": (TransformerBlock, (2, 5, 8), (17,)),  # at opset 13 LayerNorm is written as Pow, Sqrt, ...
    "se-pool": (SqueezeExcite, (2, 3, 6, 6), (13, 17)),
    "split-cat": (ChunkConcat, (2, 3, 6, 6), (13, 17)),
    "instancenorm": (InstanceNormNet, (2, 3, 6, 6), (13, 17)),
}


def save(t, path):
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(t.detach().numpy()).SerializeToString())


def main():
    torch.manual_seed(0)
    for i, (name, (cls, shape, opsets)) in enumerate(MODELS.items()):
        m = randomize(cls(), 100 + i).eval()
        x = torch.rand(shape, generator=torch.Generator().manual_seed(200 + i)) * 2 - 1
        for opset in opsets:
            torch.onnx.export(m, x, "%s-opset%d.onnx" % (name, opset), opset_version=opset,
                              input_names=["x"], output_names=["y"], do_constant_folding=True,
                              dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
        if name == "layernorm":
            x.requires_grad_(False)
            y = m(x)
            dy = torch.rand(y.shape, generator=torch.Generator().manual_seed(300)) * 2 - 1
            (y * dy).sum().backward()
            save(x, "x.pb")
            save(dy, "dy.pb")
            model = onnx.load("%s-opset17.onnx" % name)
            params = list(m.parameters())
            for init in model.graph.initializer:
                v = numpy_helper.to_array(init)
                for p in params:
                    pv = p.detach().numpy()
                    if pv.shape == v.shape and np.array_equal(pv, v):
                        save(p.grad, "grad.%s.pb" % init.name.replace(":", "_"))
                    elif pv.ndim == 2 and pv.T.shape == v.shape and np.array_equal(pv.T, v):
                        save(p.grad.t().contiguous(), "grad.%s.pb" % init.name.replace(":", "_"))


if __name__ == "__main__":
    main()
