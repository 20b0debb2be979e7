#!/usr/bin/env bash
# Issue 16 §5, latency: the INT8 files of bench/int8-models.sh (seed 1, min-max unless TAG says
# otherwise) against their float originals in ONNX Runtime (`condense latency FLOAT INT8`: one
# session at a time, the two in alternation, medians), beside PyTorch 1.13 float and INT8 (oneDNN) of
# the same weights (bench/int8-peer/torch_ptq_peer.py latency), at batch 1 and 64, 1 and 2 threads.
# The Condense and PyTorch measurements alternate ROUNDS times; each cell is the median of the
# rounds' medians. Run it alone on the machine, after bench/int8-models.sh.
# Usage: bash bench/int8-models-latency.sh   (MODELS=..., MODELDIR as for int8-models.sh, TAG=s1-minmax, ROUNDS=3)
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
D="${MODELDIR:-/tmp/int8-models}"
MODELS="${MODELS:-lenet-5 vgg-16-4 resnet-20 resnet-56 mobilenet_v2}"
TAG="${TAG:-s1-minmax}"
ROUNDS="${ROUNDS:-3}"
echo "$(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the start; $(date -u '+%F %H:%M') UTC; INT8 files: $TAG."
echo
echo "| model | batch | threads | ORT float ms | ORT INT8 ms | ORT speed-up | PyTorch float ms | PyTorch INT8 ms | PyTorch INT8 speed-up | ORT INT8 / PyTorch INT8 time |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for m in $MODELS; do
  for batch in 1 64; do
    for t in 1 2; do
      rows=()
      for r in $(seq "$ROUNDS"); do
        c="$("$C" latency "$D/$m.onnx" "$D/$m-int8-$TAG.onnx" --batch "$batch" --threads "$t" --json 2>/dev/null)"
        p="$(/usr/bin/python3 bench/int8-peer/torch_ptq_peer.py latency "$m" "$D" "$D/calib-${TAG%%-*}.npz" "$batch" "$t" 1)"
        rows+=("$c" "$p")
      done
      /usr/bin/python3 - "$m" "$batch" "$t" "${rows[@]}" <<'PY'
import json, statistics as st, sys
m, b, t, rest = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
ort = [json.loads(x)["latency"][0] for x in rest[0::2]]
pt = [json.loads(x) for x in rest[1::2]]
of, oi = st.median(d["original_ms"] for d in ort), st.median(d["model_ms"] for d in ort)
pf, pi = st.median(d["float_ms"] for d in pt), st.median(d["int8_ms"] for d in pt)
print(f"| {m} | {b} | {t} | {of:.3f} | {oi:.3f} | {of/oi:.2f}× | {pf:.3f} | {pi:.3f} | {pf/pi:.2f}× | {oi/pi:.2f} |")
PY
    done
  done
done
