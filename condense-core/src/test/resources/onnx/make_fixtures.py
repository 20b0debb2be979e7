#!/usr/bin/python3
"""Writes the PyTorch-exported ONNX fixtures that the ONNX reader tests load.

Run with Debian's Python, which has torch and onnx:  /usr/bin/python3 make_fixtures.py
It writes, next to this script:
  tiny_cnn.onnx                    conv+bn+relu+maxpool+flatten+gemm, opset 13, symbolic batch
  tiny_cnn_weights_as_inputs.onnx  the same net with the weights also listed as graph inputs,
                                   as older exporters wrote them (keep_initializers_as_inputs)
  tiny_cnn_input.pb                a batch of 2 inputs (a bare TensorProto)
  tiny_cnn_output.pb               PyTorch's output for that batch (a bare TensorProto)
The seed is fixed, so the weights and data are the same on every run.
"""
import os

import onnx
import onnx.numpy_helper
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


class TinyCnn(nn.Module):
    """1x8x8 image -> 10 scores; small enough that the .onnx file is a few KB."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, kernel_size=3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(4 * 4 * 4, 10)

    def forward(self, x):
        return self.fc(self.flatten(self.pool(self.relu(self.bn(self.conv(x))))))


def export(net, x, name, weights_as_inputs):
    path = os.path.join(HERE, name)
    # PRESERVE keeps BatchNormalization as its own node instead of folding it into the Conv.
    torch.onnx.export(net, (x,), path, opset_version=13, input_names=["input"],
                      output_names=["logits"], training=torch.onnx.TrainingMode.PRESERVE,
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                      keep_initializers_as_inputs=weights_as_inputs, do_constant_folding=False)
    onnx.checker.check_model(onnx.load(path))


def save_tensor(array, name, file):
    with open(os.path.join(HERE, file), "wb") as f:
        f.write(onnx.numpy_helper.from_array(array, name).SerializeToString())


def main():
    torch.manual_seed(0)
    net = TinyCnn()
    with torch.no_grad():
        net.bn.running_mean.uniform_(-0.5, 0.5)
        net.bn.running_var.uniform_(0.5, 1.5)
        net.bn.weight.uniform_(0.5, 1.5)
        net.bn.bias.uniform_(-0.5, 0.5)
    net.eval()
    x = torch.randn(2, 1, 8, 8)
    export(net, x, "tiny_cnn.onnx", weights_as_inputs=False)
    export(net, x, "tiny_cnn_weights_as_inputs.onnx", weights_as_inputs=True)
    with torch.no_grad():
        y = net(x)
    save_tensor(x.numpy(), "input", "tiny_cnn_input.pb")
    save_tensor(y.numpy(), "logits", "tiny_cnn_output.pb")


if __name__ == "__main__":
    main()
