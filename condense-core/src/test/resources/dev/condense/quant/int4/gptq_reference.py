#!/usr/bin/python3
"""NumPy reference of GPTQ's block-wise 4-bit rounding (Frantar et al. 2023, Algorithm 1 without
lazy batching), written independently of Condense's Java code, and the fixture its test reads.

Regenerate: /usr/bin/python3 gptq_reference.py > gptq_reference.txt

A random layer W [rows, cols] with correlated inputs X [samples, cols] (a random mixing of
independent normals); H = 2 X^T X / samples; 1% damping of the mean diagonal; columns quantized
in order, each column's error (w - q) / U_ii spread over the later columns with row i of U, the
upper Cholesky factor of H^-1. Block scale/zero chosen from the updated weights at the block's
first column. Output: whitespace-separated sections "name count v1 v2 ...".
"""
import numpy as np

ROWS, COLS, SAMPLES = 24, 80, 128


def params(v, symmetric):
    lo = min(0.0, float(v.min()))
    hi = max(0.0, float(v.max()))
    if symmetric:
        s = np.float32(max(-lo, hi) / 7.0)
        return (s if s > 0 else np.float32(1)), 0, -8, 7
    s = np.float32((hi - lo) / 15.0)
    if not s > 0:
        return np.float32(1), 0, 0, 15
    z = int(min(15, max(0, np.rint(-lo / np.float64(s)))))
    return s, z, 0, 15


def code(w, p):
    s, z, lo, hi = p
    q = np.rint(np.float32(w) / s) + z
    return int(min(hi, max(lo, q)))


def value(q, p):
    s, z, _, _ = p
    return np.float32(np.float32(q - z) * s)


def gptq(W, H, block, symmetric):
    W = W.astype(np.float64).copy()
    H = H.copy()
    d = np.diag(H).copy()
    d[d == 0] = 1
    H[np.diag_indices_from(H)] = d
    H[np.diag_indices_from(H)] += 0.01 * np.mean(np.diag(H))
    U = np.linalg.cholesky(np.linalg.inv(H)).T
    rows, cols = W.shape
    codes = np.zeros((rows, cols), dtype=np.int64)
    nb = (cols + block - 1) // block
    scales = np.zeros((rows, nb), dtype=np.float32)
    zeros = np.zeros((rows, nb), dtype=np.int64)
    ps = [None] * rows
    for i in range(cols):
        if i % block == 0:
            for n in range(rows):
                ps[n] = params(W[n, i:i + block], symmetric)
                scales[n, i // block], zeros[n, i // block] = ps[n][0], ps[n][1]
        for n in range(rows):
            q = code(W[n, i], ps[n])
            codes[n, i] = q
            err = (W[n, i] - float(value(q, ps[n]))) / U[i, i]
            W[n, i + 1:] -= err * U[i, i + 1:]
    return codes, scales, zeros


def rtn(W, block, symmetric):
    rows, cols = W.shape
    out = np.zeros_like(W, dtype=np.float32)
    for n in range(rows):
        for b in range(0, cols, block):
            p = params(W[n, b:b + block].astype(np.float64), symmetric)
            for k in range(b, min(cols, b + block)):
                out[n, k] = value(code(W[n, k], p), p)
    return out


def dequantize(codes, scales, zeros, block):
    cols = codes.shape[1]
    idx = np.arange(cols) // block
    return ((codes - zeros[:, idx]).astype(np.float32) * scales[:, idx]).astype(np.float32)


def section(name, values):
    v = np.asarray(values).ravel()
    print(name, v.size, " ".join(repr(float(x)) if v.dtype.kind == "f" else str(int(x)) for x in v))


rng = np.random.default_rng(16)
mix = rng.standard_normal((COLS, COLS)) * 0.3 + np.eye(COLS)
X = (rng.standard_normal((SAMPLES, COLS)) @ mix + 0.5).astype(np.float32)
W = (rng.standard_normal((ROWS, COLS)) * 0.1).astype(np.float32)
H = 2 * X.astype(np.float64).T @ X.astype(np.float64) / SAMPLES
section("shape", [ROWS, COLS, SAMPLES])
section("W", W)
section("X", X)
for block, symmetric in [(32, False), (64, True)]:
    tag = f"b{block}{'s' if symmetric else 'a'}"
    codes, scales, zeros = gptq(W, H, block, symmetric)
    Wq = dequantize(codes, scales, zeros, block)
    Wr = rtn(W, block, symmetric)
    ref = X.astype(np.float64) @ W.T.astype(np.float64)
    section(tag + ".codes", codes)
    section(tag + ".scales", scales)
    section(tag + ".zeros", zeros)
    section(tag + ".gptq_error", [np.linalg.norm(ref - X.astype(np.float64) @ Wq.T.astype(np.float64))])
    section(tag + ".rtn_error", [np.linalg.norm(ref - X.astype(np.float64) @ Wr.T.astype(np.float64))])
