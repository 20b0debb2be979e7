#!/usr/bin/python3
"""PyTorch peer for the training benchmark: the same model, initial weights, data, batch size,
optimiser and thread count as Condense, timed per epoch.

Run with Debian's interpreter (/usr/bin/python3, python3-torch 1.13 + python3-onnx) and OpenBLAS
(LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp). Prints one JSON object per epoch.
"""
import argparse
import gzip
import json
import struct
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    magic, n = struct.unpack(">II", raw[:8])
    if magic == 0x803:
        h, w = struct.unpack(">II", raw[8:16])
        return np.frombuffer(raw, np.uint8, offset=16).reshape(n, 1, h, w)
    return np.frombuffer(raw, np.uint8, offset=8).astype(np.int64)


def build(name):
    if name == "lenet-300-100":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(),
                             nn.Linear(100, 10)), ["ip1", None, "ip2", None, "ip3"]
    if name == "lenet-5":
        return nn.Sequential(nn.Conv2d(1, 20, 5), nn.MaxPool2d(2, 2), nn.Conv2d(20, 50, 5), nn.MaxPool2d(2, 2),
                             nn.Flatten(), nn.Linear(800, 500), nn.ReLU(), nn.Linear(500, 10)), \
            ["conv1", None, "conv2", None, None, "ip1", None, "ip2"]
    raise SystemExit("unknown model " + name)


def load_init(model, names, path):
    init = {t.name: numpy_helper.to_array(t) for t in onnx.load(path).graph.initializer}
    layers = [m for m in model if not isinstance(m, (nn.Flatten,))]
    for module, name in zip([m for m in model], [None] + names if False else names_for(model, names)):
        if name is None:
            continue
        module.weight.data = torch.from_numpy(init[name + ".weight"].copy())
        module.bias.data = torch.from_numpy(init[name + ".bias"].copy())


def names_for(model, names):
    # names are given for the modules after an optional leading Flatten
    mods = list(model)
    if isinstance(mods[0], nn.Flatten) and len(names) == len(mods) - 1:
        return [None] + names
    return names


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--init", required=True, help="ONNX file with the initial weights (written by Condense)")
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x = read_idx(a.data + "/train-images-idx3-ubyte.gz")
    y = torch.from_numpy(read_idx(a.data + "/train-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(((x.astype(np.float32) / 255) - 0.2860) / 0.3530)
    model, names = build(a.model)
    load_init(model, names, a.init)
    decay = [q for n, q in model.named_parameters() if q.dim() >= 2]
    no_decay = [q for n, q in model.named_parameters() if q.dim() < 2]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": 5e-4}, {"params": no_decay, "weight_decay": 0}],
                          lr=a.lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    n = x.shape[0]
    for epoch in range(a.epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        total = 0.0
        for s in range(0, n, a.batch):
            idx = perm[s:s + a.batch]
            xb, yb = x[idx], y[idx]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        print(json.dumps({"framework": "pytorch " + torch.__version__, "model": a.model, "batch": a.batch,
                          "epoch": epoch + 1, "seconds": time.perf_counter() - t0, "train_loss": total / n}),
              flush=True)


if __name__ == "__main__":
    main()
