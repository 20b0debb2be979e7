"""Small CNN (conv, relu, batch norm, max pool, flatten, gemm, softmax) exported by PyTorch 1.13 at
opsets 7, 9 and 11 for OldOpsetExportsTest. Run: /usr/bin/python3 export.py (writes beside itself)."""
import os
import torch

torch.manual_seed(13)
here = os.path.dirname(os.path.abspath(__file__))


class SmallCnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(8)
        self.pool = torch.nn.MaxPool2d(2)
        self.fc = torch.nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        x = self.pool(self.bn(torch.relu(self.conv(x))))  # BN after the ReLU: torch folds Conv-BN
        x = torch.flatten(x, 1)
        return torch.softmax(self.fc(x), dim=1)


m = SmallCnn()
with torch.no_grad():  # non-trivial running statistics
    m.bn.running_mean.uniform_(-0.5, 0.5)
    m.bn.running_var.uniform_(0.5, 1.5)
    m.bn.weight.uniform_(0.5, 1.5)
    m.bn.bias.uniform_(-0.5, 0.5)
m.eval()
x = torch.randn(2, 3, 8, 8)
for opset in (7, 9, 11):
    torch.onnx.export(m, x, os.path.join(here, "cnn-opset%d.onnx" % opset), opset_version=opset, do_constant_folding=False,
                      input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
