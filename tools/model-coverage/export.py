#!/usr/bin/python3
"""Exports one model of the coverage table at opsets 11, 13 and 17, with PyTorch's reference numbers.

Usage: export.py [--references] MODEL OUTDIR
  --references: keep the exports already in OUTDIR/MODEL and recompute only the references

Writes into OUTDIR/MODEL/:
  opsetN.onnx        the export (dynamic batch axis; absent if PyTorch could not export it)
  opsetN.export.txt  "ok" or the exporter's exact error line
  x.npy, y.npy       the batch (float32 images or int64 tokens; int64 labels)
  opsetN.ref.npz     PyTorch's training-mode loss in float64 ("__loss__") and float32 ("__loss32__"),
                     the number of float32 runs the noise floor is sampled over ("__runs__")
                     and, per ONNX float initializer that holds a parameter, that parameter's float64
                     gradient in the initializer's layout and ("__t32__" + name) PyTorch float32's
                     own max relative error on it, the largest over FLOAT32_RUNS runs whose inputs
                     and weights differ by one float32 rounding (float32_spread);
                     swin's relative position biases, which the
                     exporter folds into one constant each (table[index]), count as parameters with
                     PyTorch's gradient of that tensor, as Condense trains it
  opsetN.kinds.txt   "NAME param|statistic|constant" for every float initializer

Weights: torchvision's random initialisation under torch.manual_seed(0), then every tensor whose
entries are all equal (BatchNorm/LayerNorm scales and offsets, zero biases, class tokens) is
redrawn at random and BatchNorm statistics are drawn too, so that no two initializers are equal
(PyTorch would otherwise store them once) and eval-mode runs do not see identity normalisations.

Dropout: every nn.Dropout and torchvision StochasticDepth gets p = 0 before export (model
surgery), GoogLeNet and Inception-v3 are built without auxiliary heads, so training-mode PyTorch is
deterministic and the eval-mode export (which drops Dropout nodes) computes the same function.
BatchNorm: exported with training=TrainingMode.PRESERVE from an eval-mode model, so the exporter
keeps BatchNormalization nodes (TrainingMode.EVAL would fold them into the convolutions) and the
engine's training step, like PyTorch's train(), normalises with batch statistics.
"""
import copy
import math
import os
import sys

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torchvision

OPSETS = (11, 13, 17)
BATCH = 2
SEED = 0
# PyTorch float32's noise floor is sampled over this many runs (float32_spread); ROUNDING is
# float32's unit roundoff, the size of the perturbation that makes each run round differently
FLOAT32_RUNS = 16
ROUNDING = 2.0 ** -24
# ViT-B/16 and Swin-T take 224x224 (position embeddings / window sizes), and AlexNet and VGG too (their
# adaptive pooling to 6x6 / 7x7 exports only where it divides the feature map); the other CNNs run at
# 112 to keep the CPU engine's training step short on two cores.
SIDE = {"vit_b_16": 224, "swin_t": 224, "alexnet": 224, "vgg11_bn": 224}
CNN_SIDE = 112
TORCHVISION = ["alexnet", "vgg11_bn", "resnet18", "resnet50", "resnext50_32x4d", "wide_resnet50_2",
               "densenet121", "googlenet", "inception_v3", "mobilenet_v2", "mobilenet_v3_small",
               "mobilenet_v3_large", "mnasnet0_5", "shufflenet_v2_x0_5", "squeezenet1_1",
               "efficientnet_b0", "regnet_x_400mf", "convnext_tiny", "vit_b_16", "swin_t"]
TEXT = ["transformer_text", "lstm_text"]
VOCAB, TOKENS, TEXT_CLASSES = 1000, 16, 5


