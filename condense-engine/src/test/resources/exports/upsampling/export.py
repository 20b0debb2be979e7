#!/usr/bin/python3
"""Exports the small decoders UpsamplingExportTest runs against ONNX Runtime and PyTorch.

Run from this directory with Debian's Python (torch 1.13): /usr/bin/python3 export.py
Writes <model>-opset<N>.onnx: "decoder" (Conv, ConvTranspose2d with stride 2, padding,
output_padding and groups, nn.Upsample nearest x2, bilinear with align_corners False and True,
F.interpolate(size=...) nearest, Linear head) at opsets 11, 13 and 17, and "decoder9" (the same
without the bilinear branches, which opset 9's Upsample cannot express as PyTorch computes them)
at opsets 9 (with the fixed batch of 3 it needs), 11, 13 and 17. For each model, the PyTorch reference of one training step on one
batch: <model>.x.pb (input), <model>.dy.pb (upstream gradient of the logits, so the loss is
sum(logits * dy)), <model>.loss.pb and <model>.grad.<initializer>.pb for every float
initializer of the opset-13 file, ":" written as "_" (a Linear's weight is stored transposed
for Gemm/MatMul where the exporter does so; its gradient is transposed to match).
Everything is seeded; the files are small (kilobytes) and committed.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
import onnx
from onnx import numpy_helper


class Decoder(nn.Module):
    def __init__(self, bilinear=True):
        super().__init__()
        self.bilinear = bilinear
        self.conv1 = nn.Conv2d(2, 4, 3, padding=1)
        self.up = nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1, output_padding=1, groups=2)
        self.nearest = nn.Upsample(scale_factor=2, mode='nearest')
        self.smooth = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False)
        self.conv2 = nn.Conv2d(4, 3, 3, stride=2, padding=1)
        self.fc = nn.Linear(3 * 4 * 4, 5)

    def forward(self, x):
        h = torch.relu(self.conv1(x))              # [N, 4, 3, 3]
        h = torch.relu(self.up(h))                 # [N, 4, 6, 6]
        y = self.nearest(h)                        # [N, 4, 12, 12]
        if self.bilinear:
            y = y + self.smooth(h) + F.interpolate(h, size=(12, 12), mode='bilinear', align_corners=True)
        y = self.conv2(y)                          # [N, 3, 6, 6]
        y = F.interpolate(y, size=(4, 4), mode='nearest')
        return self.fc(torch.flatten(y, 1))


def randomize(m, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_((torch.rand(p.shape, generator=g) * 2 - 1) * 0.5)
    return m


def save(t, path):
    onnx.save_tensor(numpy_helper.from_array(t.detach().numpy().astype('float32')), path)


def export(name, model, opsets, seed):
    x = torch.rand(3, 2, 3, 3, generator=torch.Generator().manual_seed(seed)) * 2 - 1
    for opset in opsets:
        torch.onnx.export(model, x, f'{name}-opset{opset}.onnx', opset_version=opset,
                          input_names=['x'], output_names=['logits'],
                          # opset 9 computes F.interpolate(size=...)'s scales from static shapes only
                          dynamic_axes=None if opset < 11 else {'x': {0: 'batch'}, 'logits': {0: 'batch'}})
    # One training step's reference: loss = sum(logits * dy), gradients of every parameter.
    dy = torch.rand(3, 5, generator=torch.Generator().manual_seed(seed + 1)) * 2 - 1
    model.zero_grad()
    loss = (model(x) * dy).sum()
    loss.backward()
    save(x, f'{name}.x.pb')
    save(dy, f'{name}.dy.pb')
    save(loss.reshape(1), f'{name}.loss.pb')
    params = dict(model.named_parameters())
    m = onnx.load(f'{name}-opset13.onnx')
    for init in m.graph.initializer:
        if init.data_type != onnx.TensorProto.FLOAT or init.name not in params and not init.name.startswith('onnx::'):
            continue
        if init.name in params:
            g = params[init.name].grad
        else:  # an exporter-renamed weight: find the parameter by value (a Linear's weight stored transposed)
            v = torch.from_numpy(numpy_helper.to_array(init).copy())
            match = [k for k, p in params.items() if p.shape == v.shape and torch.equal(p.detach(), v)]
            tmatch = [k for k, p in params.items() if p.dim() == 2 and p.t().shape == v.shape and torch.equal(p.detach().t(), v)]
            if match:
                g = params[match[0]].grad
            elif tmatch:
                g = params[tmatch[0]].grad.t()
            else:
                continue
        save(g, f'{name}.grad.{init.name.replace(":", "_")}.pb')


torch.manual_seed(0)
export('decoder', randomize(Decoder(True), 1).eval(), [11, 13, 17], 10)
export('decoder9', randomize(Decoder(False), 2).eval(), [9, 11, 13, 17], 20)
