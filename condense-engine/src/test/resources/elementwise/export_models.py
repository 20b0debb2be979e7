"""Writes the small ONNX fixtures of ActivationModelsOrtTest: a PyTorch network using the
activations and element-wise ops of issue 13 §1, exported at opsets 13 and 17
(activations-op13.onnx, activations-op17.onnx), and gelu-mish-op20.onnx, written with onnx's
helper because PyTorch 1.13 exports no opset above 17 (Gelu is an op only since opset 20, Mish
since 18). Run with Debian's python3 (torch 1.13):  /usr/bin/python3 export_models.py
"""
import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper


class Activations(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3, padding=1)
        self.prelu = nn.PReLU(6)  # slope [6, 1, 1] in the export
        self.conv2 = nn.Conv2d(6, 6, 3, padding=1)
        self.prelu_one = nn.PReLU()  # slope [1]
        self.fc = nn.Linear(6, 5)
        with torch.no_grad():
            self.prelu.weight.copy_(torch.linspace(0.05, 0.4, 6))

    def forward(self, x):
        x = self.prelu(self.conv1(x))
        y = (torch.maximum(F.hardswish(x), F.hardsigmoid(x)) + torch.minimum(F.elu(x), F.selu(x))
             + F.celu(x, 1.5) * F.softplus(x) + F.softsign(x) + F.gelu(x) + F.gelu(x, approximate="tanh")
             + F.mish(x) + F.elu(x, 0.5))
        y = self.prelu_one(self.conv2(y))
        z = (torch.sqrt(y * y + 1) + torch.exp(-y.abs()) + torch.log(y.abs() + 1) + torch.reciprocal(1 + y ** 2)
             + torch.erf(y) + 0.1 * torch.sign(y) + 0.01 * (torch.floor(3 * y) + torch.ceil(3 * y) + torch.round(3 * y))
             + torch.pow(y.abs() + 0.5, 1.5) - torch.neg(y))
        z = F.adaptive_avg_pool2d(z, 1).flatten(1)
        return F.log_softmax(self.fc(z), dim=1)


def gelu_mish_op20(path):
    nodes = [
        helper.make_node("Gelu", ["x"], ["g"], name="gelu"),
        helper.make_node("Gelu", ["x"], ["t"], name="gelu_tanh", approximate="tanh"),
        helper.make_node("Mish", ["x"], ["m"], name="mish"),
        helper.make_node("Sum", ["g", "t", "m"], ["s"], name="sum"),
        helper.make_node("Mean", ["s", "x", "slope"], ["y"], name="mean"),
    ]
    slope = helper.make_tensor("slope", TensorProto.FLOAT, [4, 1], np.linspace(-1, 1, 4).astype(np.float32))
    graph = helper.make_graph(nodes, "gelu_mish", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4, 5])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4, 5])], [slope])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], producer_name="export_models.py")
    model.ir_version = 8
    onnx.save(model, path)


if __name__ == "__main__":
    torch.manual_seed(13)
    net = Activations().eval()
    x = torch.randn(2, 3, 8, 8)
    for opset in (13, 17):
        torch.onnx.export(net, x, "activations-op%d.onnx" % opset, opset_version=opset,
                          input_names=["x"], output_names=["y"])
    gelu_mish_op20("gelu-mish-op20.onnx")
