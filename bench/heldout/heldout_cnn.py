#!/usr/bin/python3
"""The held-out-style CNN of issue 13 §4, in PyTorch: grouped convolutions, squeeze-and-excitation,
HardSwish, channel shuffle (view/transpose/view with a dynamic batch) and chunk/concat.

Usage: heldout_cnn.py OUTDIR [EPOCHS [TRAIN_LIMIT]]
Trains it (on the first TRAIN_LIMIT training images, default all 60,000) on Fashion-MNIST (the Debian package's IDX files; inputs x/255, as Condense's
`--preprocess unit`) with seeded SGD, exports OUTDIR/heldout.onnx (opset 13, dynamic batch axis,
eval mode: BatchNorm as inference nodes), and writes OUTDIR/pytorch.json with its test accuracy
and OUTDIR/pytorch-pred.npy, its predicted class of each of the 10,000 test images.
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

DATA = "/usr/share/datasets/fashion-mnist"
SEED = 0


def idx(name):
    with gzip.open(os.path.join(DATA, name)) as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)


def shuffle(x, groups):
    b, c, h, w = x.shape
    return x.view(b, groups, c // groups, h, w).transpose(1, 2).reshape(b, c, h, w)


class SqueezeExcite(nn.Module):
    def __init__(self, c, r=4):
        super().__init__()
        self.reduce = nn.Conv2d(c, c // r, 1)
        self.expand = nn.Conv2d(c // r, c, 1)

    def forward(self, x):
        s = x.mean((2, 3), keepdim=True)
        return x * nn.functional.hardsigmoid(self.expand(nn.functional.relu(self.reduce(s))))


def conv_bn(cin, cout, k, stride=1, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if act:
        layers.append(nn.Hardswish())
    return nn.Sequential(*layers)


class GroupShuffleBlock(nn.Module):
    """1x1 grouped conv, channel shuffle, depthwise 3x3 (stride), SE, 1x1 grouped conv."""

    def __init__(self, cin, cout, stride, groups=4):
        super().__init__()
        self.groups = groups
        self.a = conv_bn(cin, cout, 1, groups=groups)
        self.dw = conv_bn(cout, cout, 3, stride, groups=cout)
        self.se = SqueezeExcite(cout)
        self.b = conv_bn(cout, cout, 1, groups=groups, act=False)

    def forward(self, x):
        return nn.functional.hardswish(self.b(self.se(self.dw(shuffle(self.a(x), self.groups)))))


class SplitBlock(nn.Module):
    """ShuffleNet-v2 style: chunk into halves, transform one, concatenate, shuffle."""

    def __init__(self, c):
        super().__init__()
        h = c // 2
        self.branch = nn.Sequential(conv_bn(h, h, 1), conv_bn(h, h, 3, groups=h, act=False), conv_bn(h, h, 1))

    def forward(self, x):
        keep, work = x.chunk(2, dim=1)
        return shuffle(torch.cat([keep, self.branch(work)], dim=1), 2)


class HeldOut(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv_bn(1, 24, 3)
        self.features = nn.Sequential(GroupShuffleBlock(24, 48, 2), SplitBlock(48),
                                      GroupShuffleBlock(48, 96, 2), SplitBlock(96))
        self.head = nn.Linear(96, 10)

    def forward(self, x):
        return self.head(self.features(self.stem(x)).mean((2, 3)))


def predict(model, x):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(x), 500):
            out.append(model(x[i:i + 500]).argmax(1))
    return torch.cat(out).numpy()


def main():
    out = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 60000
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    xtr = torch.from_numpy(idx("train-images-idx3-ubyte.gz")[:limit].astype(np.float32) / 255).unsqueeze(1)
    ytr = torch.from_numpy(idx("train-labels-idx1-ubyte.gz")[:limit].astype(np.int64))
    xte = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz").astype(np.float32) / 255).unsqueeze(1)
    yte = idx("t10k-labels-idx1-ubyte.gz").astype(np.int64)
    model = HeldOut()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    gen = torch.Generator().manual_seed(SEED)
    t0 = time.time()
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(xtr), generator=gen)
        for i in range(0, len(xtr), 128):
            j = order[i:i + 128]
            opt.zero_grad()
            nn.functional.cross_entropy(model(xtr[j]), ytr[j]).backward()
            opt.step()
    seconds = time.time() - t0
    pred = predict(model, xte)
    np.save(os.path.join(out, "pytorch-pred.npy"), pred)
    torch.onnx.export(model, xte[:2], os.path.join(out, "heldout.onnx"), opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    params = sum(p.numel() for p in model.parameters())
    json.dump({"top1": float((pred == yte).mean()), "correct": int((pred == yte).sum()), "epochs": epochs, "train_images": len(xtr),
               "seconds": seconds, "params": params}, open(os.path.join(out, "pytorch.json"), "w"))


if __name__ == "__main__":
    main()
