#!/usr/bin/python3
"""Fashion-MNIST models of issues 15 §4 and 16 §5, trained in PyTorch 1.13 and exported to ONNX.

Usage: fashion_models.py MODEL OUTDIR [EPOCHS [SEED [TRAIN_LIMIT]]]
MODEL: lenet-5, resnet-20, resnet-56, vgg-16-4, mobilenet_v2, efficientnet_b0.

The architectures are the zoo's (dev.condense.zoo): LeNet-5 (Caffe's, 20/50 5x5 convs, 500 FC),
CIFAR ResNets (He et al. 2016 §4.2: 16/32/64 channels, 3n BasicBlocks; shortcuts here are option B,
a strided 1x1 conv + BN, which ONNX Runtime's QDQ rules fuse), VGG-16 at width 1/4 with BN after
every conv and after fc1, the pools that would leave nothing at 28x28 skipped (as zoo.Vgg); and
torchvision's mobilenet_v2 / efficientnet_b0 with a 1-channel stem and 10 classes.
Inputs are x/255 (Condense's `--preprocess unit`, stored in the file's metadata so Condense reads it).
Training: SGD momentum 0.9, weight decay 5e-4, batch 128, lr 0.05 cosine over EPOCHS epochs,
random crop (padding 2) + horizontal flip, seeded. Writes OUTDIR/MODEL.onnx (opset 13, dynamic
batch, eval mode), OUTDIR/MODEL.pt (state dict, for the PyTorch INT8 peer), OUTDIR/MODEL.json (test top-1,
epochs, seconds).
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import onnx
import torch
import torchvision
from torch import nn

DATA = "/usr/share/datasets/fashion-mnist"


def idx(name):
    with gzip.open(os.path.join(DATA, name)) as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)


def fashion(split):
    p = "train" if split == "train" else "t10k"
    x = idx(p + "-images-idx3-ubyte.gz").astype(np.float32)[:, None] / 255.0
    y = idx(p + "-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 20, 5), nn.Conv2d(20, 50, 5)
        self.fc1, self.fc2 = nn.Linear(800, 500), nn.Linear(500, 10)

    def forward(self, x):
        x = nn.functional.max_pool2d(self.conv1(x), 2)
        x = nn.functional.max_pool2d(self.conv2(x), 2)
        return self.fc2(nn.functional.relu(self.fc1(torch.flatten(x, 1))))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = nn.functional.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return nn.functional.relu(y + (x if self.short is None else self.short(x)))


class CifarResNet(nn.Module):
    def __init__(self, depth):
        super().__init__()
        n = (depth - 2) // 6
        self.conv = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        blocks, cin = [], 16
        for stage, c in enumerate((16, 32, 64)):
            for i in range(n):
                blocks.append(Block(cin, c, 2 if stage > 0 and i == 0 else 1))
                cin = c
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.blocks(nn.functional.relu(self.bn(self.conv(x))))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


class Vgg16(nn.Module):
    PLAN = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0]

    def __init__(self, width, size=28):
        super().__init__()
        layers, cin = [], 1
        for c in self.PLAN:
            if c == 0:
                if size >= 2:
                    layers.append(nn.MaxPool2d(2))
                    size //= 2
                continue
            c = max(1, round(c * width))
            layers += [nn.Conv2d(cin, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU()]
            cin = c
        self.features = nn.Sequential(*layers)
        hidden = max(1, round(512 * width))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(cin * size * size, hidden), nn.BatchNorm1d(hidden),
                                        nn.ReLU(), nn.Linear(hidden, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def one_channel(model, stem):
    old = stem[0]
    stem[0] = nn.Conv2d(1, old.out_channels, old.kernel_size, old.stride, old.padding, bias=False)
    return model


def build(name):
    if name == "lenet-5":
        return LeNet5()
    if name == "resnet-20":
        return CifarResNet(20)
    if name == "resnet-56":
        return CifarResNet(56)
    if name == "vgg-16-4":
        return Vgg16(0.25)
    if name == "mobilenet_v2":
        m = torchvision.models.mobilenet_v2(num_classes=10)
        return one_channel(m, m.features[0])
    if name == "efficientnet_b0":
        m = torchvision.models.efficientnet_b0(num_classes=10)
        return one_channel(m, m.features[0])
    raise SystemExit("unknown model " + name)


def accuracy(model, x, y, batch=500):
    model.eval()
    right = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            right += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return right / len(x)


def augment(x, g):
    """Random crop with 2 pixels of zero padding, then a random horizontal flip (per image, seeded)."""
    n = x.shape[0]
    padded = nn.functional.pad(x, (2, 2, 2, 2))
    dx = torch.randint(0, 5, (n,), generator=g)
    dy = torch.randint(0, 5, (n,), generator=g)
    out = torch.empty_like(x)
    for oy in range(5):  # one slice per offset pair, not per image
        for ox in range(5):
            sel = ((dy == oy) & (dx == ox)).nonzero().flatten()
            if len(sel):
                out[sel] = padded[sel, :, oy:oy + 28, ox:ox + 28]
    flip = torch.rand(n, generator=g) < 0.5
    out[flip] = out[flip].flip(3)
    return out


def train(name, model, opt, sched, x, y, epochs, g):
    """EPOCHS epochs of cross-entropy on batches of 128 (order and augmentation drawn from g), sched stepped
    per batch; prints each epoch's last loss and returns the seconds taken."""
    start = time.time()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), 128):
            b = order[i:i + 128]
            loss = nn.functional.cross_entropy(model(augment(x[b], g)), y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        print("%s epoch %d: loss %.4f, %.0f s" % (name, epoch + 1, loss.item(), time.time() - start), file=sys.stderr)
    return time.time() - start


def main():
    name, out = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    limit = int(sys.argv[5]) if len(sys.argv) > 5 else 60000
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    os.makedirs(out, exist_ok=True)
    xtr, ytr = fashion("train")
    xte, yte = fashion("test")
    xtr, ytr = xtr[:limit], ytr[:limit]
    model = build(name)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    steps = epochs * ((len(xtr) + 127) // 128)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    seconds = train(name, model, opt, sched, xtr, ytr, epochs, g)
    top1 = accuracy(model, xte, yte)
    model.eval()
    path = os.path.join(out, name + ".onnx")
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, opset_version=13, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    m = onnx.load(path)
    m.metadata_props.add(key="condense.preprocess", value="unit")
    onnx.save(m, path)
    torch.save(model.state_dict(), os.path.join(out, name + ".pt"))
    json.dump({"model": name, "top1": top1, "epochs": epochs, "seed": seed, "train_images": len(xtr),
               "seconds": seconds, "params": sum(p.numel() for p in model.parameters())},
              open(os.path.join(out, name + ".json"), "w"))
    print("%s: test top-1 %.2f%% after %d epochs (%.0f s)" % (name, 100 * top1, epochs, seconds), file=sys.stderr)


if __name__ == "__main__":
    main()
