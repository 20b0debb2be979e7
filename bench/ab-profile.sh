#!/usr/bin/env bash
# A/B of two builds of the engine on the same training steps: alternating JVMs (A, B, A, B, ...),
# each one TrainProfile run; prints per run the ms per step and the op-kind shares, then the
# median ms per step of each build. A and B are folders holding classes/ and lib/ copied from
# bench/target after `mvn -B -q -pl bench -am package -DskipTests` at the two commits.
# Usage: bash bench/ab-profile.sh A_DIR B_DIR MODEL [BATCH] [THREADS] [RUNS] [STEPS]
# (resnet-20 at 5 runs × 20 steps: about 2 minutes on the idle 2-core machine).
set -euo pipefail
A=$1; B=$2; MODEL=$3; BATCH=${4:-64}; THREADS=${5:-2}; RUNS=${6:-5}; STEPS=${7:-20}
declare -A ms
for run in $(seq 1 "$RUNS"); do
  for side in A B; do
    dir=$A; [ "$side" = B ] && dir=$B
    out=$(java -cp "$dir/classes:$dir/lib/*" dev.condense.bench.speed.TrainProfile "$MODEL" --batch "$BATCH" \
      --threads "$THREADS" --warmup 5 --steps "$STEPS" --top 0)
    t=$(echo "$out" | grep -o '[0-9.]* ms per step' | cut -d' ' -f1)
    ms[$side]="${ms[$side]:-} $t"
    echo "run $run $side: $t ms/step; $(echo "$out" | grep -E '^\| (Conv|BatchNormalization|Relu) ' | awk -F'|' '{printf "%s %s; ", $2, $3}')"
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mA=$(echo "${ms[A]}" | median); mB=$(echo "${ms[B]}" | median)
echo "median ms/step: A $mA, B $mB, B/A $(awk -v a="$mA" -v b="$mB" 'BEGIN {printf "%.3f", b/a}')"
