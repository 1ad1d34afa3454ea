#!/usr/bin/env bash
# Issue 21's reality check: does a plan calibrated on one worker count predict another?
# gunicorn sync with 2, 4 and 8 workers on 127.0.0.1:8799 serving classes_app.py's
# /c/3/5 (3 ms of CPU, then a 5 ms sleep), each swept with wrk (-t1, 6 s per level);
# then `planner calibrate` on the 8-worker sweep and `--check` of that plan, with 2 and 4
# workers, against the other sweeps. Outputs in $OUT (default /tmp/calibrate).
# Needs gunicorn on PATH (the measure venv of scripts/tools.sh) and wrk; an idle machine.
set -euo pipefail
OUT=${OUT:-/tmp/calibrate}
mkdir -p "$OUT"
cd "$(dirname "$0")"
sweep() { # workers, then the connections
  local w=$1; shift
  gunicorn -w "$w" -k sync -b 127.0.0.1:8799 --backlog 2048 classes_app:app >"$OUT/gunicorn-$w.log" 2>&1 &
  local g=$!
  sleep 2
  for c in "$@"; do wrk -t1 -c"$c" -d6s --latency http://127.0.0.1:8799/c/3/5; done >"$OUT/w$w.txt"
  kill "$g"; wait "$g" 2>/dev/null || true
}
sweep 2 1 2 4 8
sweep 4 2 4 8 16
sweep 8 4 8 16 32
HOST="cores=$(nproc)&server=sync&db=none&proxy=none&cache=none"
planner=${PLANNER:-../../target/release/planner}
"$planner" calibrate --plan "$HOST&workers=8" "$OUT/w8.txt" | tee "$OUT/fit8.txt"
plan=$(sed -n 's/^Calibrated plan: //p' "$OUT/fit8.txt")
for w in 2 4; do "$planner" calibrate --check --plan "${plan/workers=8/workers=$w}" "$OUT/w$w.txt"; done