class TransformerText(torch.nn.Module):
    """Token ids [batch, tokens] -> embedding + learned positions -> 2-layer TransformerEncoder -> mean -> classes."""

    def __init__(self):
        super().__init__()
        d = 64
        self.embed = torch.nn.Embedding(VOCAB, d)
        self.pos = torch.nn.Parameter(0.02 * torch.randn(TOKENS, 1, d))
        # batch_first=False keeps PyTorch 1.13 off its fused inference path, which does not export
        layer = torch.nn.TransformerEncoderLayer(d, nhead=4, dim_feedforward=128, dropout=0.0,
                                                 activation="gelu")
        self.encoder = torch.nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.head = torch.nn.Linear(d, TEXT_CLASSES)

    def forward(self, tokens):
        h = self.embed(tokens.transpose(0, 1)) + self.pos
        return self.head(self.encoder(h).mean(dim=0))


class LstmText(torch.nn.Module):
    """Token ids [batch, tokens] -> embedding -> 1-layer LSTM -> last hidden state -> classes."""

    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(VOCAB, 32)
        self.lstm = torch.nn.LSTM(32, 48, batch_first=True)
        self.head = torch.nn.Linear(48, TEXT_CLASSES)

    def forward(self, tokens):
        _, (h, _) = self.lstm(self.embed(tokens))
        return self.head(h[-1])


def build(name):
    torch.manual_seed(SEED)
    if name == "transformer_text":
        return TransformerText()
    if name == "lstm_text":
        return LstmText()
    kw = {}
    if name in ("googlenet", "inception_v3"):
        kw = {"aux_logits": False, "init_weights": True}
    return getattr(torchvision.models, name)(weights=None, **kw)


def surgery(model):
    """Dropout off: p = 0 on every Dropout and StochasticDepth module."""
    for m in model.modules():
        if isinstance(m, torch.nn.modules.dropout._DropoutNd):
            m.p = 0.0
        if isinstance(m, torchvision.ops.StochasticDepth):
            m.p = 0.0
        if isinstance(m, torch.nn.MultiheadAttention):
            m.dropout = 0.0


def randomise(model, gen):
    with torch.no_grad():
        for _, p in model.named_parameters():
            if p.numel() > 0 and float(p.min()) == float(p.max()):
                p.add_(0.1 * torch.randn(p.shape, generator=gen))
        for m in model.modules():
            if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
                m.running_mean.copy_(0.2 * torch.randn(m.num_features, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(m.num_features, generator=gen))


def batch(name, gen):
    if name in TEXT:
        x = torch.randint(0, VOCAB, (BATCH, TOKENS), generator=gen)
        y = torch.randint(0, TEXT_CLASSES, (BATCH,), generator=gen)
    else:
        s = SIDE.get(name, CNN_SIDE)
        x = torch.randn(BATCH, 3, s, s, generator=gen)
        y = torch.randint(0, 1000, (BATCH,), generator=gen)
    return x, y


def export(model, x, path, opset):
    try:
        torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                          training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=True)
        onnx.checker.check_model(path)
        return "ok"
    except Exception as e:  # the exporter's own message is the result
        if os.path.exists(path):
            os.remove(path)
        return (type(e).__name__ + ": " + str(e)).strip().splitlines()[0][:300]


def capture_biases(m):
    """Swin's relative position biases (table[index], which the exporter folds into one constant
    added to the attention scores; Condense trains that tensor), kept with their gradients as the
    model runs: {"features.1.0.attn.relative_position_bias": tensor}."""
    biases = {}
    for name, module in m.named_modules():
        if isinstance(module, torchvision.models.swin_transformer.ShiftedWindowAttention):
            def get(module=module, name=name):
                b = type(module).get_relative_position_bias(module)
                if b.requires_grad:
                    b.retain_grad()
                biases[name + ".relative_position_bias"] = b
                return b
            module.get_relative_position_bias = get
    return biases


