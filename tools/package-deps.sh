#!/usr/bin/env bash
# Prints which dev.condense package uses which other dev.condense package, one "from -> to (n files)"
# line per pair, counting import lines and fully-qualified names written inline in code (comment lines
# starting with *, // or /* are skipped). Main sources only (src/main/java of every module).
# condense-core's LayeringTest enforces the rules on the same picture. Usage: tools/package-deps.sh [repo-root]
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"
find . -path '*/src/main/java/dev/condense/*' -name '*.java' -not -path './.git/*' | sort | while read -r f; do
  pkg=$(sed -n 's/^package \(dev\.condense[a-zA-Z0-9_.]*\);.*/\1/p' "$f" | head -1)
  # every dev.condense.x.y.Name occurrence (imports and inline), reduced to its package
  { grep -v -e '^package ' -e '^[[:space:]]*\(\*\|//\|/\*\)' "$f" | grep -o 'dev\.condense\(\.[a-z][a-zA-Z0-9_]*\)*\.[A-Z*]' \
    | sed 's/\.[A-Z*]$//' | sort -u || true; } | while read -r dep; do
      if [ "$dep" != "$pkg" ]; then echo "$pkg -> $dep"; fi
    done
done | sort | uniq -c | awk '{printf "%-28s -> %-28s (%d files)\n", $2, $4, $1}'
