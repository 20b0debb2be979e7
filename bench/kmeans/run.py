#!/usr/bin/python3
"""k-means, Condense vs scikit-learn, side by side in one run.

Cases (the issue's): one million 8-dimensional sub-vectors with k = 256 (product quantization of
a large layer), and one million scalars with k = 256 (scalar quantization), plus one million
scalars with k = 16 where Condense's exact 1-D k-means (dynamic programming) is affordable. The data is drawn once
with a fixed seed and written as raw float32; both implementations fit it alternately, REPS times,
on 2 threads. Reports median seconds, the time ratio and the inertia ratio (target: Condense at
most 1.5x scikit-learn's time, at most 1.01x its inertia). Writes bench/results/kmeans.{json,md}.

Usage: /usr/bin/python3 bench/kmeans/run.py [--reps 3] [--n 1000000]
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CP = os.path.join(ROOT, "bench", "target", "classes") + ":" + os.path.join(ROOT, "bench", "target", "lib", "*")


def data(kind, n, seed=7):
    r = np.random.default_rng(seed)
    if kind == "pq":
        # Sub-vectors of a weight matrix look like a mixture: 2,048 clusters, Laplacian noise.
        centers = r.laplace(0, 0.05, size=(2048, 8)).astype(np.float32)
        x = centers[r.integers(0, 2048, n)] + r.laplace(0, 0.01, size=(n, 8)).astype(np.float32)
        return x.astype(np.float32), 8
    # Scalars: trained weights are roughly Laplacian around zero.
    return r.laplace(0, 0.05, size=(n, 1)).astype(np.float32), 1


def sklearn_fit(x, k):
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits
    with threadpool_limits(limits=2):
        t0 = time.perf_counter()
        km = KMeans(n_clusters=k, init="k-means++", n_init=1, max_iter=300, tol=1e-4, algorithm="lloyd",
                    random_state=0).fit(x)
        return time.perf_counter() - t0, float(km.inertia_), int(km.n_iter_)


def condense_fit(path, n, d, k, mode):
    out = subprocess.run(["java", "-Xmx6g", "-cp", CP, "dev.condense.bench.KMeansBench", path, str(n), str(d), str(k),
                          "2", mode], check=True, capture_output=True, text=True).stdout
    j = json.loads(out.strip().splitlines()[-1])
    return j["seconds"], j["inertia"], j["iterations"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--k", type=int, default=256)
    a = p.parse_args()
    results = []
    import sklearn
    with tempfile.TemporaryDirectory() as tmp:
        for kind, k, modes in (("pq", a.k, ["vector"]), ("scalar", a.k, ["vector", "1d-plusplus"]),
                               ("scalar", 16, ["1d-plusplus", "1d-exact"])):
            x, d = data(kind, a.n)
            path = os.path.join(tmp, kind + ".f32")
            x.astype("<f4").tofile(path)
            for mode in modes:
                sk, co = [], []
                for rep in range(a.reps):
                    sk.append(sklearn_fit(x, k))
                    co.append(condense_fit(path, a.n, d, k, mode))
                    print(kind, mode, "rep", rep + 1, "sklearn", sk[-1], "condense", co[-1], flush=True)
                row = {"case": f"{kind}: n={a.n}, d={d}, k={k}", "condense": mode,
                       "sklearn_s": statistics.median(s[0] for s in sk), "condense_s": statistics.median(c[0] for c in co),
                       "sklearn_inertia": statistics.median(s[1] for s in sk),
                       "condense_inertia": statistics.median(c[1] for c in co),
                       "sklearn_iters": [s[2] for s in sk], "condense_iters": [c[2] for c in co]}
                row["time_ratio"] = row["condense_s"] / row["sklearn_s"]
                row["inertia_ratio"] = row["condense_inertia"] / row["sklearn_inertia"]
                results.append(row)
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    base = os.path.join(ROOT, "bench", "results", "kmeans")
    with open(base + ".json", "w") as f:
        json.dump({"sklearn": sklearn.__version__, "threads": 2, "reps": a.reps, "results": results}, f, indent=2)
    with open(base + ".md", "w") as f:
        f.write(f"k-means, Condense vs scikit-learn {sklearn.__version__} (KMeans, lloyd, k-means++, n_init=1, "
                f"tol 1e-4), 2 threads, median of {a.reps} alternating runs.\n\n")
        f.write("| case | Condense | scikit-learn s | Condense s | time ratio | inertia ratio |\n")
        f.write("| --- | --- | ---: | ---: | ---: | ---: |\n")
        for r in results:
            f.write(f"| {r['case']} | {r['condense']} | {r['sklearn_s']:.2f} | {r['condense_s']:.2f} | "
                    f"{r['time_ratio']:.2f} | {r['inertia_ratio']:.4f} |\n")
    print(open(base + ".md").read())


if __name__ == "__main__":
    main()
