"""Small PyTorch 1.13 sequence classifiers (input [B, T, F] batch-first, logits of the last step)
exported at opsets 11, 13 and 17 for RecurrentExportsTest:
  lstm     nn.LSTM, 2 layers                      -> nn.Linear
  lstm-bi  nn.LSTM, 2 layers, bidirectional       -> nn.Linear
  gru      nn.GRU, 2 layers (linear_before_reset) -> nn.Linear
  gru-bi   nn.GRU, 1 layer, bidirectional         -> nn.Linear
Beside each <model>-opset<k>.onnx the script writes PyTorch's reference for one training step on
the batch x.pb / labels.pb (mean cross-entropy): loss-<model>.txt, and <model>-grad-opset<k>.onnx,
the same export with every parameter replaced by its gradient, so that its initializers are the
gradients of the model's initializers by the same names, laid out (gate order, B = [Wb, Rb]) by
the exporter itself. Run: /usr/bin/python3 export.py (writes beside itself)."""
import os
import torch
from onnx import numpy_helper

torch.manual_seed(13)
here = os.path.dirname(os.path.abspath(__file__))
F, H, T, B, CLASSES = 5, 16, 7, 3, 4


class Classifier(torch.nn.Module):
    def __init__(self, rnn, width):
        super().__init__()
        self.rnn = rnn
        self.fc = torch.nn.Linear(width, CLASSES)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.fc(y[:, -1])


models = {
    "lstm": Classifier(torch.nn.LSTM(F, H, num_layers=2, batch_first=True), H),
    "lstm-bi": Classifier(torch.nn.LSTM(F, H, num_layers=2, batch_first=True, bidirectional=True), 2 * H),
    "gru": Classifier(torch.nn.GRU(F, H, num_layers=2, batch_first=True), H),
    "gru-bi": Classifier(torch.nn.GRU(F, H, num_layers=1, batch_first=True, bidirectional=True), 2 * H),
}
x = torch.randn(B, T, F)
labels = torch.tensor([0, 3, 1])
with open(os.path.join(here, "x.pb"), "wb") as f:
    f.write(numpy_helper.from_array(x.numpy(), "x").SerializeToString())
with open(os.path.join(here, "labels.pb"), "wb") as f:
    f.write(numpy_helper.from_array(labels.numpy(), "labels").SerializeToString())


def export(m, path, opset):
    torch.onnx.export(m, x, path, opset_version=opset, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})


for name, m in models.items():
    m.eval()  # no dropout; recurrent layers behave the same in train and eval mode
    for opset in (11, 13, 17):
        export(m, os.path.join(here, "%s-opset%d.onnx" % (name, opset)), opset)
    m.zero_grad()
    loss = torch.nn.functional.cross_entropy(m(x), labels)
    loss.backward()
    with open(os.path.join(here, "loss-%s.txt" % name), "w") as f:
        f.write("%.9g\n" % loss.item())
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(p.grad)
    for opset in (11, 13, 17):
        export(m, os.path.join(here, "%s-grad-opset%d.onnx" % (name, opset)), opset)
