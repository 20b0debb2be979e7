#!/usr/bin/env python3
"""He et al. 2017's Table 2 on a Condense model: accuracy after channel pruning to 2x and 4x
fewer multiply-adds, before and after fine-tuning, for He et al.'s LASSO + least squares, ThiNet,
L1-norm selection and random selection, all through `condense channel-prune` with the same seed,
and the pruned models' measured ONNX Runtime speed-up at batch 64.

Usage: python3 bench/channel-pruning/table2.py MODEL.onnx --data fashion-mnist --out bench/results/table2-vgg
         [--speedups 2,4] [--fine-tune-epochs 2] [--fine-tune-lr 0.001] [--images 500] [--threads 2]
         [--align 8] [--thinet-layer-epochs 1 --thinet-layer-images 3000] [--reports DIR]
Writes OUT.md and OUT.json, rewritten after every run so that an interrupted table keeps its rows.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
METHODS = [("he", "He et al. 2017 (LASSO + LS)"), ("thinet", "ThiNet"), ("l1", "L1 norm"), ("random", "random")]


def command(a, method, speedup, reports):
    """The channel-prune command line of one table cell."""
    base = os.path.join(reports, f"{method}-{speedup}x")
    cmd = [a.condense, "channel-prune", a.model, "--method", method, "--speedup", speedup,
           "--data", a.data, "--images", a.images, "--retrain-epochs", a.fine_tune_epochs,
           "--retrain-lr", a.fine_tune_lr, "--threads", a.threads, "--seed", "1", "--align", a.align,
           "--out", base + ".onnx", "--report", base + ".md", "--json", "--quiet"]
    if method == "thinet" and int(a.thinet_layer_epochs) > 0:
        cmd += ["--layer-epochs", a.thinet_layer_epochs]
        if a.thinet_layer_images:
            cmd += ["--layer-images", a.thinet_layer_images]
    if a.limit:
        cmd += ["--limit", a.limit]
    return cmd


def row(speedup, method, label, doc):
    """One table row from a channel-prune report (its --json document)."""
    s = doc["structure"]
    r = s["rounds"][-1]
    lat = {x["batch"]: x for x in s.get("latency", [])}
    return {"speedup": float(speedup), "method": method, "label": label,
            "top1_dense": s["top1_before"], "top1_pruned": r["top1_pruned"], "top1_fine_tuned": r["top1_retrained"],
            "macs_ratio": s["macs_before"] / s["macs_after"], "params_ratio": s["params_before"] / s["params_after"],
            "ort_speedup_64": lat[64]["speed_up"] if 64 in lat else None, "seconds": doc.get("seconds")}


def write(a, rows):
    with open(a.out + ".json", "w") as f:
        json.dump({"model": a.model, "data": a.data, "fine_tune_epochs": int(a.fine_tune_epochs),
                   "fine_tune_lr": float(a.fine_tune_lr), "images": int(a.images), "align": int(a.align),
                   "thinet_layer_epochs": int(a.thinet_layer_epochs),
                   "thinet_layer_images": int(a.thinet_layer_images or 0), "rows": rows}, f, indent=1)
    dense = rows[0]["top1_dense"]
    thinet = (f"; ThiNet fine-tunes {a.thinet_layer_epochs} epoch(s) after each layer"
              + (f" on {a.thinet_layer_images} training images" if a.thinet_layer_images else "")
              if int(a.thinet_layer_epochs) > 0 else "")
    lines = [f"Channel pruning of {os.path.basename(a.model)} on {a.data} (dense top-1 {dense:.2f}%): "
             f"top-1 after pruning to fewer multiply-adds, before and after {a.fine_tune_epochs} epoch(s) of "
             f"fine-tuning at LR {a.fine_tune_lr}; {a.images} images x 10 locations sampled per layer; kept counts "
             f"aligned to {a.align}{thinet}; seed 1, {a.threads} threads.",
             "", "| fewer MACs | method | measured MACs ratio | params ratio | top-1 pruned | change | top-1 fine-tuned "
             "| change | ORT speed-up, batch 64 | seconds |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        ort = f"{r['ort_speedup_64']:.2f}x" if r["ort_speedup_64"] else "-"
        lines.append(f"| {r['speedup']:g}x | {r['label']} | {r['macs_ratio']:.2f}x | {r['params_ratio']:.2f}x | "
                     f"{r['top1_pruned']:.2f}% | {r['top1_pruned'] - dense:+.2f} | {r['top1_fine_tuned']:.2f}% | "
                     f"{r['top1_fine_tuned'] - dense:+.2f} | {ort} | {r['seconds']:.0f} |")
    with open(a.out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    return lines


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--data", default="fashion-mnist")
    p.add_argument("--out", required=True)
    p.add_argument("--speedups", default="2,4")
    p.add_argument("--methods", default=",".join(m for m, _ in METHODS))
    p.add_argument("--fine-tune-epochs", default="2")
    p.add_argument("--fine-tune-lr", default="0.001")
    p.add_argument("--images", default="500")
    p.add_argument("--threads", default="2")
    p.add_argument("--align", default="1")
    p.add_argument("--thinet-layer-epochs", default="0")
    p.add_argument("--thinet-layer-images", default=None)
    p.add_argument("--reports", default=None, help="keep each run's report and model here")
    p.add_argument("--limit", default=None)
    p.add_argument("--condense", default=os.path.join(ROOT, "condense"))
    a = p.parse_args()
    reports = a.reports or tempfile.mkdtemp(prefix="table2-")
    os.makedirs(reports, exist_ok=True)
    labels = dict(METHODS)
    rows = []
    for speedup in a.speedups.split(","):
        for method in a.methods.split(","):
            cmd = command(a, method, speedup, reports)
            print(" ".join(cmd), file=sys.stderr, flush=True)
            doc = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            rows.append(row(speedup, method, labels[method], doc))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
            lines = write(a, rows)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
