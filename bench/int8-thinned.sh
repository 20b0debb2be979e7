#!/usr/bin/env bash
# Issue 16 §5: "Thinned + INT8 ResNet-56: the two speed-ups multiply (within 20%)". Four files of
# one model: F (float), T (F thinned by prune-filters --target macs=…), I (F in INT8) and TI (T in
# INT8). Each pair (F,T), (F,I), (F,TI) is timed by `condense latency` (ONNX Runtime, one session
# at a time, the two in alternation, medians) ROUNDS times in alternation; each cell is the median
# of the rounds. The product of the thinning and INT8 speed-ups is set beside the measured speed-up
# of TI. Run it alone on the machine.
# Usage: bash bench/int8-thinned.sh F.onnx T.onnx I.onnx TI.onnx   (ROUNDS=3, BATCHES="1 64", THREADS="1 2")
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
ROUNDS="${ROUNDS:-3}"
F="$1"; T="$2"; I="$3"; TI="$4"
echo "$(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the start; $(date -u '+%F %H:%M') UTC."
echo "F $(basename "$F"), T $(basename "$T"), I $(basename "$I"), TI $(basename "$TI")."
echo
echo "| batch | threads | F ms | T ms | I ms | TI ms | thinning × | INT8 × | product | thinned+INT8 × (measured) | measured / product |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for batch in ${BATCHES:-1 64}; do
  for t in ${THREADS:-1 2}; do
    rows=()
    for r in $(seq "$ROUNDS"); do
      for m in "$T" "$I" "$TI"; do
        rows+=("$("$C" latency "$F" "$m" --batch "$batch" --threads "$t" --json --quiet 2>/dev/null)")
      done
    done
    /usr/bin/python3 - "$batch" "$t" "${rows[@]}" <<'PY'
import json, statistics as st, sys
b, t, rest = sys.argv[1], sys.argv[2], [json.loads(x)["latency"][0] for x in sys.argv[3:]]
f = st.median(d["original_ms"] for d in rest)
tm, im, tim = (st.median(d["model_ms"] for d in rest[k::3]) for k in range(3))
# each pair's own speed-up (its F timed beside it), medians over the rounds
sp = [st.median(d["original_ms"] / d["model_ms"] for d in rest[k::3]) for k in range(3)]
print(f"| {b} | {t} | {f:.3f} | {tm:.3f} | {im:.3f} | {tim:.3f} | {sp[0]:.2f}× | {sp[1]:.2f}× | {sp[0]*sp[1]:.2f}× | "
      f"{sp[2]:.2f}× | {sp[2]/(sp[0]*sp[1]):.2f} |")
PY
  done
done
