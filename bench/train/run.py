#!/usr/bin/python3
"""Training speed, Condense vs PyTorch, side by side in one run.

For each model and batch size: both frameworks start from the same initial weights (an ONNX
file Condense writes), train on Fashion-MNIST with the same SGD settings on 2 threads, and
report seconds per epoch. Runs alternate between the two so machine noise hits both alike.
Writes bench/results/train-epoch.{json,md}.

Usage: /usr/bin/python3 bench/train/run.py [--epochs 3] [--reps 2] [--models lenet-300-100,lenet-5]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"


def condense(args):
    out = subprocess.run([os.path.join(ROOT, "condense")] + args, check=True, capture_output=True, text=True)
    return out.stdout


def run_condense(init, model, batch, epochs, threads):
    with tempfile.TemporaryDirectory() as d:
        doc = json.loads(condense(["train", init, "--data", "fashion-mnist", "--epochs", str(epochs), "--batch",
                                   str(batch), "--lr", "0.01", "--schedule", "constant", "--threads", str(threads),
                                   "--no-validate", "--quiet", "--json", "--out", os.path.join(d, "m.onnx")]))
    return [e["seconds"] for e in doc["epochs"]], [e["train_loss"] for e in doc["epochs"]]


def run_torch(init, model, batch, epochs, threads):
    env = dict(os.environ, LD_LIBRARY_PATH=OPENBLAS)
    out = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "train", "peer_train.py"), "--model", model,
                          "--init", init, "--batch", str(batch), "--epochs", str(epochs), "--threads", str(threads)],
                         check=True, capture_output=True, text=True, env=env)
    rows = [json.loads(l) for l in out.stdout.splitlines() if l.startswith("{")]
    return [r["seconds"] for r in rows], [r["train_loss"] for r in rows], rows[0]["framework"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--reps", type=int, default=2)
    p.add_argument("--batches", default="64,256")
    p.add_argument("--models", default="lenet-300-100,lenet-5")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "train-epoch"))
    a = p.parse_args()
    results = []
    torch_version = "?"
    with tempfile.TemporaryDirectory() as d:
        for model in a.models.split(","):
            init = os.path.join(d, model + "-init.onnx")
            condense(["train", model, "--epochs", "0", "--quiet", "--out", init])
            for batch in [int(b) for b in a.batches.split(",")]:
                c_times, t_times, c_loss, t_loss = [], [], [], []
                for rep in range(a.reps):
                    ct, cl = run_condense(init, model, batch, a.epochs, a.threads)
                    tt, tl, torch_version = run_torch(init, model, batch, a.epochs, a.threads)
                    c_times += ct
                    t_times += tt
                    c_loss, t_loss = cl, tl
                    print(f"{model} batch {batch} rep {rep + 1}: condense {ct} torch {tt}", file=sys.stderr, flush=True)
                row = {"model": model, "batch": batch, "condense_epoch_s": c_times, "pytorch_epoch_s": t_times,
                       "condense_median_s": statistics.median(c_times), "pytorch_median_s": statistics.median(t_times),
                       "condense_train_loss": c_loss, "pytorch_train_loss": t_loss}
                row["ratio"] = row["condense_median_s"] / row["pytorch_median_s"]
                results.append(row)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    meta = {"epochs_per_run": a.epochs, "reps": a.reps, "threads": a.threads, "pytorch": torch_version,
            "blas": "OpenBLAS 0.3.21 (Debian) for both", "data": "Fashion-MNIST train (60,000)"}
    with open(a.out + ".json", "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=2)
    with open(a.out + ".md", "w") as f:
        f.write("Training speed: seconds per epoch on Fashion-MNIST (60,000 images), same initial weights, SGD "
                f"lr 0.01 momentum 0.9 wd 5e-4, {a.threads} threads; median over {a.reps} runs x {a.epochs} epochs, "
                f"alternating runs. Peer: PyTorch {torch_version} with OpenBLAS.\n\n")
        f.write("| model | batch | Condense s/epoch | PyTorch s/epoch | ratio (Condense/PyTorch) | last-epoch train loss C / P |\n")
        f.write("| --- | ---: | ---: | ---: | ---: | --- |\n")
        for r in results:
            f.write(f"| {r['model']} | {r['batch']} | {r['condense_median_s']:.2f} | {r['pytorch_median_s']:.2f} | "
                    f"{r['ratio']:.2f} | {r['condense_train_loss'][-1]:.4f} / {r['pytorch_train_loss'][-1]:.4f} |\n")
    print(open(a.out + ".md").read())


if __name__ == "__main__":
    main()
