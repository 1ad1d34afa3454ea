#!/usr/bin/env bash
# A Kubernetes pod's CPU limit, measured (issue 22's reality check): gunicorn sync on loopback
# running classes_app.py inside a cgroup-v1 CPU controller group with a CFS quota of q cores
# (cpu.cfs_quota_us = q × 100000 per cpu.cfs_period_us = 100000 µs, the Kubernetes default
# period), under loadgen_classes.py's open-loop Poisson load of one class that burns CPU_MS of
# CPU then sleeps WAIT_MS (constant, cv 0), at RATE_PCTS % of the quota's CPU capacity
# (q ÷ CPU_MS: 100 r/s for 0.5 core and 5 ms). Cases are Q:WORKERS[:BASE_Q]: the worker count is
# the model's for that pod (2 × q + 1, rounded down: 2 for 0.5 core, 3 for 1 core), so the same
# number goes into the model's `workers=`. Q = 0 is the control: the same server and cgroup
# with no quota (cfs_quota_us = -1), at the rates of BASE_Q. Each server start first runs a
# calibration: the null class (/c/0/0) at CALIBRATION_RATE, whose app CPU per request is the
# server's own overhead (the model's `overhead_ms`).
#   scripts/measure/quota.sh                         0.5 core × 2 workers, 1 core × 3 workers,
#                                                    and the no-quota control at 0.5's rates
#                                                    (about 12 minutes)
#   CASES="0.5:2" RATE_PCTS="40" DURATION=20 scripts/measure/quota.sh
# Results: one JSON line per run in target/measure/quota.jsonl, each with the cgroup's cpu.stat
# deltas over the run, warm-up included (cfs.nr_periods, cfs.nr_throttled, cfs.throttled_ms);
# the table, beside the model, from
#   python3 scripts/measure/quota_model.py target/measure/quota.jsonl --planner PLANNER
# and the budget-per-period mechanism alone, simulated: scripts/measure/quota_sim.py (README,
# "Pod CPU quota, measured").
#
# Run as root, cgroup v1's cpu controller mounted at /sys/fs/cgroup/cpu (CGROUP below is created
# and removed on exit). gunicorn's master enters the group before it forks its workers (a shell
# writes its own pid into cgroup.procs, then execs gunicorn), so the workers inherit it; the load
# generator stays outside. As classes.sh: others' compilers and their autogroups are set to
# niceness 19 before every run and put back at the end; other_cpu_pct and the load average are
# recorded with each run.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/tools.sh measure

CASES=${CASES-0.5:2 1:3 0:2:0.5}
RATE_PCTS=${RATE_PCTS-20 40 60}
CPU_MS=${CPU_MS:-5}
WAIT_MS=${WAIT_MS:-10}
WARMUP=${WARMUP:-5}
DURATION=${DURATION:-60}
CALIBRATION_RATE=${CALIBRATION_RATE:-50}
SEED=${SEED:-1}
PORT=8202
CGROUP=/sys/fs/cgroup/cpu/podq
OUT=${OUT:-target/measure/quota.jsonl}
PY=.tools/measure/bin/python
mkdir -p target/measure
: >"$OUT"
ulimit -n "$(ulimit -Hn)"

APP_PID=
RENICED=()
GROUPS_NICED=()
OWN_GROUP=$(awk '{print $1}' /proc/$$/autogroup 2>/dev/null || true)
cleanup() {
  if [ -n "$APP_PID" ]; then kill -TERM "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  local entry group p
  for entry in "${RENICED[@]}"; do renice -n "${entry#*:}" -p "${entry%%:*}" >/dev/null 2>&1 || true; done
  for entry in "${GROUPS_NICED[@]}"; do
    group=${entry%:*}
    for p in /proc/[0-9]*; do
      [ "$(awk '{print $1}' "$p/autogroup" 2>/dev/null)" = "$group" ] || continue
      echo "${entry##*:}" >"$p/autogroup" 2>/dev/null && break
    done
  done
  if [ -d "$CGROUP" ]; then # any process left in it back to the root group, then the group away
    while read -r p; do echo "$p" >/sys/fs/cgroup/cpu/cgroup.procs 2>/dev/null || true; done <"$CGROUP/cgroup.procs"
    rmdir "$CGROUP" 2>/dev/null || echo "could not remove $CGROUP" >&2
  fi
}
trap cleanup EXIT
trap 'exit 143' INT TERM

