#!/usr/bin/env bash
# Issue 18 §3: wall time of `condense sensitivity` (every prunable layer of resnet-20, full width, 10
# sparsities 0..0.9) with --runtime engine and --runtime ort, runs alternating, medians, at 1 and 2
# threads, with the largest top-1 difference between the two runtimes' curves; then evaluation
# throughput (images/s at batch 256, engine vs ONNX Runtime, dev.condense.bench.speed.EvalThroughput)
# of lenet-5, lenet-300-100, resnet-20 and vgg-16:width=0.25 on Fashion-MNIST's test images. Prints
# Markdown tables. The zoo models are freshly initialised (seed 1): timing does not depend on the weights.
# Usage: bash bench/sensitivity-speed.sh. Settings (environment):
#   LIMIT=1000       test images the sensitivity evaluates at each point (0: all 10,000; resnet-20 then
#                    takes about an hour per run at 2 threads: 200 points x 10,000 images)
#   RUNS=3           timed sensitivity runs per runtime and thread count
#   THREADS="1 2"    thread counts
#   SPARSITIES=0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9   MODEL=resnet-20 (a zoo spec or an ONNX file)
#   EVAL_MODELS="lenet-5 lenet-300-100 resnet-20 vgg-16:width=0.25"  EVAL_RUNS=5  EVAL_LIMIT=0 (all)
#   BUILD=0          skip the Maven build (bench and CLI jars already built)
# A quick check that it works: LIMIT=20 RUNS=1 THREADS=1 SPARSITIES=0,0.5 EVAL_MODELS=lenet-5 EVAL_RUNS=1 \
#   EVAL_LIMIT=512 bash bench/sensitivity-speed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
limit="${LIMIT:-1000}"
runs="${RUNS:-3}"
threads="${THREADS:-1 2}"
sparsities="${SPARSITIES:-0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9}"
model="${MODEL:-resnet-20}"
eval_models="${EVAL_MODELS:-lenet-5 lenet-300-100 resnet-20 vgg-16:width=0.25}"
eval_runs="${EVAL_RUNS:-5}"
eval_limit="${EVAL_LIMIT:-0}"
[[ "${BUILD:-1}" == 1 ]] && mvn -B -o -q -pl bench -am package -DskipTests
condense="${CONDENSE:-./condense}"
cp="bench/target/classes:bench/target/lib/*"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lim=()
[[ "$limit" != 0 ]] && lim=(--limit "$limit")

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

sensitivity() { # runtime threads run -> seconds on stdout
  local t0 t1
  t0=$(date +%s.%N)
  "$condense" sensitivity "$model" --data fashion-mnist "${lim[@]}" --sparsities "$sparsities" --runtime "$1" \
    --threads "$2" --quiet --out "$work/$1-$2-$3" > /dev/null
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f\n", b - a}'
}

echo "# Sensitivity and evaluation speed, engine and ONNX Runtime ($(date -u +%Y-%m-%d), $(nproc) CPUs, load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD))"
echo
echo "\`condense sensitivity $model --data fashion-mnist --sparsities $sparsities\` on" \
  "$([[ "$limit" == 0 ]] && echo "all 10,000" || echo "the first $limit") test images, wall time of the whole command" \
  "(JVM start, data, every layer at every sparsity), median of $runs alternating runs:"
echo
echo "| threads | engine (s) | ONNX Runtime (s) | speed-up in ONNX Runtime (engine s / ONNX Runtime s) | largest top-1 difference (points) |"
echo "| ---: | ---: | ---: | ---: | ---: |"
for t in $threads; do
  : > "$work/engine-$t.s"
  : > "$work/ort-$t.s"
  for ((r = 1; r <= runs; r++)); do
    if ((r % 2)); then order="engine ort"; else order="ort engine"; fi
    for rt in $order; do
      sensitivity "$rt" "$t" "$r" >> "$work/$rt-$t.s"
    done
  done
  e=$(median < "$work/engine-$t.s")
  o=$(median < "$work/ort-$t.s")
  diff=$(/usr/bin/python3 - "$work/engine-$t-1.json" "$work/ort-$t-1.json" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
d = abs(a["baseline_top1"] - b["baseline_top1"])
for layer, curve in a["top1"].items():
    d = max([d] + [abs(x - y) for x, y in zip(curve, b["top1"][layer])])
print(f"{d:.2f} ({len(a['top1'])} layers)")
PY
)
  awk -v t="$t" -v e="$e" -v o="$o" -v d="$diff" 'BEGIN {printf "| %d | %.1f | %.1f | %.2f | %s |\n", t, e, o, e / o, d}'
done
echo
echo "Evaluation throughput, images/s at batch 256 through the same Session.evaluate, median of $eval_runs alternating" \
  "runs after one warm-up each (ratio: engine / ONNX Runtime; issue 18 asks for at least 0.83, within 1.2x):"
echo
echo "| model | threads | batch | images | engine (images/s) | ONNX Runtime (images/s) | engine / ONNX Runtime | same predictions |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
el=()
[[ "$eval_limit" != 0 ]] && el=(--limit "$eval_limit")
for t in $threads; do
  for m in $eval_models; do
    java ${JAVA_OPTS:--Xmx6g -XX:+UseParallelGC} -cp "$cp" dev.condense.bench.speed.EvalThroughput "$m" --threads "$t" \
      --batch 256 --runs "$eval_runs" "${el[@]}"
  done
done
