"""Writes unary-reference.tsv: PyTorch's value and autograd derivative (float64) of every
element-wise op and activation of issue 13 §1, with the values at x - h and x + h for central
differences. Read by dev.condense.engine.cpu.ElementwiseGradientTest. Run with Debian's
python3 (torch 1.13):  /usr/bin/python3 make_reference.py
"""
import struct

import torch
import torch.nn.functional as F

H = 1e-5

def float32(v):
    """v rounded to float32, so that the engine's input is exactly the reference's."""
    return struct.unpack("f", struct.pack("f", v))[0]


# Avoids the kinks and steps of every op (0, +-2, +-2.5, +-3, integers, halves) by more than 0.005.
XS = [float32(-3.91 + 0.37 * k) for k in range(22)]
POSITIVE = [float32(0.05 + 0.37 * k) for k in range(11)]


def hard_sigmoid(alpha, beta):
    return lambda x: torch.clamp(alpha * x + beta, 0, 1)


# (op, attributes as name=value;..., function, inputs)
CASES = [
    ("Sqrt", "", torch.sqrt, POSITIVE),
    ("Exp", "", torch.exp, XS),
    ("Log", "", torch.log, POSITIVE),
    ("Neg", "", torch.neg, XS),
    ("Abs", "", torch.abs, XS),
    ("Reciprocal", "", torch.reciprocal, XS),
    ("Erf", "", torch.erf, XS),
    ("Sign", "", torch.sign, XS),
    ("Floor", "", torch.floor, XS),
    ("Ceil", "", torch.ceil, XS),
    ("Round", "", torch.round, XS),
    ("HardSigmoid", "", hard_sigmoid(0.2, 0.5), XS),
    ("HardSigmoid", "alpha=0.3;beta=0.4", hard_sigmoid(0.3, 0.4), XS),
    ("HardSwish", "", F.hardswish, XS),
    ("Elu", "", F.elu, XS),
    ("Elu", "alpha=0.5", lambda x: F.elu(x, alpha=0.5), XS),
    ("Selu", "", F.selu, XS),
    ("Celu", "", F.celu, XS),
    ("Celu", "alpha=2", lambda x: F.celu(x, alpha=2.0), XS),
    ("Softplus", "", F.softplus, XS),
    ("Softsign", "", F.softsign, XS),
    ("Gelu", "", F.gelu, XS),
    ("Gelu", "approximate=tanh", lambda x: F.gelu(x, approximate="tanh"), XS),
    ("Mish", "", F.mish, XS),
]

with open("unary-reference.tsv", "w") as out:
    out.write("# op\tattributes\tx\ty\tdy/dx (autograd)\ty(x-h)\ty(x+h)\th=%g\n" % H)
    for op, attrs, f, xs in CASES:
        x = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
        y = f(x)
        (g,) = torch.autograd.grad(y.sum(), x)
        with torch.no_grad():
            lo = f(x - H)
            hi = f(x + H)
        for i in range(len(xs)):
            out.write("%s\t%s\t%r\t%r\t%r\t%r\t%r\n" % (op, attrs, xs[i], y[i].item(), g[i].item(), lo[i].item(), hi[i].item()))