deprioritise_compilers() { # as classes.sh
  local pid nice comm group gnice
  while read -r pid nice comm; do
    case "$comm" in
      cargo|rustc|cc1|cc1plus|cc|gcc|c++|g++|clang|ld|ld.lld|ld.gold|rust-lld|lld|collect2|as|wasm-opt|wasm-bindgen|trunk|build-script-bu*) ;;
      *) continue ;;
    esac
    if [ "$nice" != 19 ] && renice -n 19 -p "$pid" >/dev/null 2>&1; then RENICED+=("$pid:$nice"); fi
    read -r group _ gnice <"/proc/$pid/autogroup" 2>/dev/null || continue
    [ "$group" != "$OWN_GROUP" ] && [ "$gnice" != 19 ] || continue
    echo 19 >"/proc/$pid/autogroup" 2>/dev/null && GROUPS_NICED+=("$group:$gnice")
  done < <(ps -eo pid=,ni=,comm=)
}

wait_port() {
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}

set_quota() { # q in cores (0: none)
  mkdir -p "$CGROUP"
  echo 100000 >"$CGROUP/cpu.cfs_period_us"
  if [ "$(awk -v q="$1" 'BEGIN { print (q > 0) }')" = 1 ]; then
    awk -v q="$1" 'BEGIN { printf "%d\n", q * 100000 }' >"$CGROUP/cpu.cfs_quota_us"
  else
    echo -1 >"$CGROUP/cpu.cfs_quota_us"
  fi
}

start_server() { # workers
  # The shell enters the group, then becomes gunicorn: master and workers are all inside.
  bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' _ "$CGROUP" \
    $PY -m gunicorn --chdir scripts/measure -k sync -w "$1" -b "127.0.0.1:$PORT" \
    --backlog 4096 --timeout 120 --log-level warning classes_app:app &
  APP_PID=$!
  wait_port "$PORT"
  local n # the master and its workers, all in the group (the workers fork after the bind)
  for _ in $(seq 100); do
    n=$(wc -l <"$CGROUP/cgroup.procs")
    [ "$n" -eq $(($1 + 1)) ] && return 0
    sleep 0.1
  done
  echo "$n processes in $CGROUP, expected $(($1 + 1))" >&2; exit 1
}

stop_server() {
  kill -TERM "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=
}

cfs() { awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $1, $2 }' "$CGROUP/cpu.stat"; }

point() { # q workers kind rate, then the classes
  local q=$1 workers=$2 kind=$3 rate=$4; shift 4
  deprioritise_compilers
  echo "q $q, $workers workers, $kind, $rate r/s (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  local before after
  before=$(cfs)
  $PY scripts/measure/loadgen_classes.py --port "$PORT" --rate "$rate" --cv 0 --seed "$SEED" \
    --warmup "$WARMUP" --duration "$DURATION" --cpu "app=$APP_PID" \
    --label "server=sync" --label "pod_cpu=$q" --label "workers=$workers" --label "kind=$kind" \
    "$@" >target/measure/quota.point.json
  after=$(cfs)
  $PY -c '
import json, sys
b, a = (dict(kv.split("=") for kv in s.split()) for s in sys.argv[1:3])
d = {k: int(a[k]) - int(b[k]) for k in a if k in b}
run = json.load(open(sys.argv[3]))
run["cfs"] = {"nr_periods": d.get("nr_periods", 0), "nr_throttled": d.get("nr_throttled", 0),
              "throttled_ms": d.get("throttled_time", 0) / 1e6}
print(json.dumps(run))' "$before" "$after" target/measure/quota.point.json >>"$OUT"
  rm -f target/measure/quota.point.json
  sleep 1
}

for case in $CASES; do
  IFS=: read -r q workers base <<<"$case"
  base=${base:-$q}
  set_quota "$q"
  start_server "$workers"
  WARMUP=3 DURATION=15 point "$q" "$workers" calibration "$CALIBRATION_RATE" --class null:1:0:0
  for pct in $RATE_PCTS; do
    rate=$(awk -v p="$pct" -v q="$base" -v c="$CPU_MS" 'BEGIN { printf "%g", p / 100 * q * 1000 / c }')
    point "$q" "$workers" load "$rate" --class req:1:"$CPU_MS":"$WAIT_MS" --label "pct=$pct"
  done
  stop_server
done
echo "results in $OUT" >&2
