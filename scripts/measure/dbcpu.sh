#!/usr/bin/env bash
# PostgreSQL 15's CPU per indexed query on loopback, to check the planner's default
# db_cpu_ms (1 ms per database-using request): `pgbench -S` on a scale-10 database
# (1,000,000 rows, in memory) in the simple, extended and prepared protocols, the server's
# CPU from /proc divided by the transactions.
#   scripts/measure/dbcpu.sh        (about 2 minutes; results in target/measure/dbcpu.jsonl)
# Run as root; keep the machine idle (each run reports other_cpu_pct).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/tools.sh measure

PG_PORT=55433
SECONDS_EACH=${SECONDS_EACH:-20}
OUT=target/measure/dbcpu.jsonl
mkdir -p target/measure
: >"$OUT"

. scripts/measure/servers.sh
trap stop_servers EXIT
start_postgres "$PG_PORT" "shared_buffers = 512MB"
pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -i -s 10 -q postgres >/dev/null 2>&1
# One untimed pass brings the table and its index into shared buffers.
pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -S -n -c 2 -T 5 postgres >/dev/null

for mode in simple extended prepared; do
  for clients in 1 2; do
    python3 scripts/measure/dbcpu.py "$PG_PID" "$PG_PORT" --mode "$mode" --clients "$clients" --seconds "$SECONDS_EACH" | tee -a "$OUT"
  done
done
