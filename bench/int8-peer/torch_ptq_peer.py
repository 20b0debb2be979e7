#!/usr/bin/python3
"""The PyTorch peer of issue 16 §5: PyTorch 1.13's own post-training static quantization (FX graph
mode, the backend's default qconfig: per-channel int8 weights, histogram-observed uint8
activations) of a model trained by fashion_models.py, from the same weights and the same
calibration images Condense is given.

The issue names fbgemm, but Debian's python3-torch 1.13 is built without it
(torch.backends.quantized.supported_engines: qnnpack, onednn); the x86 backend it has is oneDNN
(MKL-DNN 2.6.3, with the VNNI int8 kernels), so that is the peer: BACKEND=onednn (default) or qnnpack.

Usage:
  torch_ptq_peer.py accuracy MODEL DIR CALIB.npz OUT.json
      calibrates on CALIB.npz's x_train (uint8, N x 28 x 28; inputs x/255 as in training), writes
      the float and quantized top-1 on its x_test / y_test to OUT.json and the quantized model to
      DIR/MODEL-BACKEND-<calib>.pt (TorchScript) for the latency mode.
  torch_ptq_peer.py latency MODEL DIR CALIB.npz BATCH THREADS REPS
      prints one JSON line: median ms per batch of the float model and of the quantized model,
      alternating REPS rounds of timed runs, torch.set_num_threads(THREADS).
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import torch

BACKEND = os.environ.get("BACKEND", "onednn")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fashion_models  # noqa: E402
from torch.ao.quantization import get_default_qconfig_mapping  # noqa: E402
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx  # noqa: E402


def load(name, folder):
    model = fashion_models.build(name)
    model.load_state_dict(torch.load(os.path.join(folder, name + ".pt")))
    return model.eval()


def images(a):
    a = a.astype(np.float32) / 255.0
    return torch.from_numpy(a.reshape(a.shape[0], 1, 28, 28))


def quantized(name, folder, calib):
    torch.backends.quantized.engine = BACKEND
    model = load(name, folder)
    x = images(np.load(calib)["x_train"])
    prepared = prepare_fx(model, get_default_qconfig_mapping(BACKEND), (x[:1],))
    with torch.no_grad():
        for i in range(0, len(x), 64):
            prepared(x[i:i + 64])
    return convert_fx(prepared)


def top1(model, x, y):
    with torch.no_grad():
        pred = torch.cat([model(x[i:i + 500]).argmax(1) for i in range(0, len(x), 500)])
    return (pred == y).float().mean().item()


def accuracy(name, folder, calib, out):
    torch.set_num_threads(1)
    d = np.load(calib)
    x, y = images(d["x_test"]), torch.from_numpy(d["y_test"].astype(np.int64))
    q = quantized(name, folder, calib)
    result = {"model": name, "calibration": os.path.basename(calib), "backend": BACKEND, "calibration_samples": int(d["x_train"].shape[0]),
              "float_top1": top1(load(name, folder), x, y), "int8_top1": top1(q, x, y)}
    tag = os.path.splitext(os.path.basename(calib))[0]
    torch.jit.save(torch.jit.trace(q, x[:1]), os.path.join(folder, "%s-%s-%s.pt" % (name, BACKEND, tag)))
    json.dump(result, open(out, "w"))


def median_ms(model, x, runs):
    times = []
    with torch.no_grad():
        for _ in range(runs):
            t = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - t) * 1000)
    return times


def latency(name, folder, calib, batch, threads, reps):
    torch.set_num_threads(threads)
    torch.backends.quantized.engine = BACKEND
    tag = os.path.splitext(os.path.basename(calib))[0]
    fp = torch.jit.trace(load(name, folder), torch.zeros(1, 1, 28, 28))
    q = torch.jit.load(os.path.join(folder, "%s-%s-%s.pt" % (name, BACKEND, tag)))
    x = images(np.load(calib)["x_test"][:batch])
    runs = 20 if batch == 1 else 5
    for m in (fp, q):  # warm-up (TorchScript profiles its first runs)
        median_ms(m, x, 5)
    f, i = [], []
    for _ in range(reps):
        f += median_ms(fp, x, runs)
        i += median_ms(q, x, runs)
    print(json.dumps({"model": name, "batch": batch, "threads": threads, "float_ms": statistics.median(f),
                      "int8_ms": statistics.median(i)}))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "accuracy":
        accuracy(*sys.argv[2:6])
    else:
        latency(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]))
