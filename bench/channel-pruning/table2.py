#!/usr/bin/env python3
"""He et al. 2017's Table 2 on a Condense model: accuracy after channel pruning to 2x and 4x
fewer multiply-adds, before and after fine-tuning, for He et al.'s LASSO + least squares, ThiNet,
L1-norm selection and random selection, all through `condense channel-prune` with the same seed.

Usage: python3 bench/channel-pruning/table2.py MODEL.onnx --data fashion-mnist --out bench/results/table2-vgg
         [--speedups 2,4] [--fine-tune-epochs 2] [--fine-tune-lr 0.001] [--images 500] [--threads 2]
Writes OUT.md and OUT.json.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
METHODS = [("he", "He et al. 2017 (LASSO + LS)"), ("thinet", "ThiNet"), ("l1", "L1 norm"), ("random", "random")]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--data", default="fashion-mnist")
    p.add_argument("--out", required=True)
    p.add_argument("--speedups", default="2,4")
    p.add_argument("--fine-tune-epochs", default="2")
    p.add_argument("--fine-tune-lr", default="0.001")
    p.add_argument("--images", default="500")
    p.add_argument("--threads", default="2")
    p.add_argument("--limit", default=None)
    p.add_argument("--condense", default=os.path.join(ROOT, "condense"))
    a = p.parse_args()
    rows = []
    models = tempfile.mkdtemp(prefix="table2-")  # the pruned models; only the tables are kept
    for speedup in a.speedups.split(","):
        for method, label in METHODS:
            cmd = [a.condense, "channel-prune", a.model, "--method", method, "--speedup", speedup,
                   "--data", a.data, "--images", a.images, "--retrain-epochs", a.fine_tune_epochs,
                   "--retrain-lr", a.fine_tune_lr, "--threads", a.threads, "--seed", "1",
                   "--out", os.path.join(models, f"{method}-{speedup}x.onnx"), "--json", "--quiet"]
            if a.limit:
                cmd += ["--limit", a.limit]
            print(" ".join(cmd), file=sys.stderr, flush=True)
            doc = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            s = doc["structure"]
            r = s["rounds"][-1]
            rows.append({"speedup": float(speedup), "method": method, "label": label,
                         "top1_dense": s["top1_before"], "top1_pruned": r["top1_pruned"],
                         "top1_fine_tuned": r["top1_retrained"],
                         "macs_ratio": s["macs_before"] / s["macs_after"],
                         "params_ratio": s["params_before"] / s["params_after"],
                         "seconds": doc.get("seconds")})
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    with open(a.out + ".json", "w") as f:
        json.dump({"model": a.model, "data": a.data, "fine_tune_epochs": int(a.fine_tune_epochs),
                   "fine_tune_lr": float(a.fine_tune_lr), "images": int(a.images), "rows": rows}, f, indent=1)
    dense = rows[0]["top1_dense"]
    lines = [f"Channel pruning of {os.path.basename(a.model)} on {a.data} (dense top-1 {dense:.2f}%): "
             f"top-1 after pruning to fewer multiply-adds, before and after {a.fine_tune_epochs} epochs of "
             f"fine-tuning at LR {a.fine_tune_lr}; {a.images} images x 10 locations sampled per layer; seed 1.",
             "", "| fewer MACs | method | measured MACs ratio | params ratio | top-1 pruned | change | top-1 fine-tuned | change |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['speedup']:g}x | {r['label']} | {r['macs_ratio']:.2f}x | {r['params_ratio']:.2f}x | "
                     f"{r['top1_pruned']:.2f}% | {r['top1_pruned'] - dense:+.2f} | {r['top1_fine_tuned']:.2f}% | "
                     f"{r['top1_fine_tuned'] - dense:+.2f} |")
    with open(a.out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
