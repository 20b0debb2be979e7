#!/usr/bin/env bash
# Byte-identity check for changes that must not change results (issue 12's restructuring): runs
# every shipped recipe and each compression command on small data with a fixed seed and thread
# count, and prints the sha256 of every written file (models, .cdz, sensitivity CSVs).
# Run it with the code before and after a change and diff the two listings:
#   bench/house-check.sh /path/to/old/checkout /tmp/before > before.txt
#   bench/house-check.sh .                      /tmp/after  > after.txt
#   diff before.txt after.txt        # no output: the same files, bit for bit
# CONDENSE_CHECK_DEMO=1 also runs the full demo (~75 s). Both checkouts must be built
# (mvn -B -q -DskipTests package). About 6 minutes on two cores.
set -euo pipefail
repo="$(cd "${1:?usage: house-check.sh CHECKOUT OUTDIR}" && pwd)"
out="${2:?usage: house-check.sh CHECKOUT OUTDIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rm -rf "$out"; mkdir -p "$out"
run() {
  echo "condense $*" >>"$out/log.txt"
  (cd "$here" && "$repo/condense" "$@" --seed 1 --threads 2 --quiet >>"$out/log.txt" 2>&1) \
    || { echo "FAILED: condense $*" >&2; tail -3 "$out/log.txt" >&2; exit 1; }
}
M="--limit 1000"
F="--data fashion-mnist --limit 1000"
# Trained inputs for the recipes and commands that start from a trained model.
run train lenet-5 $F --epochs 2 --out "$out/l5f.onnx"
run train lenet-5 $M --epochs 2 --out "$out/l5.onnx"
run train lenet-300-100 $M --epochs 2 --out "$out/l300.onnx"
for r in "$here"/recipes/*.yaml; do
  name="$(basename "$r" .yaml)"
  data="$M"; [[ "$name" == *fashion* ]] && data="$F"
  model=lenet-5; [[ "$name" == *lenet-300-100* ]] && model=lenet-300-100
  if ! grep -q '^ *- train:' "$r"; then
    model="$out/l5.onnx"; [[ "$name" == *fashion* ]] && model="$out/l5f.onnx"
  fi
  ext=onnx; grep -q 'quantize' "$r" && ext=cdz
  run compress "$model" --recipe "$r" $data --out "$out/$name.$ext" --report "$out/$name.md"
done
run compress "$out/l300.onnx" --method deep-compression $M --rounds 2 --retrain-epochs 1 --quantize-epochs 1 \
  --out "$out/dc-method.onnx"
run prune "$out/l5.onnx" $M --sparsity 0.8 --rounds 2 --retrain-epochs 1 --out "$out/prune.onnx" --report "$out/prune.md"
run prune "$out/l300.onnx" $M --han --gradual --retrain-epochs 2 --distill --out "$out/prune-gradual.onnx"
run prune "$out/l5.onnx" $M --global 0.9 --freeze conv --remove-dead --retrain-epochs 1 --out "$out/prune-global.onnx"
run trim "$out/l5.onnx" $M --iterations 2 --layers ip1 --stds 0 --retrain-epochs 1 --out "$out/trim.onnx" --report "$out/trim.md"
run prune-filters vgg-16:width=0.125 $M --ratio 0.3 --align 8 --retrain-epochs 1 --out "$out/pf-vgg.onnx" --report "$out/pf-vgg.md"
run prune-filters resnet-20:width=0.5 $M --ratio 0.3 --streams --rounds 2 --retrain-epochs 1 --out "$out/pf-resnet.onnx"
run channel-prune vgg-16:width=0.125 $M --method he --speedup 2 --retrain-epochs 1 --out "$out/cp-he.onnx" --report "$out/cp-he.md"
run channel-prune resnet-20:width=0.5 $M --method thinet --keep 0.5 --layer-epochs 1 --layer-images 200 --retrain-epochs 0 \
  --out "$out/cp-thinet.onnx"
run channel-prune vgg-16:width=0.125 $M --method l1 --keep 0.5 --gap-head --retrain-epochs 1 --distill --out "$out/cp-gap.onnx"
run vq "$out/l300.onnx" $M --method pq --fine-tune-epochs 1 --out "$out/vq-pq.cdz" --report "$out/vq-pq.md"
run vq "$out/l5.onnx" $M --method kmeans --conv --out "$out/vq-km.onnx"
run sensitivity "$out/l5.onnx" $M --sparsities 0,0.5,0.9 --out "$out/sens"
run sensitivity vgg-16:width=0.125 $M --filters --sparsities 0,0.5 --out "$out/sens-filters"
if [[ "${CONDENSE_CHECK_DEMO:-0}" == 1 ]]; then
  (cd "$out" && "$repo/condense" demo >>"$out/log.txt" 2>&1)
fi
cd "$out"
for f in $(ls | grep -E '\.(onnx|cdz|csv)$' | sort); do sha256sum "$f"; done
