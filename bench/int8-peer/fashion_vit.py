#!/usr/bin/python3
"""A small Vision Transformer on Fashion-MNIST (issue 16 §5: the ViT whose MLPs get 4-bit weights),
trained in PyTorch 1.13 on one thread and exported to ONNX opset 17.

Usage: fashion_vit.py OUTDIR [EPOCHS [SEED [TRAIN_LIMIT]]]   (defaults: 6 epochs, seed 0, 60000 images)

The model (Dosovitskiy et al., "An Image is Worth 16x16 Words", ICLR 2021, §3.1, at toy size):
7x7 patches of the 28x28 image (a 7x7 stride-7 convolution, 16 patches) embedded to DIM, a class
token and learned position embeddings (17 tokens), DEPTH pre-norm encoder blocks
(LayerNorm -> multi-head self-attention -> residual; LayerNorm -> MLP Linear(DIM, MLP) -> GELU ->
Linear(MLP, DIM) -> residual), a final LayerNorm and a Linear head on the class token. Attention is
written out (one qkv Linear, softmax(q k^T / sqrt(d)) v, an output Linear) so that the export is
plain MatMul/Softmax. Every Linear on [batch, tokens, DIM] exports as MatMul (weight [K, N]) + Add:
the MLP layers are the MatMuls named blockI_fc1 / blockI_fc2 (renamed after export, so that
`condense quantize --layers` can name them).
Training: AdamW (lr 2e-3, weight decay 0.05, batch 128), one warm-up epoch linear then cosine to 0,
the random crop + flip augmentation of fashion_models.py, seeded. Inputs are x/255 (Condense's
`--preprocess unit`, stored in the file's metadata). Writes OUTDIR/vit.onnx (dynamic batch, eval
mode), OUTDIR/vit.json (test top-1 in PyTorch, epochs, seconds, parameters).
"""
import json
import math
import os
import sys

import onnx
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fashion_models as fm  # noqa: E402  (the data loading, augmentation and accuracy of issue 16's models)

PATCH, DIM, DEPTH, HEADS, MLP = 7, 96, 4, 4, 384
TOKENS = (28 // PATCH) ** 2 + 1


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv, self.proj = nn.Linear(DIM, 3 * DIM), nn.Linear(DIM, DIM)

    def forward(self, x):
        b = x.shape[0]
        qkv = self.qkv(x).reshape(b, TOKENS, 3, HEADS, DIM // HEADS).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        a = torch.softmax(q @ k.transpose(-2, -1) * (DIM // HEADS) ** -0.5, dim=-1)
        return self.proj((a @ v).transpose(1, 2).reshape(b, TOKENS, DIM))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.attn, self.ln2 = nn.LayerNorm(DIM), Attention(), nn.LayerNorm(DIM)
        self.fc1, self.fc2 = nn.Linear(DIM, MLP), nn.Linear(MLP, DIM)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.fc2(nn.functional.gelu(self.fc1(self.ln2(x))))


class ViT(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Conv2d(1, DIM, PATCH, PATCH)
        self.cls = nn.Parameter(torch.zeros(1, 1, DIM))
        self.pos = nn.Parameter(torch.randn(1, TOKENS, DIM) * 0.02)
        self.blocks = nn.Sequential(*[Block() for _ in range(DEPTH)])
        self.norm, self.head = nn.LayerNorm(DIM), nn.Linear(DIM, 10)

    def forward(self, x):
        x = self.embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
        return self.head(self.norm(self.blocks(x))[:, 0])


def rename_mlp(path):
    """Names each block's two MLP MatMuls blockI_fc1 / blockI_fc2 (torch names them /blocks/blocks.I/fc1/MatMul)."""
    m = onnx.load(path)
    for n in m.graph.node:
        for i in range(DEPTH):
            for fc in ("fc1", "fc2"):
                if n.op_type == "MatMul" and n.name == "/blocks/blocks.%d/%s/MatMul" % (i, fc):
                    n.name = "block%d_%s" % (i, fc)
    names = [n.name for n in m.graph.node if n.name.startswith("block")]
    if len(names) != 2 * DEPTH:
        raise SystemExit("expected %d MLP MatMuls, found %s" % (2 * DEPTH, names))
    m.metadata_props.add(key="condense.preprocess", value="unit")
    onnx.save(m, path)
    return names


def main():
    out = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else 60000
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    os.makedirs(out, exist_ok=True)
    xtr, ytr = fm.fashion("train")
    xte, yte = fm.fashion("test")
    xtr, ytr = xtr[:limit], ytr[:limit]
    model = ViT()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    per_epoch = (len(xtr) + 127) // 128
    steps, warm = epochs * per_epoch, per_epoch

    def lr_at(step):
        return (step + 1) / warm if step < warm else 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, steps - warm)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    seconds = fm.train("vit", model, opt, sched, xtr, ytr, epochs, g)
    top1 = fm.accuracy(model, xte, yte)
    model.eval()
    path = os.path.join(out, "vit.onnx")
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, opset_version=17, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    mlp = rename_mlp(path)
    json.dump({"model": "vit", "top1": top1, "epochs": epochs, "seed": seed, "train_images": len(xtr),
               "seconds": seconds, "params": sum(p.numel() for p in model.parameters()), "mlp_layers": mlp,
               "patch": PATCH, "dim": DIM, "depth": DEPTH, "heads": HEADS, "mlp": MLP},
              open(os.path.join(out, "vit.json"), "w"))
    print("vit: test top-1 %.2f%% after %d epochs (%.0f s)" % (100 * top1, epochs, seconds), file=sys.stderr)


if __name__ == "__main__":
    main()
