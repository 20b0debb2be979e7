#!/usr/bin/env bash
# Does `condense demo` meet its own target (>= 40x smaller than the dense ONNX file, top-1 within
# 0.3 points of the dense model) on both GEMMs and on several seeds? Runs the demo for seeds 1-3 with
# OpenBLAS and with the pure-Java GEMM (-Dcondense.blas=native / java), 2 threads, and prints one
# table row per run (results: bench/results/demo-seeds.md). About 2 minutes a run with OpenBLAS and
# 4 in pure Java on 2 cores.
# Usage: bash bench/demo-seeds.sh
#   SEEDS="1 2 3" BACKENDS="native java" THREADS=2   the runs (defaults shown)
#   RECIPE=FILE.yaml   run `condense compress lenet-300-100 --recipe FILE --gap-bits auto` instead of
#                      the demo (the same run for the packed recipe: byte-identical .cdz), to try a recipe
#   CONDENSE=... for another build; WORK=DIR for the runs' files (default /tmp/condense-demo-seeds)
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
W="${WORK:-/tmp/condense-demo-seeds}"
mkdir -p "$W"
echo "| backend | seed | dense top-1 | final top-1 | change | .cdz bytes | ratio | target | wall |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
for backend in ${BACKENDS:-native java}; do
  for seed in ${SEEDS:-1 2 3}; do
    name="$W/$backend-s$seed"
    if [[ -n ${RECIPE:-} ]]; then
      cmd=(compress lenet-300-100 --recipe "$RECIPE" --gap-bits auto --out "$name.cdz")
    else
      cmd=(demo --out "$name")
    fi
    start=$(date +%s)
    JAVA_OPTS="-Xmx6g -XX:+UseParallelGC -Dcondense.blas=$backend" \
      "$C" "${cmd[@]}" --seed "$seed" --threads "${THREADS:-2}" --json > "$name.json" 2> "$name.err" \
      || { echo "$backend, seed $seed: failed (exit $?); $name.err:" >&2; tail -5 "$name.err" >&2; exit 1; }
    python3 - "$name.json" "$backend" "$seed" "$(( $(date +%s) - start ))" <<'EOF'
import json, sys
dc = json.load(open(sys.argv[1]))["deep_compression"]
dense, final, ratio = dc["top1_reference"], dc["top1_after"], dc["ratio_pqh"]
change = round(final - dense, 2)
met = "met" if ratio >= 40 and change >= -0.3 else "**not met**"
print(f"| {sys.argv[2]} | {sys.argv[3]} | {dense:.2f}% | {final:.2f}% | {change:+.2f} | "
      f"{dc['cdz_bytes_pqh']:,} | {ratio:.1f}x | {met} | {sys.argv[4]} s |")
EOF
  done
done
