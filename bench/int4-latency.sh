#!/usr/bin/env bash
# Issue 16 §5: latency of the 4-bit files against float (and INT8) in ONNX Runtime, for LeNet-300-100
# (the seed-1 files of bench/int4-lenet300.sh) and the ViT (the seed-1 files of bench/int4-vit.sh).
# Each pair is `condense latency FLOAT OTHER` (the two files timed in alternating turns, one session at a
# time, on the same random batch; medians of every timed run), at each batch size in BATCHES and thread
# count in THREADS; ROUNDS rounds, the pairs in reverse order on every second round, and the table gives
# the median over rounds of each median (rows in the order above, per thread count). The MatMulNBits files are timed as they are (Condense does not read
# com.microsoft ops, so their MACs are not counted; the 4-bit files do the float MACs anyway).
# Run it alone on an idle machine; a quick check: ROUNDS=1 BATCHES=1 THREADS=1.
# Usage: bash bench/int4-latency.sh   (ROUNDS=3 BATCHES=1,64 THREADS="1 2"; L300=/tmp/int4-lenet300,
#   VIT=/tmp/int4-vit, OUT=/tmp/int4-latency)
set -euo pipefail
cd "$(dirname "$0")/.."
condense="${CONDENSE:-./condense}"
L300="${L300:-/tmp/int4-lenet300}"
VIT="${VIT:-/tmp/int4-vit}"
OUT="${OUT:-/tmp/int4-latency}"
ROUNDS="${ROUNDS:-3}"
BATCHES="${BATCHES:-1,64}"
THREADS="${THREADS:-1 2}"
mkdir -p "$OUT"
rm -f "$OUT"/*.json
# model|float file|label=file ... (labels name the table rows)
pairs=(
  "LeNet-300-100|$L300/l300-s1.onnx|INT8 QDQ=$L300/l300-s1-int8.onnx|4-bit block 32, matmulnbits=$L300/l300-s1-b32-gptq-matmulnbits.onnx|4-bit block 32, qdq=$L300/l300-s1-b32-gptq-qdq.onnx|4-bit block 128, matmulnbits=$L300/l300-s1-b128-gptq-matmulnbits.onnx"
  "ViT|$VIT/vit.onnx|4-bit MLPs block 32, matmulnbits=$VIT/vit-mlp-b32-gptq-matmulnbits-s1.onnx|4-bit MLPs block 32, qdq=$VIT/vit-mlp-b32-gptq-qdq-s1.onnx|4-bit MLPs block 128, matmulnbits=$VIT/vit-mlp-b128-gptq-matmulnbits-s1.onnx|4-bit MLPs block 128, qdq=$VIT/vit-mlp-b128-gptq-qdq-s1.onnx|4-bit every Gemm/MatMul block 32, matmulnbits=$VIT/vit-all-b32-gptq-matmulnbits-s1.onnx"
)
[[ -f "$VIT/vit-int8.onnx" ]] && pairs[1]+="|INT8 QDQ=$VIT/vit-int8.onnx"
jobs=()
for p in "${pairs[@]}"; do
  IFS='|' read -r -a f <<< "$p"
  for ((i = 2; i < ${#f[@]}; i++)); do
    for file in "${f[1]}" "${f[$i]#*=}"; do
      [[ -f "$file" ]] || { echo "int4-latency: $file is missing; run bench/int4-lenet300.sh and bench/int4-vit.sh first" >&2; exit 1; }
    done
    jobs+=("$(printf %02d ${#jobs[@]})|${f[0]}|${f[1]}|${f[$i]%%=*}|${f[$i]#*=}")
  done
done
for ((round = 1; round <= ROUNDS; round++)); do
  order=("${jobs[@]}")
  if ((round % 2 == 0)); then
    order=(); for ((i = ${#jobs[@]} - 1; i >= 0; i--)); do order+=("${jobs[$i]}"); done
  fi
  for t in $THREADS; do
    for j in "${order[@]}"; do
      IFS='|' read -r idx model float label file <<< "$j"
      tag="$idx-$(echo "$model-$label" | tr -c 'A-Za-z0-9\n' '_')"
      "$condense" latency "$float" "$file" --batch "$BATCHES" --threads "$t" --json --quiet \
        > "$OUT/r$round-t$t-$tag.json"
      /usr/bin/python3 - "$OUT/r$round-t$t-$tag.json" "$model" "$label" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["bench_model"], j["bench_label"] = sys.argv[2], sys.argv[3]
json.dump(j, open(sys.argv[1], "w"))
PY
    done
  done
done
/usr/bin/python3 - "$OUT" <<'PY'
import collections, glob, json, statistics, sys
runs = collections.defaultdict(list)
for path in sorted(glob.glob(sys.argv[1] + "/r*.json")):
    j = json.load(open(path))
    for row in j["latency"]:
        runs[(j["bench_model"], j["bench_label"], j["threads"], row["batch"])].append(row)
print("| model | against float | threads | batch | float ms | model ms | speed-up | rounds |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for (model, label, threads, batch), rows in runs.items():
    med = lambda k: statistics.median(r[k] for r in rows)
    print(f"| {model} | {label} | {threads} | {batch} | {med('original_ms'):.3f} | {med('model_ms'):.3f} | "
          f"{med('speed_up'):.2f}× | {len(rows)} |")
PY
