#!/usr/bin/env bash
# Instructions per run of each piece of tests/instructions.rs, counted by valgrind's
# callgrind (N runs less 0 runs, so the test binary's start is not counted). Unlike times,
# the counts do not move with the machine's load: two builds compare on a busy machine.
# Usage: scripts/instructions.sh [N]   (N runs of each, 10 by default)
set -euo pipefail
n=${1:-10}
command -v valgrind >/dev/null || { echo "instructions: needs valgrind (apt install valgrind)" >&2; exit 2; }
bin=$(cargo test --release --locked --test instructions --no-run --message-format=json 2>/dev/null \
  | grep -o '"executable":"[^"]*/instructions-[^"]*"' | tail -1 | cut -d'"' -f4)
count() {
  N=$2 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" --ignored --exact "$1" --test-threads=1 2>&1 \
    | grep -oP 'Collected : \K[0-9]+'
}
for t in full_three_tiers throughput_curve latency_series outcome_default; do
  a=$(count "$t" 0); b=$(count "$t" "$n")
  printf 'instructions: %-18s %12d per run\n' "$t" $(( (b - a) / n ))
done
