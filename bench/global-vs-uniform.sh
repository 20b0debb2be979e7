#!/usr/bin/env bash
# Issue 15 §4, "the allocation earns its keep": the global plan (prune-filters --target macs=F: one
# ranking of every group's channels, per-layer floors) against uniform per-layer ratios (--ratio R
# on every convolution) at about the same multiply-adds, on a VGG-16 at width 1/4 trained here on
# Fashion-MNIST. Same criterion (Li's L1) and alignment (ALIGN, default 1: exact counts, so that the
# uniform ratio lands on the target too) for both, seeds 1-3, top-1 straight after
# pruning and after RETRAIN epochs of fine-tuning. Writes bench/results/global-vs-uniform.md (.json).
# Usage: bash bench/global-vs-uniform.sh   (after mvn -B -q -DskipTests package; TARGET=0.5 RATIO=0.3
#   EPOCHS=3 RETRAIN=1 ALIGN=1 by default; WORK=DIR keeps the models, default /tmp/condense-global-vs-uniform)
set -euo pipefail
cd "$(dirname "$0")/.."
C="${CONDENSE:-./condense}"
W="${WORK:-/tmp/condense-global-vs-uniform}"
TARGET="${TARGET:-0.5}"
RATIO="${RATIO:-0.3}"
EPOCHS="${EPOCHS:-3}"
RETRAIN="${RETRAIN:-1}"
ALIGN="${ALIGN:-1}"
mkdir -p "$W"
start=$(date +%s)
q=(--data fashion-mnist --quiet)
[[ -f $W/vgg.onnx ]] || "$C" train vgg-16:width=0.25 "${q[@]}" --epochs "$EPOCHS" --lr 0.05 --batch 64 --schedule cosine \
  --seed 1 --out "$W/vgg.onnx" > /dev/null
"$C" eval "$W/vgg.onnx" "${q[@]}" --json > "$W/base.json"
for seed in 1 2 3; do
  "$C" prune-filters "$W/vgg.onnx" "${q[@]}" --target macs="$TARGET" --criterion l1 --align "$ALIGN" \
    --retrain-epochs "$RETRAIN" --retrain-lr 0.005 --seed "$seed" --json --out "$W/global-$seed.onnx" > "$W/global-$seed.json"
  "$C" prune-filters "$W/vgg.onnx" "${q[@]}" --ratio "$RATIO" --align "$ALIGN" \
    --retrain-epochs "$RETRAIN" --retrain-lr 0.005 --seed "$seed" --json --out "$W/uniform-$seed.onnx" > "$W/uniform-$seed.json"
done
/usr/bin/python3 - "$W" "$TARGET" "$RATIO" "$EPOCHS" "$RETRAIN" "$(( $(date +%s) - start ))" "$ALIGN" <<'PY'
import json, os, statistics, sys
w, target, ratio, epochs, retrain, secs, align = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
load = lambda n: json.load(open(os.path.join(w, n)))
base = load("base.json")["top1"]
rows, out = [], {"base_top1": base, "runs": []}
for plan in ("global", "uniform"):
    for s in (1, 2, 3):
        st = load("%s-%d.json" % (plan, s))["structure"]
        r = st["rounds"][0]
        rows.append((plan, s, st["macs_after"] / st["macs_before"], st["params_after"] / st["params_before"],
                     r["top1_pruned"], r["top1_retrained"], r["channels"]))
        out["runs"].append(dict(plan=plan, seed=s, macs=rows[-1][2], params=rows[-1][3], top1_pruned=r["top1_pruned"],
                                top1_retrained=r["top1_retrained"], channels=r["channels"]))
json.dump(out, open("bench/results/global-vs-uniform.json", "w"), indent=1)
p = print
f = open("bench/results/global-vs-uniform.md", "w")
p = lambda *a: print(*a, file=f)
p("# Global plan against uniform per-layer ratios (issue 15 §4)\n")
p("`bench/global-vs-uniform.sh`: VGG-16 at width 1/4 trained %d epochs on Fashion-MNIST (seed 1, top-1 %.2f%%), then "
  "channels removed by `prune-filters --target macs=%s --criterion l1 --align %s` (the global plan: one ranking of every "
  "group's channels by L1 norm divided by the group's mean, per-layer floor 10%%) or by `prune-filters --ratio %s --align %s` "
  "(the same share of every convolution's filters, Li's L1 choosing which), each followed by %d epoch(s) of fine-tuning at "
  "lr 0.005, seeds 1-3 (the seed drives fine-tuning; the plans are deterministic). Whole run %d min on the 2-core machine, "
  "shared with other jobs at the time.\n" % (epochs, base, target, align, ratio, align, retrain, secs // 60))
p("| plan | seed | MACs kept | params kept | top-1 pruned | top-1 fine-tuned | channels per layer |")
p("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
for r in rows:
    p("| %s | %d | %.3f | %.3f | %.2f%% | %.2f%% | %s |" % (r[0], r[1], r[2], r[3], r[4], r[5],
      ", ".join("%s %d" % kv for kv in r[6].items())))
p("")
for plan in ("global", "uniform"):
    pr = [r[4] for r in rows if r[0] == plan]; ft = [r[5] for r in rows if r[0] == plan]
    p("- **%s**: after pruning %.2f%%; fine-tuned mean %.2f%% (range %.2f–%.2f), %+.2f points against the unpruned %.2f%%."
      % (plan, pr[0], statistics.mean(ft), min(ft), max(ft), statistics.mean(ft) - base, base))
PY
cat bench/results/global-vs-uniform.md
