# Where the bytes of an INT8 ONNX file are: tensor data by element type (scalars apart), initializer
# headers and names, and nodes by op type. Usage: breakdown.py FILE.onnx
import onnx, sys
from collections import Counter
m = onnx.load(sys.argv[1]); g = m.graph
inits = {t.name: t for t in g.initializer}
cat = Counter()
for t in g.initializer:
    n = len(t.raw_data) + 4*len(t.float_data)+8*len(t.int64_data)+4*len(t.int32_data)
    key = {1: "float", 3: "int8", 2: "uint8", 6: "int32", 7: "int64"}[t.data_type]
    size = 1
    for d in t.dims: size *= d
    cat[key + ("-scalar" if size == 1 else "")] += n
    cat["init-overhead"] += len(t.SerializeToString()) - n
for n in g.node:
    cat["node-" + n.op_type] += len(n.SerializeToString())
print(sys.argv[1].split('/')[-1], len(m.SerializeToString()), dict(cat))
