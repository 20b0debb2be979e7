#!/usr/bin/env bash
# Does the per-layer latency table (--latency-table) make a multiply-add target's plan faster in
# ONNX Runtime? The same --target macs=F plan with and without it (criterion l2, no retraining:
# latency depends on the shapes, not the weights, so the untrained zoo model serves): kept counts
# per group, multiply-adds, then the two thinned models timed against each other in alternation
# (condense latency: medians, one session at a time) at batch 1 and 64, REPEATS times.
# Writes bench/results/latency-table.md. Run it on an idle machine; tiny settings (LIMIT=100
# REPEATS=1) only check that it runs.
# Usage: bash bench/latency-table.sh   (CONDENSE=... another build; MODEL=resnet-20 or vgg-16:width=0.25;
#        TARGET=macs=0.5; THREADS=1; TABLE_BATCH=1 (the batch the layers are timed at); REPEATS=3; LIMIT=100;
#        CACHE=DIR to keep the table between runs, default a temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
M="${MODEL:-resnet-20}"
TGT="${TARGET:-macs=0.5}"
T="${THREADS:-1}"
TB="${TABLE_BATCH:-1}"
R="${REPEATS:-3}"
L="${LIMIT:-100}"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
CACHE="${CACHE:-$W/cache}"
out=bench/results/latency-table.md
q=(--data fashion-mnist --limit "$L" --target "$TGT" --retrain-epochs 0 --no-verify --threads "$T" --seed 1 --quiet)
s0=$(date +%s)
"$C" prune-filters "$M" "${q[@]}" --out "$W/plain.onnx" --report "$W/plain.md" > /dev/null
s1=$(date +%s)
"$C" prune-filters "$M" "${q[@]}" --latency-table --latency-batch "$TB" --latency-cache "$CACHE" \
  --out "$W/table.onnx" --report "$W/table.md" > /dev/null
s2=$(date +%s)
"$C" prune-filters "$M" "${q[@]}" --latency-table --latency-batch "$TB" --latency-cache "$CACHE" \
  --out "$W/table2.onnx" --report "$W/table2.md" > /dev/null
s3=$(date +%s)
for i in $(seq 1 "$R"); do
  "$C" latency "$W/plain.onnx" "$W/table.onnx" --batch 1,64 --threads "$T" --json > "$W/ab-$i.json"
done
/usr/bin/python3 - "$W" "$M" "$TGT" "$T" "$TB" "$R" "$L" $((s1 - s0)) $((s2 - s1)) $((s3 - s2)) > "$out" <<'PY'
import json, subprocess, sys, statistics, datetime
w, model, target, threads, tb, repeats, limit, t_plain, t_table, t_cached = sys.argv[1:]
plain = json.load(open(f"{w}/plain.json"))["structure"]
table = json.load(open(f"{w}/table.json"))["structure"]
cpu = subprocess.run("lscpu | grep 'Model name' | sed 's/  */ /g'", shell=True, capture_output=True, text=True).stdout.strip()
print(f"# Latency table on {model}: `--target {target}` with and without `--latency-table`")
print()
print(f"{cpu}, ONNX Runtime with {threads} intra-op thread(s); layers tabled at batch {tb}; LIMIT={limit}, "
      f"REPEATS={repeats}; {datetime.date.today()} (`bench/latency-table.sh`).")
print()
print(f"Planning took {t_plain} s without the table, {t_table} s with it (timing the table), {t_cached} s with "
      "the cached table (each including the report's own timing of the model at batch 1 and 64).")
if int(repeats) < 3:  # LIMIT only sizes the evaluation: no retraining, latency depends on shapes
    print("**A check run (few repeats, tiny settings, possibly a loaded machine): it shows the script works, "
          "not what the table gains. Rerun idle with the defaults.**")
    print()
rows = table["rounds"][-1].get("latency_table", [])
pk = plain["rounds"][-1]["channels"]
print("| group | channels | kept, plain | ranked, table | kept, table | tabled ms, ranked | tabled ms, kept |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for r in rows:
    print(f"| {r['group']} | {r['channels']} | {pk.get(r['group'], '?')} | {r['ranked']} | {r['kept']}"
          f"{' (moved)' if r['kept'] != r['ranked'] else ''} | {r['tabled_ms_ranked']:.4f} | {r['tabled_ms_kept']:.4f} |")
print()
print(f"Multiply-adds kept: plain {plain['macs_after'] / plain['macs_before']:.3f}, "
      f"table {table['macs_after'] / table['macs_before']:.3f} of {plain['macs_before']:,}.")
print()
print("Whole model in ONNX Runtime, the plain plan's model against the table's, in alternation (median ms per batch):")
print()
print("| batch | run | plain ms | table ms | table's speed-up |")
print("| ---: | ---: | ---: | ---: | ---: |")
ups = {}
for i in range(1, int(repeats) + 1):
    ab = json.load(open(f"{w}/ab-{i}.json"))
    for x in ab["latency"]:
        ups.setdefault(x["batch"], []).append(x["speed_up"])
        print(f"| {x['batch']} | {i} | {x['original_ms']:.3f} | {x['model_ms']:.3f} | {x['speed_up']:.3f}x |")
print()
for b, u in ups.items():
    print(f"Batch {b}: median speed-up of the table's plan over the plain one {statistics.median(u):.3f}x over {len(u)} run(s).")
print()
for name, s in (("plain", plain), ("table", table)):
    for x in s["latency"]:
        print(f"- {name} against the original, batch {x['batch']}: {x['speed_up']:.2f}x (report's timing)")
PY
cat "$out"
