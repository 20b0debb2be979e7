"""A tiny sequence task and an untrained PyTorch 1.13 nn.LSTM classifier for RecurrentCommandsTest.
data.npz: x_train [96, 7, 5], x_test [48, 7, 5] float32 noise; the label y (4 classes) is the
feature (of the first 4) with the largest sum over the 7 steps. lstm-opset13.onnx: 2-layer
bidirectional batch_first nn.LSTM (hidden 16) -> nn.Linear on the last step.
Run: /usr/bin/python3 make_fixtures.py (writes beside itself)."""
import os
import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(13)
torch.manual_seed(13)


def split(n):
    x = rng.standard_normal((n, 7, 5)).astype(np.float32)
    return x, x[:, :, :4].sum(axis=1).argmax(axis=1).astype(np.int64)


x_train, y_train = split(96)
x_test, y_test = split(48)
np.savez(os.path.join(here, "data.npz"), x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


class Classifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.LSTM(5, 16, num_layers=2, batch_first=True, bidirectional=True)
        self.fc = torch.nn.Linear(32, 4)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.fc(y[:, -1])


torch.onnx.export(Classifier().eval(), torch.from_numpy(x_test[:2]), os.path.join(here, "lstm-opset13.onnx"),
                  opset_version=13, input_names=["x"], output_names=["y"],
                  dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
