#!/usr/bin/python3
"""Exports the tiny shifted-window transformer SwinExportsTest runs, with PyTorch's reference numbers.

Run from this directory with Debian's Python (torch 1.13, torchvision 0.14): /usr/bin/python3 export.py

Model (seeded, dropout 0, eval mode): torchvision.models.SwinTransformer(patch_size=[2, 2],
embed_dim=8, depths=[2, 1], num_heads=[2, 2], window_size=[4, 4], num_classes=5) on x [B, 3, 16, 16]:
an 8x8 token grid cut into 4x4 windows; the second block of the first stage shifts them by 2
(torch.roll, exported as Slice + Concat) and masks attention across the shifted borders with a
mask built by slice assignment (exported as ConstantOfShape + ScatterND) and window arithmetic
(Mod); PatchMerging pads to an even size (Mod again) before the second stage. The same code and
patterns as torchvision's swin_t, a few thousand parameters.

Exported as tools/model-coverage/export.py exports swin_t (TrainingMode.PRESERVE, constant folding).

Files: swin-opset<N>.onnx for N in 11, 13, 17 with a dynamic batch, node and value names shortened. PyTorch's reference of one
training step on a batch of 3 (mean cross-entropy): swin.x.pb (input), swin.y.pb (int64 labels),
swin.logits.pb, swin.loss.pb, and swin.grad.<initializer>.pb, the loss's gradient, for every float
initializer of swin-opset17.onnx that is a parameter or a block's relative position bias (the
exporter folds table[index] into that one constant; its gradient is PyTorch's for that tensor),
stored by ../attention/export.py's save_step. The parameters that match no initializer are printed.
"""
import collections
import importlib.util
import os
import onnx
import torch
import torch.nn as nn
from torchvision.models.swin_transformer import ShiftedWindowAttention, SwinTransformerBlock

# the attention fixtures' script: its seeding and the way it stores one step's reference numbers
_spec = importlib.util.spec_from_file_location(
    "attention_export", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "attention", "export.py"))
attention = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(attention)


class TinySwin(nn.Module):
    """Patch embedding, a plain and a shifted torchvision window-attention block, mean pooling, a head."""

    def __init__(self, d=8, classes=5):
        super().__init__()
        self.p = nn.Conv2d(3, d, 2, stride=2)
        self.b = nn.Sequential(SwinTransformerBlock(d, 2, [4, 4], [0, 0], stochastic_depth_prob=0.0),
                               SwinTransformerBlock(d, 2, [4, 4], [2, 2], stochastic_depth_prob=0.0))
        self.n = nn.LayerNorm(d)
        self.h = nn.Linear(d, classes)

    def forward(self, x):
        x = self.b(self.p(x).permute(0, 2, 3, 1))
        return self.h(self.n(x).mean(dim=(1, 2)))


def swin():
    return TinySwin()


def sample(batch, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(batch, 3, 16, 16, generator=g) * 2 - 1


def shorten(path):
    """Renames the exporter's long node and value names ("/b/b.1/attn/Constant_24_output_0") to short
    ones, keeping the graph input, output and named initializer names (the exporter's own
    "onnx::MatMul_1258" become w0, w1, ... in order, the same at every opset), and makes Constant
    nodes of equal value one node: the same graph in a quarter of the bytes."""
    model = onnx.load(path)
    g = model.graph
    names = {}
    for k, t in enumerate(t for t in g.initializer if t.name.startswith("onnx::")):
        names[t.name] = "w%d" % k  # "onnx::MatMul_1258": numbered differently at each opset
        t.name = names[t.name]
    keep = {v.name for v in g.input} | {v.name for v in g.output} | {t.name for t in g.initializer}
    first = {}
    nodes = []
    for node in g.node:
        if node.op_type == "Constant":
            key = node.attribute[0].SerializeToString()
            if key in first:
                names[node.output[0]] = first[key]
                continue
            first[key] = node.output[0]
        nodes.append(node)
    del g.node[:]
    g.node.extend(nodes)
    for i, node in enumerate(g.node):
        node.name = "n%d" % i
        for j, o in enumerate(node.output):
            if o and o not in keep:
                short = "v%d_%d" % (i, j) if j else "v%d" % i
                names.update({k: short for k, v in names.items() if v == o})
                names[o] = short
                node.output[j] = short
        for j, x in enumerate(node.input):
            node.input[j] = names.get(x, x)
    del g.value_info[:]
    onnx.checker.check_model(model)
    onnx.save(model, path)


def capture_biases(m):
    """The relative position bias each block adds to its attention scores, kept with its gradient.

    The exporter folds table[index] into one constant (the table is not in the file), which
    Condense trains as the tensor it is: its reference gradient is PyTorch's for that tensor."""
    biases = {}
    for name, module in m.named_modules():
        if isinstance(module, ShiftedWindowAttention):
            def get(module=module, name=name):
                b = ShiftedWindowAttention.get_relative_position_bias(module)
                b.retain_grad()
                biases[name + ".relative_position_bias"] = b
                return b
            module.get_relative_position_bias = get
    return biases


def main():
    torch.manual_seed(0)
    name = "swin"
    m = attention.randomize(swin(), 100).eval()
    x2 = sample(2, 150)
    # exported as tools/model-coverage exports swin_t: its functional attention dropout then comes out
    # as a training-mode Dropout (ratio 0) with a mask output nothing reads
    names = dict(input_names=["x"], output_names=["logits"], do_constant_folding=True,
                 training=torch.onnx.TrainingMode.PRESERVE)
    for opset in (11, 13, 17):
        torch.onnx.export(m, x2, "%s-opset%d.onnx" % (name, opset), opset_version=opset,
                          dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}}, **names)
        shorten("%s-opset%d.onnx" % (name, opset))
    model = onnx.load("%s-opset17.onnx" % name)
    print(name, dict(collections.Counter(n.op_type for n in model.graph.node)))

    x = sample(3, 200)
    y = torch.randint(0, 5, (3,), generator=torch.Generator().manual_seed(300))
    m.zero_grad()
    biases = capture_biases(m)
    logits = m(x)
    loss = nn.functional.cross_entropy(logits, y)
    loss.backward()
    params = dict(m.named_parameters())
    params.update(biases)
    done = attention.save_step(name, model, x, y, logits, loss, params)
    missing = sorted(set(params) - done - {n[:-len("_bias")] + "_bias_table" for n in biases})
    print(name, "loss", float(loss), "parameters not stored as one initializer:", missing)


if __name__ == "__main__":
    main()
