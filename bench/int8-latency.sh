#!/usr/bin/env bash
# Issue 16: ONNX Runtime latency of the INT8 LeNet-5 files of bench/int8-ptq-lenet5.sh against their
# float originals, alone on the machine: `condense latency FLOAT INT8` (one session at a time, the two
# in alternation, medians) at batch 1 and 64, 1 and 2 intra-op threads, for each seed's min-max file.
# Writes bench/results/int8-latency.md. Run it on an idle machine, after int8-ptq-lenet5.sh.
# Usage: bash bench/int8-latency.sh   (CONDENSE=... for another build; WORK=DIR as for int8-ptq-lenet5.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
W="${WORK:-/tmp/int8-ptq-lenet5}"
out=bench/results/int8-latency.md
{
  echo "# ONNX Runtime latency: INT8 (QDQ) LeNet-5 against float"
  echo
  echo "$(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the start; $(date -u +%F)."
  echo "Each cell: float ms / INT8 ms per batch (median) and the speed-up, \`condense latency l5-sN.onnx l5-sN-minmax.onnx\`."
  echo
  echo "| seed | batch | 1 thread | 2 threads |"
  echo "| ---: | ---: | --- | --- |"
} > "$out"
for seed in 1 2 3; do
  for batch in 1 64; do
    row="| $seed | $batch"
    for t in 1 2; do
      j="$("$C" latency "$W/l5-s$seed.onnx" "$W/l5-s$seed-minmax.onnx" --batch "$batch" --threads "$t" --json 2>/dev/null)"
      row="$row | $(/usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1])["latency"][0]; print("%.3f / %.3f ms, %.2fx" % (d["original_ms"], d["model_ms"], d["speed_up"]))' "$j")"
    done
    echo "$row |" >> "$out"
  done
done
cat "$out"
