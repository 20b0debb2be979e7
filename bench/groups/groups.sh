#!/bin/sh
# Issue 15 §1: channel groups of today's torchvision architectures, and what L1 filter pruning
# reaches on them. Exports the models of export.py (random weights), then for each prints a
# Markdown row: channel groups, prunable groups, the pin reasons (kind: count), and the share of
# multiply-adds `condense prune-filters --ratio 0.25 --retrain-epochs 0` removes. A model that
# the command refuses gets its error.
#
# Usage (repository root, after `mvn -B -q -DskipTests package`):
#   bench/groups/groups.sh [WORKDIR] [SIDE]     (default /tmp/condense-groups, 32)
# Needs /usr/bin/python3 with torch 1.13 and torchvision 0.14 for the export (not the CI).
set -eu
work=${1:-/tmp/condense-groups}
side=${2:-32}
here=$(dirname "$0")
[ -f "$work/googlenet.onnx" ] || /usr/bin/python3 "$here/export.py" "$work" "$side" >/dev/null 2>&1
echo "| model | groups | prunable | MACs before | MACs after | removed | pinned because (groups) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
for m in mobilenet_v2 efficientnet_b0 regnet_x_400mf mobilenet_v3_small shufflenet_v2_x0_5 resnext50_32x4d densenet121 googlenet; do
  ./condense info "$work/$m.onnx" --json --quiet >"$work/$m-info.json" 2>"$work/$m-info.err" || true
  if ./condense prune-filters "$work/$m.onnx" --out "$work/$m-pf.onnx" --ratio 0.25 --data "cifar10:$work/data" \
      --retrain-epochs 0 --json --quiet >"$work/$m-pf.json" 2>"$work/$m-pf.err"; then ok=1; else ok=0; fi
  /usr/bin/python3 - "$work" "$m" "$ok" <<'PY'
import collections, json, re, sys
work, m, ok = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
info = json.load(open("%s/%s-info.json" % (work, m)))
groups = info["channel_groups"]
why = collections.Counter()
for g in groups:
    if g["pinned"]:
        # the kind of reason: node and tensor names replaced, so equal causes count together
        why[re.sub(r"'[^']*'", "'…'", re.sub(r"node \S+", "node …", g["pinned"]))] += 1
reasons = "; ".join("%s (%d)" % (k, v) for k, v in why.most_common())
if ok:
    s = json.load(open("%s/%s-pf.json" % (work, m)))["structure"]
    b, a = s["macs_before"], s["macs_after"]
    cells = "%d | %d | %.1f%%" % (b, a, 100 * (1 - a / b))
else:
    err = open("%s/%s-pf.err" % (work, m)).read().strip().splitlines()
    cells = " | | refused: " + (err[-1][:120] if err else "?")
print("| %s | %d | %d | %s | %s |" % (m, len(groups), sum(1 for g in groups if not g["pinned"]), cells, reasons))
PY
done
