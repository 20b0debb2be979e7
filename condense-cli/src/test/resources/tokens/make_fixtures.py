#!/usr/bin/python3
"""Writes data.npz, the token data set TokenCommandsTest trains condense-engine's text classifier on
(exports/attention/text-opset13.onnx and -opset17: int64 token ids [B, 8], vocabulary 50, 4 classes).

Run from this directory: /usr/bin/python3 make_fixtures.py (NumPy only).

The task: class 1 if token 3 occurs in the sequence, else class 0 (half the samples each). The
other tokens are drawn uniformly from the vocabulary without 3. x_train [384, 8] and x_test
[128, 8] are int64, y_train and y_test int64 labels.
"""
import numpy as np


def make(rng, n):
    x = rng.integers(0, 49, size=(n, 8))
    x[x >= 3] += 1  # no 3 yet
    y = rng.integers(0, 2, size=n)
    where = rng.integers(0, 8, size=n)
    x[np.arange(n)[y == 1], where[y == 1]] = 3
    return x.astype(np.int64), y.astype(np.int64)


def main():
    rng = np.random.default_rng(13)
    x_train, y_train = make(rng, 384)
    x_test, y_test = make(rng, 128)
    np.savez("data.npz", x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


if __name__ == "__main__":
    main()
