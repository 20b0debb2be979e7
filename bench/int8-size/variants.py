# Further savings on an INT8 file of the new layout, measured by rewriting it: Q/DQ nodes without
# names, base-36 counters (standard form), the bias scales a Mul node could compute instead (not
# standard form), the float graph's own names, the Gemm weight zero points. Usage: variants.py FILE.onnx...
import onnx, sys, copy, re, string
D = string.digits + string.ascii_lowercase
def b36(n):
    s = ""
    while True:
        s = D[n % 36] + s; n //= 36
        if n == 0: return s
def size(m): return len(m.SerializeToString())
for path in sys.argv[1:]:
    m = onnx.load(path); g = m.graph
    base = size(m)
    # 1. Q/DQ nodes without names (node names are optional in ONNX)
    a = copy.deepcopy(m)
    for n in a.graph.node:
        if n.op_type in ("QuantizeLinear", "DequantizeLinear"): n.name = ""
    nameless = size(a)
    # 2. base-36 counters for the writer's names
    b = copy.deepcopy(m)
    pat = re.compile(r"^([QDqdszwbf])(\d+)$")
    orig = set()
    for n in g.node:
        if n.op_type not in ("QuantizeLinear", "DequantizeLinear"): orig.add(n.name)
    def ren(v):
        mm = pat.match(v)
        return mm.group(1) + b36(int(mm.group(2))) if mm and v not in orig else v
    for n in b.graph.node:
        if n.op_type in ("QuantizeLinear", "DequantizeLinear"): n.name = ren(n.name)
        for i, v in enumerate(n.input): n.input[i] = ren(v)
        for i, v in enumerate(n.output): n.output[i] = ren(v)
    for t in b.graph.initializer: t.name = ren(t.name)
    base36 = size(b)
    # 3. what the bias scales (s_x * s_w, one float per channel) cost as initializers
    inits = {t.name: t for t in g.initializer}
    bias_scale = 0; bias_dq = 0
    for n in g.node:
        if n.op_type == "DequantizeLinear" and n.input[0] in inits and inits[n.input[0]].data_type == 6:
            bias_scale += len(inits[n.input[1]].SerializeToString()) + 2
            bias_dq += 1
    # 4. names of the float graph's own nodes and values, all their occurrences
    own = 0
    added_nodes = {n.name for n in g.node if n.op_type in ("QuantizeLinear", "DequantizeLinear")}
    for n in g.node:
        if n.name not in added_nodes:
            own += len(n.name)
            own += sum(len(v) for v in n.output if not pat.match(v))
        own += sum(len(v) for v in n.input if v and not pat.match(v))
    gemm_zp = 0
    for n in g.node:
        if n.op_type == "DequantizeLinear" and len(n.input) == 3 and n.input[0] in inits and inits[n.input[0]].data_type == 3:
            gemm_zp += len(inits[n.input[2]].SerializeToString()) + 2 + len(n.input[2]) + 1
    print(f"{path.split('/')[-1]}: {base:,} B; nameless Q/DQ -{base-nameless:,} B ({100*(base-nameless)/base:.2f}%); "
          f"base-36 counters -{base-base36:,} B ({100*(base-base36)/base:.2f}%); bias scales {bias_scale:,} B in {bias_dq} tensors "
          f"({100*bias_scale/base:.2f}%); float graph's own names {own:,} chars ({100*own/base:.2f}%); Gemm weight zero points ~{gemm_zp:,} B")
