#!/usr/bin/env bash
# Two builds' bench binaries (`cargo bench --bench capacity --no-run`, copied aside) side by
# side: each round runs A then B on the same benches for a second each, so a change of the
# machine's speed (it moves by half within minutes here) falls on both alike. Prints each
# bench's median over the rounds, and B's median ratio to A within a round.
# Usage: scripts/bench-ab.sh A B ['^full/(small|medium|large)$'] [rounds, 8 by default]
set -euo pipefail
a=$1 b=$2 filter=${3:-'^full/(small|medium|large)$'} rounds=${4:-8}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for r in $(seq "$rounds"); do
  for side in a b; do
    bin=$a; [ "$side" = b ] && bin=$b
    "$bin" --bench --warm-up-time 0.3 --measurement-time 1 "$filter" 2>/dev/null \
      | awk -v r="$r" -v s="$side" '/time:/ { name = ($1 == "time:") ? last : $1; v = ($1 == "time:") ? $4 : $5; u = ($1 == "time:") ? $5 : $6;
          if (u == "ns") v /= 1000; if (u == "ms") v *= 1000; print name, r, s, v } { last = $1 }' >>"$tmp/all"
  done
done
python3 - "$tmp/all" <<'PY'
import statistics, sys
from collections import defaultdict
runs = defaultdict(dict)
for line in open(sys.argv[1]):
    name, r, side, v = line.split()
    runs[name].setdefault(r, {})[side] = float(v)
for name in sorted(runs):
    rs = runs[name].values()
    a = [x["a"] for x in rs if "a" in x]
    b = [x["b"] for x in rs if "b" in x]
    ratio = [x["b"] / x["a"] for x in rs if "a" in x and "b" in x]
    print(f"{name:28} A {statistics.median(a):8.2f} µs   B {statistics.median(b):8.2f} µs   B/A {statistics.median(ratio):.3f} (median of {len(ratio)} rounds)")
PY