def train_step(model, x, y, dtype, noise=None):
    """Training-mode loss and gradients (batch statistics in BatchNorm, dropout p = 0) in dtype, of
    the parameters and of swin's folded relative position biases.
    With a generator as noise, every float parameter and a float input are first multiplied by
    (1 + u), |u| <= 2^-24 (one float32 rounding), so the float32 arithmetic rounds differently."""
    m = copy.deepcopy(model).to(torch.float64)
    if noise is not None:
        with torch.no_grad():
            for p in m.parameters():
                p.mul_(1 + ROUNDING * (2 * torch.rand(p.shape, generator=noise, dtype=torch.float64) - 1))
        if x.is_floating_point():
            x = x.double() * (1 + ROUNDING * (2 * torch.rand(x.shape, generator=noise, dtype=torch.float64) - 1))
    m = m.to(dtype).train()
    biases = capture_biases(m)
    loss = torch.nn.functional.cross_entropy(m(x if not x.is_floating_point() else x.to(dtype)), y)
    loss.backward()
    grads = {n: p.grad.detach().double().numpy() for n, p in m.named_parameters() if p.grad is not None}
    grads.update({n: b.grad.detach().double().numpy() for n, b in biases.items()})
    return float(loss), with_onnx_layouts(m, grads)


def derived_parameters(model):
    """The folded tensors train_step also differentiates, as the float32 model computes them."""
    m = copy.deepcopy(model).eval()
    biases = capture_biases(m)
    for name, module in m.named_modules():
        if isinstance(module, torchvision.models.swin_transformer.ShiftedWindowAttention):
            with torch.no_grad():
                module.get_relative_position_bias()
    return [(n, b.detach().numpy()) for n, b in biases.items()]


def float32_spread(model, x, y, g64):
    """PyTorch float32's own gradient error per parameter, max |g32 - g64| / max |g64| (the
    denominator at least a millionth of the model's largest gradient, as the engine is measured),
    as the largest over FLOAT32_RUNS runs: the first on the batch and weights as they are, the
    others on copies perturbed by one float32 rounding (train_step's noise). One run is not a noise
    floor: where a max-pool window holds a near-tie or a BatchNorm gradient cancels, whether float32
    lands near float64 depends on the rounding (GoogLeNet: worst error 2.5e-2 on the exact batch,
    1.1e-1 on perturbed ones). Sampling the rounding is Monte Carlo arithmetic (Parker, 1997).
    Returns the float32 loss of the first run and the per-parameter errors."""
    floor = 1e-6 * max(np.abs(g).max() for g in g64.values())
    noise = torch.Generator().manual_seed(SEED + 1)
    worst, loss32 = {}, None
    for run in range(FLOAT32_RUNS):
        loss, g32 = train_step(model, x, y, torch.float32, None if run == 0 else noise)
        loss32 = loss if run == 0 else loss32
        for n, g in g64.items():
            e = float(np.abs(g32[n] - g).max() / max(np.abs(g).max(), floor))
            worst[n] = max(worst.get(n, 0.0), e)
    return loss32, worst


# ONNX's LSTM/GRU gate order against PyTorch's chunks (ONNX Operators, LSTM and GRU: W is
# [num_directions, 4*hidden, input] in gates i, o, f, c; GRU z, r, h; B = [Wb, Rb]).
GATES = {torch.nn.LSTM: [0, 3, 1, 2], torch.nn.GRU: [1, 0, 2]}


