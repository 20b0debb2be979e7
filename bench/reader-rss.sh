#!/usr/bin/env bash
# Issue 17 §6: peak resident memory of each file reader on adversarial-but-valid inputs. For every
# reader (ONNX, .cdz, IDX raw and gzip, CIFAR-10, .npy, .npz, PNG, YAML recipe) the largest valid
# file a small input may be and the bombs of issue 17, each read once in a fresh JVM with a 256 MB
# heap (as CI fuzzes), under /usr/bin/time -v; records its maximum resident set size, its wall time
# and what the reader said. Writes bench/results/reader-rss.md.
# Usage: mvn -B -q -pl bench -am package -DskipTests && bash bench/reader-rss.sh [HEAP] [DATA_DIR]
# (needs dataset-fashion-mnist for the IDX inputs.)
set -euo pipefail
cd "$(dirname "$0")/.."
HEAP=${1:-256m}
DATA=${2:-/tmp/condense-reader-rss}
CP="bench/target/classes:bench/target/lib/*"
JAVA="java -Xmx$HEAP -XX:+UseParallelGC -cp $CP"
if [ ! -f "$DATA/recipe-bomb-billion-laughs-steps.yaml" ]; then
  java -Xmx1g -cp "$CP" dev.condense.bench.rss.ReaderInputs "$DATA" /usr/share/datasets/fashion-mnist
fi
# reader | input | what it is
CASES="
onnx|onnx-valid-dense-32mib.onnx|valid: one 8192x1024 float weight
onnx|onnx-valid-fold-64mib.onnx|valid: ConstantOfShape folding to 8 Mi elements, the 64 MiB any file may fold to
onnx|onnx-bomb-constantofshape-4gib.onnx|bomb: ConstantOfShape of 2^29 elements
cdz|cdz-valid-dense-32mib.cdz|valid: 8192x1024 random weights, stage P
cdz|cdz-valid-zeros-64mib.cdz|valid: 4096x4095 zeros stored sparse, the 64 MiB any file may decode to
cdz|cdz-bomb-declared-1gib.cdz|bomb: a tensor declared 16384x16384 in a 186-byte file
idx|idx-valid-raw-fashion-mnist|valid: Fashion-MNIST, raw (60,000 + 10,000 images)
idx|idx-bomb-raw-declared|bomb: raw image file declaring 60 million images, holding one
idx|idx-valid-gzip-fashion-mnist|valid: Fashion-MNIST as shipped (gzip)
idx|idx-bomb-gzip-1gib|bomb: 1 MB gzip declaring 60,000 images, inflating to 1 GiB
cifar|cifar-valid-batch-10000.bin|valid: one CIFAR-10 batch of 10,000 images
cifar|cifar-bad-length.bin|refused: a length that is no whole number of records
npy|npy-valid-32mib.npy|valid: float32 8192x1024
npy|npy-bomb-declared-4tib.npy|bomb: header declaring 2^40 elements, 16 bytes of data
npy|npy-bomb-gzip-1gib.npy.gz|bomb: 1 MB gzip .npy inflating to 1 GiB
npz|npz-valid-32mib.npz|valid: one deflated float32 8192x1024 array
npz|npz-bomb-deflated-1gib.npz|bomb: 1 MB entry inflating to 1 GiB
image|image-valid-noise-2048.png|valid: 2048x2048 RGB noise (12 MiB of pixels)
image|image-bomb-zeros-16384.png|bomb: 16384x16384 RGB zeros in 0.8 MB (768 MiB of pixels)
recipe|recipe-valid-1mib.yaml|valid: a recipe at the 1 MiB limit
recipe|recipe-bomb-billion-laughs.yaml|bomb: nine levels of nine YAML aliases as the description
recipe|recipe-bomb-billion-laughs-steps.yaml|bomb: nine levels of nine YAML aliases as the steps
recipe|recipe-bomb-50mb-scalar.yaml|bomb: one 50 MB scalar
"
RAW=$(mktemp)
trap 'rm -f "$RAW" "$RAW.time"' EXIT
while IFS='|' read -r reader input what; do
  [ -z "$reader" ] && continue
  start=$(date +%s.%N)
  said=$(/usr/bin/time -v -o "$RAW.time" $JAVA dev.condense.bench.rss.ReadOne "$reader" "$DATA/$input" 2>&1 | tail -1 || true)
  end=$(date +%s.%N)
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$RAW.time")
  size=$(du -sb "$DATA/$input" | cut -f1)
  said=$(echo "$said" | sed "s|$DATA/||g" | cut -c1-200 | tr '|' '/')
  printf '%s|%s|%s|%s|%s|%.1f|%s\n' "$reader" "$input" "$what" "$size" "$((rss / 1024))" "$(echo "$end - $start" | bc)" "$said" | tee -a "$RAW"
done <<< "$CASES"
mkdir -p bench/results
{
  echo "# Peak resident memory per reader (issue 17 §6)"
  echo
  echo "\`bench/reader-rss.sh\` on $(nproc) CPUs ($(date -u +%Y-%m-%d)), OpenJDK $(java -version 2>&1 | head -1 | cut -d'"' -f2),"
  echo "one fresh JVM per input with \`-Xmx$HEAP -XX:+UseParallelGC\` (as CI fuzzes), the reader called as the CLI"
  echo "calls it (\`dev.condense.bench.rss.ReadOne\`); RSS is /usr/bin/time -v's maximum resident set size of the"
  echo "whole JVM (an empty JVM of this size starts at about 40 MB). Inputs: \`dev.condense.bench.rss.ReaderInputs\`, seed 17."
  echo
  echo "| reader | input | what it is | bytes | peak RSS (MB) | seconds | what the reader said |"
  echo "| --- | --- | --- | ---: | ---: | ---: | --- |"
  while IFS='|' read -r reader input what size rss secs said; do
    echo "| $reader | \`$input\` | $what | $(printf "%'d" "$size") | $rss | $secs | $said |"
  done < "$RAW"
} > bench/results/reader-rss.md
echo "wrote bench/results/reader-rss.md"
