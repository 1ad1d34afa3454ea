"""The measured runs of fleet.sh beside the planner's figures for the same setup.

The model's inputs are measured once, in the least disturbed run at the lowest rate (they are
the app's and the database's, whatever the replica count): the hold
(the app's pg_sleep round trip, X-Hold-Ms), the app's CPU per request (its gunicorn workers'
CPU ÷ requests: 1 ms of busy loop, the rest gunicorn's and psycopg's, given as cpu_ms = 1
plus overhead_ms), PostgreSQL's CPU per request (db_cpu_ms) and the latency's coefficient of
variation (cv; the model's default is 1). Then `planner report` at each offered rate.

  python3 compare.py RESULTS.jsonl [MORE.jsonl ...] [--workers 4] [--pool 4]
Of several runs at the same replicas and rate (fleet-attempts.jsonl, earlier files), the one
during which others used the least CPU is taken.
"""
import argparse
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLANNER = ROOT / "target/release/planner"
DRIVER_CPU_MS = 0.05  # the model's psycopg CPU per transaction, part of its CPU demand


def plan_query(base, replicas, workers, pool, cv, rate, hold=None):
    hold = base["hold_mean_ms"] if hold is None else hold
    overhead = max(0.0, base["cpu_ms_per_request"]["app"] - 1.0 - DRIVER_CPU_MS)
    db_cpu = min(base["cpu_ms_per_request"]["postgres"], hold)
    return (f"cores=2&server=sync&workers={workers}&replicas={replicas}&db=postgres&db_host=own&db_cores=2"
            f"&pgbouncer=on&pgbouncer_pool={pool}&db_share=100&db_hold_ms={hold:.2f}"
            f"&db_cpu_ms={db_cpu:.2f}&mix=100,0,0&cpu_ms=1,1,1&wait_ms=0,0,0&overhead_ms={overhead:.2f}"
            f"&proxy=none&cache=none&cv={cv:.2f}&rps={rate:g}")


def planner(query):
    if not PLANNER.exists():
        subprocess.run(["cargo", "build", "--release", "--bin", "planner"], cwd=ROOT, check=True)
    out = subprocess.run([str(PLANNER), "report", "--plan", query, "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def fmt(x, digits=0):
    return "–" if x is None else f"{x:,.{digits}f}"


def err(model, measured):
    if model is None or measured is None or measured == 0:
        return "–"
    return f"{100.0 * (model - measured) / measured:+.0f} %"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results", nargs="+")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--pool", type=int, default=4)
    args = ap.parse_args()
    best = {}
    for path in args.results:
        for line in open(path):
            if line.strip():
                run = json.loads(line)
                key = (run["replicas"], run["offered_rps"])
                if key not in best or run["other_cpu_pct"] < best[key]["other_cpu_pct"]:
                    best[key] = run
    runs = list(best.values())
    lowest = min(x["offered_rps"] for x in runs)
    base = min((x for x in runs if x["offered_rps"] == lowest), key=lambda x: x["other_cpu_pct"])

    print("| replicas | offered r/s | measured r/s | model max r/s (every slot busy) | the same, server-side hold | bottleneck | errors | others' CPU |")
    print("|---|---|---|---|---|---|---|---|")
    lat = []
    for r in sorted({x["replicas"] for x in runs}):
        mine = sorted((x for x in runs if x["replicas"] == r), key=lambda x: x["offered_rps"])
        for run in mine:
            m1 = planner(plan_query(base, r, args.workers, args.pool, 1.0, run["offered_rps"]))
            mc = planner(plan_query(base, r, args.workers, args.pool, base["latency_cv"], run["offered_rps"]))
            cap = m1["capacity"]
            # The server connection's own hold: PgBouncer's transaction time less its wait.
            server_hold = base["bouncer_xact_ms"] - base["bouncer_wait_ms"]
            cap_s = planner(plan_query(base, r, args.workers, args.pool, 1.0, run["offered_rps"], server_hold))["capacity"]
            over = run["offered_rps"] > cap["max_rps"]
            print(f"| {r} | {fmt(run['offered_rps'])} | {fmt(run['throughput_rps'])} | {fmt(cap['max_rps'])}"
                  f"{' (' + err(cap['max_rps'], run['throughput_rps']) + ')' if over else ''} | {fmt(cap_s['max_rps'])}"
                  f"{' (' + err(cap_s['max_rps'], run['throughput_rps']) + ')' if over else ''} | {cap['bottleneck']} | "
                  f"{run['error_pct']:.1f} % | {run['other_cpu_pct']:.0f} % |")
            if not over:
                lat.append((r, run, m1["latency_ms"], mc["latency_ms"], base["latency_cv"]))
    print()
    print("| replicas | rate r/s | mean: measured / model (cv=1) / model (cv measured) | p95: measured / model / model | p99: measured / model / model |")
    print("|---|---|---|---|---|")
    for r, run, m1, mc, cv in lat:
        cells = []
        for k in ("mean", "p95", "p99"):
            meas = run[f"{k}_ms"]
            cells.append(f"{fmt(meas, 1)} / {fmt(m1[k], 1)} ({err(m1[k], meas)}) / {fmt(mc[k], 1)} ({err(mc[k], meas)})")
        print(f"| {r} | {fmt(run['offered_rps'])} | " + " | ".join(cells) + " |")
    print()
    for r in sorted({x["replicas"] for x in runs}):
        print(f"replicas {r}: inputs from {base['replicas']} replica(s) at {base['offered_rps']:g} r/s: hold {base['hold_mean_ms']:.2f} ms (app), {base['bouncer_xact_ms'] - base['bouncer_wait_ms']:.2f} ms"
              f" (server); plan {plan_query(base, r, args.workers, args.pool, base['latency_cv'], base['offered_rps'])}")


if __name__ == "__main__":
    main()
