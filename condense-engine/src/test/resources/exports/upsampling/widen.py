#!/usr/bin/python3
"""Exports widen-opset13.onnx, the decoder UpsamplingChannelsTest thins through ConvTranspose.

Run from this directory with Debian's Python (torch 1.13): /usr/bin/python3 widen.py

Conv 2->4, ConvTranspose2d 4->6 (group 1, stride 2: reads conv1's channels through weight axis 0,
makes its own along axis 1), ConvTranspose2d 6->6 with groups=3 (as many outputs as inputs: its
channels pass in whole groups of 2), Conv 6->3, Linear. Input x [B, 2, 3, 3], random weights.
"""
import torch
import torch.nn as nn


class Widen(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 4, 3, padding=1)
        self.up = nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1)
        self.mix = nn.ConvTranspose2d(6, 6, 3, padding=1, groups=3)
        self.conv2 = nn.Conv2d(6, 3, 3, stride=2, padding=1)
        self.fc = nn.Linear(3 * 3 * 3, 5)

    def forward(self, x):
        h = torch.relu(self.conv1(x))    # [N, 4, 3, 3]
        h = torch.relu(self.up(h))       # [N, 6, 6, 6]
        h = torch.relu(self.mix(h))      # [N, 6, 6, 6]
        return self.fc(torch.flatten(self.conv2(h), 1))


torch.manual_seed(3)
model = Widen().eval()
with torch.no_grad():
    for p in model.parameters():
        p.uniform_(-0.5, 0.5)
torch.onnx.export(model, torch.rand(2, 2, 3, 3), 'widen-opset13.onnx', opset_version=13, input_names=['x'],
                  output_names=['logits'], dynamic_axes={'x': {0: 'batch'}, 'logits': {0: 'batch'}})
