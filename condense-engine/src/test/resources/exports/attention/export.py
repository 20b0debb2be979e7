#!/usr/bin/python3
"""Exports the small transformers AttentionExportsTest runs, with PyTorch's reference numbers.

Run from this directory with Debian's Python (torch 1.13, torchvision 0.14): /usr/bin/python3 export.py

Models (all seeded, dropout 0, eval mode):
  vit       a small ViT: Conv patch embedding, class token, position embedding, two
            nn.TransformerEncoder layers (batch_first=True, norm_first False then True), GELU MLP,
            final LayerNorm, Linear head on the class token. Input x [B, 3, 16, 16].
  tvvit     torchvision.models.VisionTransformer(image_size=32, patch_size=8, num_layers=2,
            num_heads=2, hidden_dim=32, mlp_dim=64, num_classes=10). Input x [B, 3, 32, 32].
  text      nn.Embedding + learned positions (an nn.Embedding of arange(T)) + one
            nn.TransformerEncoder layer (batch_first) + mean pooling + Linear. Input int64 tokens [B, 8].

Files: <model>-opset<N>.onnx for N in 11, 13, 17 with a dynamic batch, and <model>-b1-opset13.onnx
exported at batch 1 (shapes baked in). For each model, PyTorch's reference of one training step
on a batch of 3 (mean cross-entropy): <model>.x.pb (input), <model>.y.pb (int64 labels),
<model>.logits.pb, <model>.loss.pb, and <model>.grad.<initializer>.pb, the loss's gradient, for
every float initializer of <model>-opset17.onnx that is a parameter (":" and "/" written as "_";
a weight stored transposed has its gradient transposed). The initializers that match no parameter
(none in these models) are printed.
"""
import collections
import numpy as np
import onnx
import torch
import torch.nn as nn
import torchvision
from onnx import numpy_helper

def encoder(d, heads, mlp, norm_first):
    layer = nn.TransformerEncoderLayer(d, heads, mlp, dropout=0.0, activation="gelu", batch_first=True,
                                       norm_first=norm_first)
    return nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)


class SmallViT(nn.Module):
    def __init__(self, d=16, patch=4, image=16, classes=10):
        super().__init__()
        self.patch = nn.Conv2d(3, d, patch, stride=patch)
        tokens = (image // patch) ** 2
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.pos = nn.Parameter(torch.zeros(1, tokens + 1, d))
        self.post_norm = encoder(d, 2, 32, False)
        self.pre_norm = encoder(d, 2, 32, True)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, classes)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
        x = self.pre_norm(self.post_norm(x))
        return self.head(self.norm(x)[:, 0])


class TextClassifier(nn.Module):
    def __init__(self, vocab=50, d=16, length=8, classes=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.positions = nn.Embedding(length, d)
        self.encoder = encoder(d, 2, 32, False)
        self.head = nn.Linear(d, classes)

    def forward(self, tokens):
        positions = torch.arange(tokens.shape[1], device=tokens.device)
        x = self.embed(tokens) + self.positions(positions)
        return self.head(self.encoder(x).mean(dim=1))


def tvvit():
    return torchvision.models.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2,
                                                hidden_dim=32, mlp_dim=64, num_classes=10)


def randomize(m, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in m.parameters():  # zero tokens and unit LayerNorms would hide their gradients
            p.copy_((torch.rand(p.shape, generator=g) * 2 - 1) * (0.5 if p.dim() > 1 else 1.0))
    return m


def sample(name, batch, seed):
    g = torch.Generator().manual_seed(seed)
    if name == "text":
        return torch.randint(0, 50, (batch, 8), generator=g)
    side = 32 if name == "tvvit" else 16
    return torch.rand(batch, 3, side, side, generator=g) * 2 - 1


MODELS = {"vit": (SmallViT, 10), "tvvit": (tvvit, 10), "text": (TextClassifier, 4)}


def save(t, path):
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(t.detach().numpy()).SerializeToString())


def safe(name):
    return name.replace(":", "_").replace("/", "_")


def save_step(name, model, x, y, logits, loss, params):
    """Writes one step's batch, logits, loss and the gradient of every float initializer of the ONNX
    model that equals a tensor of params (as stored, or transposed); returns the names found."""
    save(x, "%s.x.pb" % name)
    save(y, "%s.y.pb" % name)
    save(logits, "%s.logits.pb" % name)
    save(loss, "%s.loss.pb" % name)
    done = set()
    for init in model.graph.initializer:
        if init.data_type != onnx.TensorProto.FLOAT:
            continue
        v = numpy_helper.to_array(init)
        for pn, p in params.items():
            pv = p.detach().numpy()
            if pv.shape == v.shape and np.array_equal(pv, v):
                save(p.grad, "%s.grad.%s.pb" % (name, safe(init.name)))
                done.add(pn)
            elif pv.ndim == 2 and pv.T.shape == v.shape and np.array_equal(pv.T, v):
                save(p.grad.t().contiguous(), "%s.grad.%s.pb" % (name, safe(init.name)))
                done.add(pn)
    return done


def main():
    torch.manual_seed(0)
    for i, (name, (make, classes)) in enumerate(MODELS.items()):
        m = randomize(make(), 100 + i).eval()
        x1 = sample(name, 1, 150 + i)
        x2 = sample(name, 2, 150 + i)
        names = dict(input_names=["x"], output_names=["logits"], do_constant_folding=True)
        for opset in (11, 13, 17):
            torch.onnx.export(m, x2, "%s-opset%d.onnx" % (name, opset), opset_version=opset,
                              dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}}, **names)
        torch.onnx.export(m, x1, "%s-b1-opset13.onnx" % name, opset_version=13, **names)
        model = onnx.load("%s-opset17.onnx" % name)
        print(name, dict(collections.Counter(n.op_type for n in model.graph.node)))

        x = sample(name, 3, 200 + i)
        y = torch.randint(0, classes, (3,), generator=torch.Generator().manual_seed(300 + i))
        m.zero_grad()
        logits = m(x)
        loss = nn.functional.cross_entropy(logits, y)
        loss.backward()
        params = dict(m.named_parameters())
        done = save_step(name, model, x, y, logits, loss, params)
        missing = sorted(set(params) - done)
        print(name, "loss", float(loss), "parameters not stored as one initializer:", missing)


if __name__ == "__main__":
    main()
