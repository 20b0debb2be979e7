#!/usr/bin/python3
"""Channel pruning's solvers, Condense vs its peers, side by side in one run.

- LASSO: scikit-learn's Lasso (coordinate descent, precompute=True so it also works from the Gram
  matrix, no intercept, tol 1e-10) vs Condense's Lasso (Gram formed from the raw matrix inside the
  timing), on a He et al.-shaped problem: one feature per input channel, rows = samples x outputs.
- Least squares: numpy.linalg.lstsq vs Condense's LeastSquares (EJML), on He et al.'s re-fit shape:
  rows = sampled locations, columns = kept channels x 3x3 window, right-hand sides = output channels.
Runs alternate; median seconds and the ratio; the solutions' largest difference.
Writes bench/results/solvers.{json,md}.

Usage: /usr/bin/python3 bench/solvers/run.py [--reps 3]
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

import numpy as np
import sklearn
from sklearn.linear_model import Lasso

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CP = os.path.join(ROOT, "bench", "target", "classes") + ":" + os.path.join(ROOT, "bench", "target", "lib", "*")


def condense(*args):
    out = subprocess.run(["java", "-Xmx6g", "-cp", CP, "dev.condense.bench.SolverBench"] + [str(a) for a in args],
                         check=True, capture_output=True, text=True).stdout
    doc = json.loads(out)
    return doc["seconds"], np.array(doc["solution"])


def alternate(reps, peer, ours):
    """Runs the peer (timed here) and Condense (timed in its JVM) alternately; their last results and the medians."""
    peer_s, ours_s = [], []
    for _ in range(reps):
        t = time.perf_counter()
        ref = peer()
        peer_s.append(time.perf_counter() - t)
        s, sol = ours()
        ours_s.append(s)
    p, o = statistics.median(peer_s), statistics.median(ours_s)
    return ref, sol, {"peer_s": p, "condense_s": o, "ratio": o / p}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=3)
    a = p.parse_args()
    rng = np.random.default_rng(3)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        # LASSO: 64 channels, 5,000 samples x 64 outputs.
        rows, c = 320_000, 64
        x = rng.normal(size=(rows, c)).astype(np.float32)
        beta = np.where(rng.uniform(size=c) < 0.5, rng.normal(size=c), 0.0)
        y = (x @ beta + 0.5 * rng.normal(size=rows)).astype(np.float32)
        x.tofile(os.path.join(tmp, "x.f32"))
        y.tofile(os.path.join(tmp, "y.f32"))
        alpha = 0.05
        m, sol, timing = alternate(
            a.reps, lambda: Lasso(alpha=alpha, fit_intercept=False, precompute=True, tol=1e-10, max_iter=100000).fit(x, y),
            lambda: condense("lasso", os.path.join(tmp, "x.f32"), os.path.join(tmp, "y.f32"), rows, c, alpha))
        results.append({"case": f"LASSO {rows:,} x {c}, alpha {alpha}", "peer": f"scikit-learn {sklearn.__version__} Lasso",
                        **timing,
                        "max_abs_diff": float(np.max(np.abs(sol - m.coef_))),
                        "nonzeros": [int(np.count_nonzero(m.coef_)), int(np.count_nonzero(sol))]})
        # Least squares: 5,000 samples, 32 kept channels x 9, 64 outputs.
        rows, cols, rhs = 5000, 288, 64
        A = rng.normal(size=(rows, cols)).astype(np.float32)
        B = rng.normal(size=(rows, rhs)).astype(np.float32)
        A.tofile(os.path.join(tmp, "a.f32"))
        B.tofile(os.path.join(tmp, "b.f32"))
        ref, sol, timing = alternate(
            a.reps, lambda: np.linalg.lstsq(A.astype(np.float64), B.astype(np.float64), rcond=None)[0],
            lambda: condense("lstsq", os.path.join(tmp, "a.f32"), os.path.join(tmp, "b.f32"), rows, cols, rhs))
        results.append({"case": f"least squares {rows:,} x {cols}, {rhs} right-hand sides", "peer": f"numpy {np.__version__} linalg.lstsq",
                        **timing,
                        "max_abs_diff": float(np.max(np.abs(sol.reshape(cols, rhs) - ref)))})
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", "solvers.json"), "w") as f:
        json.dump({"reps": a.reps, "results": results}, f, indent=1)
    lines = [f"Channel-pruning solvers, Condense vs peers, median of {a.reps} alternating runs; Condense timed inside its JVM (one cold call: JIT warm-up included, start-up and file reading not).", "",
             "| problem | peer | peer s | Condense s | time ratio | largest coefficient difference |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    for r in results:
        lines.append(f"| {r['case']} | {r['peer']} | {r['peer_s']:.3f} | {r['condense_s']:.3f} | {r['ratio']:.2f} | {r['max_abs_diff']:.2e} |")
    with open(os.path.join(ROOT, "bench", "results", "solvers.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