def with_onnx_layouts(model, tensors):
    """tensors (parameter name -> array) plus, for every nn.LSTM/nn.GRU layer, the W, R and B the
    exporter writes for it (gate blocks reordered, directions stacked, the two biases joined), so
    that ONNX initializers can be paired with PyTorch parameters (and their gradients) by value."""
    out = dict(tensors)
    for prefix, mod in model.named_modules():
        if type(mod) not in GATES:
            continue
        order = GATES[type(mod)]

        def gates(a):
            blocks = np.split(a, len(order), axis=0)
            return np.concatenate([blocks[i] for i in order], axis=0)

        dirs = ["", "_reverse"] if mod.bidirectional else [""]
        for layer in range(mod.num_layers):
            names = {k: [prefix + ".%s_l%d%s" % (k, layer, d) for d in dirs]
                     for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
            if not all(n in tensors for v in names.values() for n in v):
                continue
            pick = lambda k: [gates(tensors[n]) for n in names[k]]
            out[prefix + ".W_l%d" % layer] = np.stack(pick("weight_ih"))
            out[prefix + ".R_l%d" % layer] = np.stack(pick("weight_hh"))
            out[prefix + ".B_l%d" % layer] = np.stack(
                [np.concatenate([b, c]) for b, c in zip(pick("bias_ih"), pick("bias_hh"))])
    return out


def match(arr, tensors):
    """Names of tensors equal to arr as stored, transposed (2-D) or reshaped; with the layout flag."""
    found = []
    for n, t in tensors.get(arr.size, []):
        if t.shape == arr.shape and np.array_equal(t, arr):
            found.append((n, "same"))
        elif t.ndim == 2 and t.T.shape == arr.shape and np.array_equal(t.T, arr):
            found.append((n, "transpose"))
        elif np.array_equal(t.reshape(-1), arr.reshape(-1)):
            found.append((n, "reshape"))
    return found


def by_size(named):
    out = {}
    for n, t in named:
        out.setdefault(t.size, []).append((n, t))
    return out


def references(model, onnx_path, loss, grads, err32, ref_path, kinds_path):
    derived = derived_parameters(model)
    named = with_onnx_layouts(model, dict([(n, p.detach().numpy()) for n, p in model.named_parameters()] + derived))
    params = by_size(named.items())
    stats = by_size((n, b.detach().numpy()) for n, b in model.named_buffers())
    shapes = {n: p.shape for n, p in named.items()}
    ref = {"__loss__": np.array(loss[0]), "__loss32__": np.array(loss[1]), "__runs__": np.array(FLOAT32_RUNS)}
    lines = []
    for init in onnx.load(onnx_path).graph.initializer:
        arr = onnx.numpy_helper.to_array(init)
        if arr.dtype != np.float32:
            continue
        hits = match(arr, params)
        if hits:
            g = np.zeros(arr.shape)
            for n, layout in hits:  # a tensor stored once for several parameters gets their gradients' sum
                gn = grads.get(n, np.zeros(shapes[n]))
                g += gn.T if layout == "transpose" else gn.reshape(arr.shape)
            ref[init.name] = g
            ref["__t32__" + init.name] = np.array(max(err32.get(n, 0.0) for n, _ in hits))
            lines.append(init.name + " param " + ",".join(n for n, _ in hits))
        elif match(arr, stats):
            lines.append(init.name + " statistic")
        else:
            lines.append(init.name + " constant")
    # compressed: Condense 4d91f35 fails reading a stored (uncompressed) .npz entry over 4 MiB
    np.savez_compressed(ref_path, **{k: v.astype(np.float32) for k, v in ref.items()})
    with open(kinds_path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    references_only = sys.argv[1] == "--references"
    name, out = sys.argv[1 + references_only], sys.argv[2 + references_only]
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    gen = torch.Generator().manual_seed(SEED)
    model = build(name)
    surgery(model)
    randomise(model, gen)
    model.eval()
    x, y = batch(name, gen)
    np.save(os.path.join(d, "x.npy"), x.numpy())
    np.save(os.path.join(d, "y.npy"), y.numpy())
    # the reference is PyTorch in float64: with random weights some gradients are ill-conditioned
    # enough that PyTorch's own float32 result is off by percents (resnet50: 0.19); that error is
    # stored beside each gradient as the noise floor the engine's float32 is judged against
    loss64, grads = train_step(model, x, y, torch.float64)
    loss32, err32 = float32_spread(model, x, y, grads)
    for opset in OPSETS:
        path = os.path.join(d, "opset%d.onnx" % opset)
        status = "ok" if references_only and os.path.exists(path) else export(model, x, path, opset)
        with open(os.path.join(d, "opset%d.export.txt" % opset), "w") as f:
            f.write(status + "\n")
        if status == "ok":
            references(model, path, (loss64, loss32), grads, err32, os.path.join(d, "opset%d.ref.npz" % opset),
                       os.path.join(d, "opset%d.kinds.txt" % opset))
    assert math.isfinite(loss64)


if __name__ == "__main__":
    main()
