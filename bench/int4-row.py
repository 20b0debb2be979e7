"""One markdown row of bench/int4-lenet300.sh and bench/int4-vit.sh from a `condense quantize --json` report.

Usage: int4-row.py REPORT.json SEED LABEL each|summary — the layer output errors one by one
(a few layers) or as mean / max (many layers).
"""
import json
import sys

j = json.load(open(sys.argv[1]))
e = j.get("int4_engine_top1", j.get("int8_engine_top1"))
o = j.get("int4_ort_top1", j.get("int8_ort_top1"))
b = j.get("int4_bytes", j.get("int8_bytes"))
f = j["float_top1"]
errs = list(j.get("layer_output_error", {}).values())
if not errs:
    err = "–"
elif sys.argv[4] == "each":
    err = " / ".join(f"{v:.4f}" for v in errs)
else:
    err = f"{sum(errs) / len(errs):.4f} / {max(errs):.4f}"
print(f"| {sys.argv[2]} | {sys.argv[3]} | {100*f:.2f}% | {100*e:.2f}% | {100*o:.2f}% | {100*(o-f):+.2f} | "
      f"{100*j['ort_agreement']:.2f}% | {err} | {j['float_bytes']:,} | {b:,} | {j['float_bytes']/b:.2f}× |")
