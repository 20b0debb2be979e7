#!/usr/bin/python3
"""PyTorch references for Condense's CIFAR ResNets and VGG-16 (run with Debian's /usr/bin/python3).

Writes, next to this script:
  params.json            learnable parameter counts of PyTorch's own ResNet-20/56 (options A and B)
                         and of Li et al.'s VGG-16, for 3x32x32 and 1x28x28 inputs
  resnet8-a.onnx         a trained-from-init ResNet-8 with option-A shortcuts (Slice + Pad), 1x28x28
  resnet8-b.onnx         the same with option-B (1x1 conv + BN) shortcuts
  resnet8-{a,b}-input.bin / -output.bin   a batch of 4 random inputs and PyTorch's logits (float32 LE)

The ResNets follow He et al. 2016 Sec. 4.2 as the widely used PyTorch CIFAR implementation writes
them (option A: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, planes // 4, planes // 4))).
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


class Block(nn.Module):
    def __init__(self, inp, planes, stride, option):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.option = option
        self.shortcut = nn.Sequential()
        if stride != 1 or inp != planes:
            if option == "a":
                pad = planes - inp
                self.shortcut = LambdaLayer(lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, pad // 2, pad - pad // 2)))
            else:
                self.shortcut = nn.Sequential(nn.Conv2d(inp, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + self.shortcut(x))


class LambdaLayer(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.f = f

    def forward(self, x):
        return self.f(x)


class ResNet(nn.Module):
    def __init__(self, depth, option, channels=3, classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(channels, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, inp = [], 16
        for stage, planes in enumerate([16, 32, 64]):
            for i in range(n):
                layers.append(Block(inp, planes, 2 if stage > 0 and i == 0 else 1, option))
                inp = planes
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def vgg16(channels, size, classes=10):
    """Li et al. 2017's CIFAR VGG-16: conv-BN-ReLU x13, max-pools, fc 512 + BN + ReLU, fc."""
    cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
    layers, inp = [], channels
    for c in cfg:
        if c == "M":
            if size >= 2:
                layers.append(nn.MaxPool2d(2))
                size //= 2
            continue
        layers += [nn.Conv2d(inp, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU()]
        inp = c
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(512 * size * size, 512), nn.BatchNorm1d(512), nn.ReLU(),
                         nn.Linear(512, classes))


def learnable(m):
    return sum(p.numel() for p in m.parameters())


def main():
    counts = {}
    for ch, size in ((3, 32), (1, 28)):
        key = f"{ch}x{size}x{size}"
        for depth in (20, 56):
            for option in ("a", "b"):
                counts[f"resnet-{depth}:shortcut={option} {key}"] = learnable(ResNet(depth, option, ch))
        counts[f"vgg-16 {key}"] = learnable(vgg16(ch, size))
    with open(os.path.join(HERE, "params.json"), "w") as f:
        json.dump(counts, f, indent=2, sort_keys=True)
    for option in ("a", "b"):
        torch.manual_seed(4)
        m = ResNet(8, option, channels=1)
        # a few training steps, so BatchNorm's running statistics are not the trivial 0 and 1
        opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
        for _ in range(5):
            x = torch.randn(16, 1, 28, 28)
            loss = F.cross_entropy(m(x), torch.randint(0, 10, (16,)))
            opt.zero_grad()
            loss.backward()
            opt.step()
        m.eval()
        x = torch.randn(4, 1, 28, 28)
        with torch.no_grad():
            y = m(x)
        path = os.path.join(HERE, f"resnet8-{option}.onnx")
        torch.onnx.export(m, x, path, input_names=["input"], output_names=["logits"], opset_version=13,
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        x.numpy().astype("<f4").tofile(os.path.join(HERE, f"resnet8-{option}-input.bin"))
        y.numpy().astype("<f4").tofile(os.path.join(HERE, f"resnet8-{option}-output.bin"))
    print(json.dumps(counts, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
