#!/usr/bin/env bash
# The engine stress test at ten times the suite's size: 120 random Conv shapes (grouped, strided,
# dilated, asymmetric padding) plus every channel count 1-64, Gemm, BatchNorm and pools, each run
# 12 times and required to give bit-identical outputs and gradients within 1e-4 of float64.
# Both Conv paths (kept and re-unfolded columns, cache-sized and tiny chunks) run.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl condense-engine -am test -Dtest=EngineStressTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dcondense.stress.scale=10 "$@"
grep -h "Tests run" condense-engine/target/surefire-reports/*EngineStressTest*.txt
