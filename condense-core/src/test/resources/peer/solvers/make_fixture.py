#!/usr/bin/python3
"""Peer results for Condense's solvers (LassoTest, LeastSquaresTest, ThiNetSelectionTest).

Run with Debian's Python (python3-sklearn, python3-numpy):
    /usr/bin/python3 make_fixture.py > solvers.json
- LASSO: scikit-learn's Lasso (coordinate descent, tol 1e-10, no intercept) on a channel-pruning
  shaped problem: 12 features, a few of them useless, 600 rows.
- Least squares: numpy.linalg.lstsq on a 300 x 9 system with 3 right-hand sides, and on a rank
  deficient one (a zero column and a duplicated column).
- ThiNet: Luo et al.'s Algorithm 1 written directly in NumPy, on 200 samples x 10 channels.
"""
import json

import numpy as np
from sklearn.linear_model import Lasso

rng = np.random.default_rng(7)

n, c = 600, 12
X = rng.normal(size=(n, c))
true = np.array([1.5, -2.0, 0.0, 0.7, 0.0, 0.0, 3.0, -0.4, 0.0, 0.1, 0.0, 1.1])
y = X @ true + 0.3 * rng.normal(size=n)
lasso = []
for alpha in (0.001, 0.05, 0.2, 0.8):
    m = Lasso(alpha=alpha, fit_intercept=False, tol=1e-10, max_iter=100000).fit(X, y)
    lasso.append({"alpha": alpha, "coef": m.coef_.tolist()})

A = rng.normal(size=(300, 9))
B = rng.normal(size=(300, 3))
x_full = np.linalg.lstsq(A, B, rcond=None)[0]
Ad = A.copy()
Ad[:, 2] = 0.0
Ad[:, 5] = Ad[:, 4]
x_def = np.linalg.lstsq(Ad, B, rcond=None)[0]

m, k = 200, 10
xhat = rng.normal(size=(m, k)) * rng.uniform(0.1, 2.0, size=k)
xhat[:, 3] = -xhat[:, 7] + 0.01 * rng.normal(size=m)  # a pair that cancels
xhat = xhat.astype(np.float32).astype(np.float64)  # what Condense reads
removed, s = [], np.zeros(m)
for _ in range(6):
    best = min((j for j in range(k) if j not in removed), key=lambda j: float(np.sum((s + xhat[:, j]) ** 2)))
    removed.append(best)
    s += xhat[:, best]
kept = [j for j in range(k) if j not in removed]
scales = np.linalg.lstsq(xhat[:, kept], xhat.sum(axis=1), rcond=None)[0]

print(json.dumps({
    "lasso": {"X": X.ravel().tolist(), "y": y.tolist(), "rows": n, "cols": c, "fits": lasso},
    "lstsq": {"A": A.ravel().tolist(), "B": B.ravel().tolist(), "rows": 300, "cols": 9, "rhs": 3,
              "x": x_full.ravel().tolist(), "A_deficient": Ad.ravel().tolist(),
              "x_deficient_fit": (Ad @ x_def).ravel().tolist()},
    "thinet": {"xhat": xhat.astype(np.float32).ravel().tolist(), "samples": m, "channels": k,
               "removed": removed, "kept": kept, "scales": scales.tolist()},
}))
