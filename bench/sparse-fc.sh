#!/usr/bin/env bash
# JMH: a pruned FC layer as a sparse CSR product over a codebook vs dense products (pure Java,
# OpenBLAS, ONNX Runtime), batch 1 and 64, one thread each. Writes bench/results/sparse-fc.{txt,json}.
# Usage: mvn -B -q -DskipTests install && bash bench/sparse-fc.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main SparseFcBench \
  -rf json -rff bench/results/sparse-fc.json | tee bench/results/sparse-fc.txt
