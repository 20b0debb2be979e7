#!/usr/bin/python3
"""Makes the fixtures of Condense's tensor-type and external-data tests (OnnxDtypesTest,
ExternalDataTest, HalfFloatsTest). Run with Debian's /usr/bin/python3 (torch 1.13, onnx, numpy)
from this directory; every output is small and committed, and CI never runs this script.

- external/model.onnx + external/weights.bin: a small PyTorch model saved with
  onnx.save_model(save_as_external_data=True, all_tensors_to_one_file=True, size_threshold=0).
- escape/model.onnx: the same model whose location is '../external/weights.bin' (refused).
- float16.onnx: the model's initializers converted to float16 with NumPy, each behind a
  Cast(to=FLOAT) as exporters insert it, plus a float16 Constant scale behind a Cast.
- double.onnx: the same with double initializers.
- half_io.onnx: a graph whose input and output are float16, as model.half() exports
  (torch 1.13 on CPU cannot trace half convolutions, so it is built with onnx.helper).
- rounding.npy: float32 values (ties, subnormals, overflow, random) and below them, as int32,
  NumPy's astype(np.float16) bits and torch's bfloat16 bits of each.
"""
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

torch.manual_seed(13)
rng = np.random.default_rng(13)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 4, 3)
        self.fc = torch.nn.Linear(4 * 4 * 4, 3)

    def forward(self, x):
        return self.fc(torch.flatten(torch.relu(self.conv(x)), 1))


def export():
    net = Net().eval()
    path = "plain.onnx"
    torch.onnx.export(net, torch.randn(1, 1, 6, 6), path, opset_version=13, input_names=["x"],
                      output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    m = onnx.load(path)
    os.remove(path)
    return m


def external(m):
    os.makedirs("external", exist_ok=True)
    onnx.save_model(m, "external/model.onnx", save_as_external_data=True,
                    all_tensors_to_one_file=True, location="weights.bin", size_threshold=0)
    e = onnx.load("external/model.onnx", load_external_data=False)
    for t in e.graph.initializer:
        for kv in t.external_data:
            if kv.key == "location":
                kv.value = "../external/weights.bin"
    os.makedirs("escape", exist_ok=True)
    onnx.save_model(e, "escape/model.onnx")


def behind_casts(m, dtype, onnx_type):
    """Initializers stored as dtype, each read through a Cast to float, and a Constant scale."""
    g = m.graph
    renamed = {}
    for t in g.initializer:
        a = numpy_helper.to_array(t).astype(dtype)
        t.CopyFrom(numpy_helper.from_array(a, t.name + "_stored"))
        renamed[t.name[:-len("_stored")]] = t.name
    casts = [helper.make_node("Cast", [stored], [orig], to=TensorProto.FLOAT, name="cast_" + orig)
             for orig, stored in renamed.items()]
    scale = helper.make_node("Constant", [], ["scale_stored"], name="scale",
                             value=numpy_helper.from_array(np.array([0.3], dtype=dtype)))
    cast_scale = helper.make_node("Cast", ["scale_stored"], ["scale"], to=TensorProto.FLOAT, name="cast_scale")
    out = g.output[0].name
    g.node[-1].output[0] = "unscaled"
    mul = helper.make_node("Mul", ["unscaled", "scale"], [out], name="mul_scale")
    nodes = casts + [scale, cast_scale] + list(g.node) + [mul]
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(m)
    return m


def half_io():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT16, ["batch", 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT16, ["batch", 4])
    g = helper.make_graph([helper.make_node("Relu", ["x"], ["y"], name="relu")], "half", [x], [y])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save_model(m, "half_io.onnx")


def rounding():
    special = [0.0, -0.0, 1.0, 65504.0, 65519.99, 65520.0, 1e6, -1e6, 2.0 ** -14, 2.0 ** -24,
               2.0 ** -25, 2.0 ** -25 * 1.0001, 3 * 2.0 ** -25, 2.0 ** -26, 1e-10,
               1 + 2.0 ** -11, 1 + 3 * 2.0 ** -11, 1 + 2.0 ** -11 + 2.0 ** -20, 1 + 2.0 ** -8,
               1 + 3 * 2.0 ** -8, 3.3895e38, float("inf"), float("-inf")]
    r = np.concatenate([np.array(special, dtype=np.float32),
                        (rng.standard_normal(2000) * 10.0 ** rng.integers(-9, 6, 2000)).astype(np.float32),
                        rng.integers(0, 2 ** 32, 3000, dtype=np.uint64).astype(np.uint32).view(np.float32)])
    r = r[np.isfinite(r) | np.isinf(r)]
    r = r[~np.isnan(r)]
    with np.errstate(over="ignore"):
        half16 = r.astype(np.float16)
    half = half16.view(np.uint16).astype(np.int32)
    bf = torch.from_numpy(r.copy()).to(torch.bfloat16).view(torch.int16).numpy().astype(np.int32) & 0xFFFF
    np.save("rounding.npy", np.stack([r.view(np.int32), half, bf]))


if __name__ == "__main__":
    external(export())
    onnx.save_model(behind_casts(export(), np.float16, TensorProto.FLOAT16), "float16.onnx")
    onnx.save_model(behind_casts(export(), np.float64, TensorProto.DOUBLE), "double.onnx")
    half_io()
    rounding()
