#!/usr/bin/python3
"""Peer check for magnitude pruning: PyTorch's torch.nn.utils.prune.l1_unstructured masks.

Loads the trained LeNet-5 that PyTorch exported (condense-core/src/test/resources/fixtures/
lenet5-pytorch.onnx), prunes each layer with l1_unstructured at the amounts below, and writes
each mask as a bare ONNX TensorProto (uint8, 1 = kept) named <weight>.pb beside this script.
Condense's MagnitudePruner with the same per-layer sparsities must produce identical masks.

Run from the repository root: /usr/bin/python3 condense-core/src/test/resources/peer/l1-unstructured/make_masks.py
"""
import os

import numpy as np
import onnx
import torch
import torch.nn.utils.prune as prune
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "..", "fixtures", "lenet5-pytorch.onnx")
# Han et al. 2015's LeNet-5 sparsities (Table 3), and one amount that rounds half-way.
AMOUNTS = {"conv1.weight": 0.34, "conv2.weight": 0.88, "ip1.weight": 0.92, "ip2.weight": 0.8125}


def main():
    weights = {t.name: numpy_helper.to_array(t) for t in onnx.load(MODEL).graph.initializer}
    for name, amount in AMOUNTS.items():
        module = torch.nn.Module()
        module.weight = torch.nn.Parameter(torch.from_numpy(weights[name].copy()))
        prune.l1_unstructured(module, "weight", amount=amount)
        mask = module.weight_mask.detach().numpy().astype(np.uint8)
        tensor = numpy_helper.from_array(mask, name)
        with open(os.path.join(HERE, name + ".pb"), "wb") as f:
            f.write(tensor.SerializeToString())
        print(name, amount, int(mask.size - mask.sum()), "pruned of", mask.size)


if __name__ == "__main__":
    main()
