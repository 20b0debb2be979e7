#!/usr/bin/env bash
# Decode throughput (images/s, 2 threads) of Condense's ImageDecoder against PIL (Debian's
# python3-pil 9.4, 2 worker processes), and of the bare decoders Condense could have used (ImageIO,
# Apache Commons Imaging), on 2,000 PNG and 2,000 JPEG images of 64x64 and of 224x224 generated here.
# Three runs, alternating Java and Python; medians. Writes bench/results/image-decode.md.
# Usage: mvn -B -q -pl bench -am package -DskipTests && bash bench/image-decode.sh [N] [DATA_DIR]
# (package, not install: the bench main runs from bench/target/classes with bench/target/lib.)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
DATA=${2:-/tmp/condense-image-decode}
PY=/usr/bin/python3
CP="bench/target/classes:bench/target/lib/*"
SETS="png64 jpg64 png224 jpg224"
for s in $SETS; do
  fmt=${s:0:3}; size=${s:3}
  if [ ! -d "$DATA/$s" ] || [ "$(ls "$DATA/$s" | wc -l)" -ne "$N" ]; then
    rm -rf "${DATA:?}/$s"
    $PY bench/image-decode.py gen "$DATA/$s" "$N" "$size" "$fmt"
  fi
done
RAW=$(mktemp)
trap 'rm -f "$RAW"' EXIT
for run in 1 2 3; do
  for s in $SETS; do
    java -cp "$CP" dev.condense.bench.ImageDecodeBench "$DATA/$s" 2 "$s" condense imageio commons-imaging | tee -a "$RAW"
    $PY bench/image-decode.py pil "$DATA/$s" 2 "$s" | tee -a "$RAW"
  done
done
mkdir -p bench/results
{
  echo "# Image decode throughput: Condense vs PIL"
  echo
  echo "\`bench/image-decode.sh\` on $(nproc) CPUs ($(date -u +%Y-%m-%d)), $N images per set, 2 threads (Java) /"
  echo "2 worker processes (PIL), images/s, median of 3 runs alternating Java and Python. \`condense\`:"
  echo "\`ImageDecoder.decode\` (file read, header checks, ImageIO, PIL's channel rules to planar bytes);"
  echo "\`imageio\`, \`commons-imaging\`: the bare decoders, bytes to \`BufferedImage\`; \`pil\`:"
  echo "\`Image.open(f).convert('RGB')\`, torchvision ImageFolder's loader. Data: $(du -sh "$DATA" | cut -f1) in $DATA."
  echo
  $PY bench/image-decode.py table "$RAW" -
} > bench/results/image-decode.md
cat bench/results/image-decode.md
