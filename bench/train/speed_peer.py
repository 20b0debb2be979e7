#!/usr/bin/python3
"""PyTorch side of bench/train-speed.sh: milliseconds per training step of the same architectures
Condense's zoo builds (resnet-20 option A, vgg-16 with a width multiplier, lenet-5) or of
torchvision's mobilenet_v2 with a 1-channel stem, on random 1x28x28 images, SGD momentum 0.9,
weight decay 5e-4; `reps` timed blocks of `steps` steps after one warm-up block. Prints one JSON line.
`--export FILE` instead writes mobilenet_v2 as ONNX (opset 13) for Condense to train.

Usage: speed_peer.py MODEL BATCH THREADS STEPS REPS | speed_peer.py mobilenet_v2 --export FILE
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def scaled(c, width):
    return max(1, int(round(c * width)))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.stride, self.extra = stride, cout - cin

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        s = x
        if self.stride != 1 or self.extra:
            s = x[:, :, ::self.stride, ::self.stride]
            s = F.pad(s, (0, 0, 0, 0, self.extra // 2, self.extra - self.extra // 2))
        return F.relu(y + s)


def resnet(depth, width=1.0):
    n = (depth - 2) // 6
    planes = scaled(16, width)
    layers = [nn.Conv2d(1, planes, 3, 1, 1, bias=False), nn.BatchNorm2d(planes), nn.ReLU()]
    cin = planes
    for stage in range(3):
        out = scaled(16 << stage, width)
        for i in range(n):
            layers.append(Block(cin, out, 2 if stage > 0 and i == 0 else 1))
            cin = out
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, 10))


def vgg16(width):
    cfg = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0]
    layers, cin, side = [], 1, 28
    for c in cfg:
        if c == 0:
            if side >= 2:
                layers.append(nn.MaxPool2d(2, 2))
                side //= 2
            continue
        layers += [nn.Conv2d(cin, scaled(c, width), 3, 1, 1, bias=False), nn.BatchNorm2d(scaled(c, width)), nn.ReLU()]
        cin = scaled(c, width)
    hidden = scaled(512, width)
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(cin * side * side, hidden), nn.BatchNorm1d(hidden),
                         nn.ReLU(), nn.Linear(hidden, 10))


def lenet5():
    return nn.Sequential(nn.Conv2d(1, 20, 5), nn.MaxPool2d(2, 2), nn.Conv2d(20, 50, 5), nn.MaxPool2d(2, 2),
                         nn.Flatten(), nn.Linear(800, 500), nn.ReLU(), nn.Linear(500, 10))


def mobilenet_v2():
    import torchvision
    m = torchvision.models.mobilenet_v2(num_classes=10)
    m.features[0][0] = nn.Conv2d(1, 32, 3, 2, 1, bias=False)
    return m


def build(name):
    if name.startswith("resnet-"):
        return resnet(int(name.split("-")[1]))
    if name.startswith("vgg-16"):
        return vgg16(float(name.split("width=")[1]) if "width=" in name else 1.0)
    if name == "lenet-5":
        return lenet5()
    if name in ("mobilenet_v2", "mobilenet-v2"):
        return mobilenet_v2()
    raise SystemExit("unknown model " + name)


def main():
    name = sys.argv[1]
    torch.manual_seed(1)
    if sys.argv[2] == "--export":
        m = build(name).eval()
        torch.onnx.export(m, torch.randn(2, 1, 28, 28), sys.argv[3], opset_version=13, input_names=["input"],
                          output_names=["logits"], dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}})
        return
    batch, threads, steps, reps = (int(v) for v in sys.argv[2:6])
    torch.set_num_threads(threads)
    model = build(name).train()
    decay = [q for q in model.parameters() if q.dim() >= 2]
    rest = [q for q in model.parameters() if q.dim() < 2]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": 5e-4}, {"params": rest, "weight_decay": 0}],
                          lr=0.01, momentum=0.9)
    g = torch.Generator().manual_seed(11)
    xs = torch.randn(steps, batch, 1, 28, 28, generator=g)
    ys = torch.randint(0, 10, (steps, batch), generator=g)
    ms = []
    for r in range(reps + 1):
        t0 = time.perf_counter()
        for i in range(steps):
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xs[i]), ys[i])
            loss.backward()
            opt.step()
        if r > 0:
            ms.append(round((time.perf_counter() - t0) * 1000 / steps, 3))
    print(json.dumps({"framework": "pytorch " + torch.__version__, "ms_per_step": ms}))


if __name__ == "__main__":
    main()
