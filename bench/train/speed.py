#!/usr/bin/python3
"""Training speed, Condense vs PyTorch, side by side (issue 18 §3): milliseconds per step of the
same architectures on the same random 1x28x28 batches' shapes, SGD momentum 0.9, weight decay
5e-4, at 1 and 2 threads. Runs alternate Condense, PyTorch, Condense, ... (`--runs` each); every
run times `--reps` blocks of `--steps` steps after a warm-up block. Medians over all blocks.
Writes bench/results/train-speed.{md,json}.

Usage: /usr/bin/python3 bench/train/speed.py [--runs 3] [--steps 20] [--reps 3] [--threads 1,2]
       [--cases resnet-20:64,resnet-20:128,vgg-16:width=0.25:64,mobilenet_v2:64,lenet-5:64]
Needs `mvn -B -q -pl bench -am package -DskipTests` first (Condense runs from bench/target).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEER = os.path.join(ROOT, "bench", "train", "speed_peer.py")
CP = os.path.join(ROOT, "bench", "target", "classes") + ":" + os.path.join(ROOT, "bench", "target", "lib", "*")
OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"


def last_json(text):
    return json.loads([l for l in text.splitlines() if l.startswith("{")][-1])


def condense(model, batch, threads, steps, reps):
    out = subprocess.run(["java", "-cp", CP, "dev.condense.bench.speed.TrainSpeed", model, str(batch), str(threads),
                          str(steps), str(reps)], check=True, capture_output=True, text=True)
    return last_json(out.stdout)


def torch(model, batch, threads, steps, reps):
    env = dict(os.environ)
    if os.path.isdir(OPENBLAS):
        env["LD_LIBRARY_PATH"] = OPENBLAS
    out = subprocess.run(["/usr/bin/python3", PEER, model, str(batch), str(threads), str(steps), str(reps)],
                         check=True, capture_output=True, text=True, env=env)
    return last_json(out.stdout)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--cases", default="resnet-20:64,resnet-20:128,vgg-16:width=0.25:64,mobilenet_v2:64,lenet-5:64")
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "train-speed"))
    a = p.parse_args()
    rows, version = [], "?"
    with tempfile.TemporaryDirectory() as d:
        mbv2 = os.path.join(d, "mobilenet_v2.onnx")
        for case in a.cases.split(","):
            model, batch = case.rsplit(":", 1)
            c_model = model
            if model == "mobilenet_v2":
                if not os.path.exists(mbv2):
                    subprocess.run(["/usr/bin/python3", PEER, "mobilenet_v2", "--export", mbv2], check=True,
                                   capture_output=True)
                c_model = mbv2
            for threads in [int(t) for t in a.threads.split(",")]:
                c_ms, t_ms = [], []
                for run in range(a.runs):
                    c = condense(c_model, int(batch), threads, a.steps, a.reps)
                    t = torch(model, int(batch), threads, a.steps, a.reps)
                    version = t["framework"]
                    c_ms += c["ms_per_step"]
                    t_ms += t["ms_per_step"]
                    print(f"{model} batch {batch} threads {threads} run {run + 1}: condense {c['ms_per_step']} "
                          f"torch {t['ms_per_step']}", file=sys.stderr, flush=True)
                cm, tm = statistics.median(c_ms), statistics.median(t_ms)
                rows.append({"model": model, "batch": int(batch), "threads": threads, "condense_ms": c_ms,
                             "pytorch_ms": t_ms, "condense_median_ms": cm, "pytorch_median_ms": tm,
                             "condense_images_s": int(batch) * 1000 / cm, "pytorch_images_s": int(batch) * 1000 / tm,
                             "ratio": cm / tm})
    meta = {"runs": a.runs, "steps": a.steps, "reps": a.reps, "pytorch": version, "cpus": os.cpu_count(),
            "loadavg": open("/proc/loadavg").read().split()[:3],
            "commit": subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                                     text=True).stdout.strip()}
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out + ".json", "w") as f:
        json.dump({"meta": meta, "results": rows}, f, indent=2)
    with open(a.out + ".md", "w") as f:
        f.write(f"Training speed, Condense vs {version}: median ms per step on random 1x28x28 batches (SGD momentum "
                f"0.9, weight decay 5e-4), {a.runs} alternating runs x {a.reps} blocks of {a.steps} steps after a "
                f"warm-up block; commit {meta['commit']}, {meta['cpus']} CPUs, load average at the end "
                f"{' '.join(meta['loadavg'])}. Ratio = Condense time / PyTorch time (below 1: Condense is faster).\n\n")
        f.write("| model | batch | threads | Condense ms/step | PyTorch ms/step | Condense images/s | PyTorch images/s | ratio |\n")
        f.write("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
        for r in rows:
            f.write(f"| {r['model']} | {r['batch']} | {r['threads']} | {r['condense_median_ms']:.1f} | "
                    f"{r['pytorch_median_ms']:.1f} | {r['condense_images_s']:.0f} | {r['pytorch_images_s']:.0f} | "
                    f"{r['ratio']:.2f} |\n")
    print(open(a.out + ".md").read())


if __name__ == "__main__":
    main()
