#!/usr/bin/env bash
# Issue 16 §4: thinning and INT8 composed. For each model (LeNet-5 trained EPOCHS epochs, default 5;
# resnet-20:shortcut=b trained 1 epoch; MODELS="lenet-5" for the first only) on Fashion-MNIST:
#   float        the trained model
#   thinned      `condense prune-filters --ratio RATIO` (default 0.5, L1 filters, its default retraining)
#   INT8         `condense quantize` (min-max, 512 calibration images, uint8 activations) of the float model
#   thinned+INT8 the same of the thinned model
# Columns: top-1 in ONNX Runtime on the test split, multiply-adds per sample and the share ONNX Runtime
# runs in integer kernels, the ONNX file size and, for the INT8 ones, the .cdz file (int8 weights) and
# the .cdz runtime's top-1 and agreement with ONNX Runtime; then latency: ONNX Runtime
# (`condense latency FLOAT OTHER` per variant, medians, alternated with the float model) and the .cdz runtime (bench CdzLatency: the
# float ONNX, the thinned ONNX and the two INT8 .cdz files in alternation, median ms per batch), at
# batch 1 and 64 and 1 and 2 threads. Latency needs an idle machine: run it alone.
# Writes bench/results/int8-compose.md. Build first: mvn -B -q -pl bench -am package -DskipTests (no install).
# Usage: bash bench/int8-compose.sh   (CONDENSE=..., WORK=DIR, MODELS=..., RATIO=..., EPOCHS=..., LATENCY=0 to skip
# latency, LIMIT=N for a quick run on the first N training and test images)
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
W="${WORK:-/tmp/int8-compose}"
ratio="${RATIO:-0.5}"
out=bench/results/int8-compose.md
mkdir -p "$W"
py=/usr/bin/python3
lim=()
[[ -z "${LIMIT:-}" ]] || lim=(--limit "$LIMIT")
{
  echo "# Thinned and INT8 composed (issue 16 §4)"
  echo
  echo "$(lscpu | grep 'Model name' | sed 's/  */ /g'), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the start; $(date -u +%F)."
  echo "Fashion-MNIST${LIMIT:+ (first $LIMIT training and test images)}, test split; prune-filters --ratio $ratio; quantize min-max, 512 calibration images."
  echo
  echo "| model | variant | ORT top-1 | MACs/sample | integer MACs | ONNX bytes | .cdz bytes | .cdz runtime top-1 (agreement with ORT) |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
} > "$out"
for model in ${MODELS:-lenet-5 resnet-20:shortcut=b}; do
  tag="${model//[:=,]/-}"
  epochs="${EPOCHS:-5}"
  [[ "$model" == lenet-5 ]] || epochs=1
  f="$W/$tag.onnx"
  t="$W/$tag-thin.onnx"
  [[ -f "$f" ]] || "$C" train "$model" --data fashion-mnist "${lim[@]}" --epochs "$epochs" --lr 0.02 --batch 32 --schedule cosine \
    --seed 1 --out "$f" --quiet > /dev/null
  [[ -f "$t" ]] || "$C" prune-filters "$f" --data fashion-mnist "${lim[@]}" --ratio "$ratio" --seed 1 --out "$t" --quiet > /dev/null
  for v in "$tag" "$tag-thin"; do
    "$C" eval "$W/$v.onnx" --data fashion-mnist "${lim[@]}" --runtime ort --json > "$W/$v-eval.json"
    "$C" quantize "$W/$v.onnx" --data fashion-mnist "${lim[@]}" --calibration 512 --seed 1 --out "$W/$v-int8.onnx" --json > "$W/$v-int8.json"
    "$C" quantize "$W/$v.onnx" --data fashion-mnist "${lim[@]}" --calibration 512 --seed 1 --out "$W/$v-int8.cdz" --json > "$W/$v-int8-cdz.json"
  done
  $py - "$W" "$tag" "$model" >> "$out" <<'PY'
import json, os, sys
w, tag, model = sys.argv[1:]
for v, name in ((tag, "float"), (tag + "-thin", "thinned")):
    e = json.load(open(f"{w}/{v}-eval.json"))["ort"]  # condense eval reports percent
    q = json.load(open(f"{w}/{v}-int8.json"))
    c = json.load(open(f"{w}/{v}-int8-cdz.json"))
    print(f"| {model} | {name} | {e['top1']:.2f}% | {q['macs']:,} | — | {os.path.getsize(f'{w}/{v}.onnx'):,} | — | — |")
    print(f"| {model} | {name}+INT8 | {100*q['int8_ort_top1']:.2f}% | {q['macs']:,} | {100*q['integer_mac_share']:.1f}% | "
          f"{q['int8_bytes']:,} | {c['cdz_bytes']:,} | {100*c['cdz_top1']:.2f}% ({100*c['cdz_ort_agreement']:.2f}%) |")
PY
done
if [[ "${LATENCY:-1}" != 0 ]]; then
  {
    echo
    echo "## Latency (median ms per batch)"
    echo
    echo "| model | runtime | batch | threads | float | thinned | INT8 | thinned+INT8 |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  } >> "$out"
  for model in ${MODELS:-lenet-5 resnet-20:shortcut=b}; do
    tag="${model//[:=,]/-}"
    for batch in 1 64; do
      for th in 1 2; do
        row="| $model | ONNX Runtime | $batch | $th"
        first=1
        for v in "$tag-thin.onnx" "$tag-int8.onnx" "$tag-thin-int8.onnx"; do
          j="$("$C" latency "$W/$tag.onnx" "$W/$v" --batch "$batch" --threads "$th" --json 2>/dev/null)"
          if [[ $first == 1 ]]; then
            row="$row | $($py -c 'import json,sys; print("%.3f" % json.loads(sys.argv[1])["latency"][0]["original_ms"])' "$j")"
            first=0
          fi
          row="$row | $($py -c 'import json,sys; d=json.loads(sys.argv[1])["latency"][0]; print("%.3f (%.2fx)" % (d["model_ms"], d["speed_up"]))' "$j")"
        done
        echo "$row |" >> "$out"
        reps=$(( batch == 1 ? 200 : 30 ))
        r="$(java -cp "bench/target/classes:bench/target/lib/*" dev.condense.bench.CdzLatency "$batch" "$th" "$reps" \
          "$W/$tag.onnx" "$W/$tag-thin.onnx" "$W/$tag-int8.cdz" "$W/$tag-thin-int8.cdz" | awk '{printf " | %s", $2}')"
        echo "| $model | .cdz runtime | $batch | $th$r |" >> "$out"
      done
    done
  done
fi
cat "$out"
