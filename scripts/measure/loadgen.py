"""An open-loop Poisson load generator: requests arrive at exponential intervals of mean
1/RATE whatever the servers answer (a closed loop at a fixed concurrency would wait for
answers and hide the queue), each to a replica picked at random. A request's latency runs
from its scheduled arrival, so a late start of the generator counts against the servers,
never for them.

Prints one JSON object: the offered rate, the throughput (answers completed in the measured
window ÷ its length), errors, latency mean/p50/p95/p99 of the requests that arrived in the
window, the app's X-Hold-Ms (the pg_sleep round trip), PgBouncer's own averages (SHOW STATS),
the CPU per request of each process group, the machine's CPU use and its load average.

  python3 loadgen.py --ports 8001,8002 --rate 300 [--warmup 3] [--duration 20]
                     [--cpu app=PID,PID --cpu postgres=PID ...] [--bouncer PORT]
"""
import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import time

REQUEST = b"GET / HTTP/1.1\r\nHost: measure\r\nConnection: close\r\n\r\n"
TICK = os.sysconf("SC_CLK_TCK")


def percentile(sorted_xs, q):
    if not sorted_xs:
        return None
    i = min(len(sorted_xs) - 1, max(0, round(q * len(sorted_xs) + 0.5) - 1))
    return sorted_xs[i]


def descendants_cpu_s(roots):
    """CPU seconds (user + system) of the processes `roots` and every descendant alive now."""
    parent, cpu = {}, {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(d)] = int(fields[1])
        cpu[int(d)] = (int(fields[11]) + int(fields[12])) / TICK
    total = 0.0
    for pid in cpu:
        p = pid
        while p > 1 and p not in roots:
            p = parent.get(p, 0)
        if p in roots:
            total += cpu[pid]
    return total


def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v) - idle, sum(v)


def bouncer_stats(port):
    """PgBouncer's SHOW STATS totals of the measured database (counts, microseconds)."""
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-A", "-F", "\t",
                          "-c", "SHOW STATS", "pgbouncer"], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    head = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(head, line.split("\t")))
        if row.get("database") == "postgres":
            return {k: int(row[k]) for k in ("total_xact_count", "total_xact_time", "total_wait_time")}
    return None


def snapshot(groups, bouncer):
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "t": time.monotonic(),
        "cpu": {name: descendants_cpu_s(pids) for name, pids in groups.items()} | {"loadgen": own.ru_utime + own.ru_stime},
        "machine": machine_busy(),
        "bouncer": bouncer_stats(bouncer) if bouncer else None,
    }


async def one(port, scheduled, timeout, results):
    loop = asyncio.get_running_loop()
    sent = loop.time()
    try:
        async def exchange():
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(REQUEST)
            data = await reader.read()
            writer.close()
            return data
        data = await asyncio.wait_for(exchange(), timeout)
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        status = head[0].split(" ")[1] if head and " " in head[0] else "no answer"
        hold = next((float(h.split(":", 1)[1]) for h in head if h.lower().startswith("x-hold-ms:")), None)
        error = None if status == "200" else f"HTTP {status}"
    except Exception as e:  # a refused, reset or timed-out request is an error, by kind
        error, hold = type(e).__name__, None
    results.append((scheduled, sent, loop.time(), error, hold))


async def run(args, groups):
    loop = asyncio.get_running_loop()
    rng = random.Random(args.seed)
    ports = [int(p) for p in args.ports.split(",")]
    results, tasks, snaps = [], set(), {}
    start = loop.time() + 0.2
    window = (start + args.warmup, start + args.warmup + args.duration)

    async def take(name, at):
        await asyncio.sleep(max(0.0, at - loop.time()))
        snaps[name] = await asyncio.to_thread(snapshot, groups, args.bouncer)

    snap_tasks = [asyncio.create_task(take("begin", window[0])), asyncio.create_task(take("end", window[1]))]
    t = start
    while True:
        t += rng.expovariate(args.rate)
        if t >= window[1]:
            break
        delay = t - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(rng.choice(ports), t, args.timeout, results))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*snap_tasks)
    loadavg_end = open("/proc/loadavg").read().split()[:3]
    if tasks:
        await asyncio.wait(tasks)
    return results, window, snaps, loadavg_end


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ports", required=True, help="the replicas' ports, comma-separated")
    ap.add_argument("--rate", type=float, required=True, help="offered rate, requests per second")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds before the measured window")
    ap.add_argument("--duration", type=float, default=20.0, help="the measured window, seconds")
    ap.add_argument("--timeout", type=float, default=30.0, help="a request not answered by then is an error, s")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cpu", action="append", default=[], help="NAME=PID,PID: a process group (with descendants)")
    ap.add_argument("--bouncer", type=int, help="PgBouncer's port, for SHOW STATS")
    args = ap.parse_args()
    groups = {g.split("=")[0]: {int(p) for p in g.split("=")[1].split(",")} for g in args.cpu}
    loadavg_begin = open("/proc/loadavg").read().split()[:3]

    results, (w0, w1), snaps, loadavg_end = asyncio.run(run(args, groups))
    arrived = [r for r in results if w0 <= r[0] < w1]
    ok = sorted((r[2] - r[0]) * 1000.0 for r in arrived if r[3] is None)
    done_in_window = sum(1 for r in results if r[3] is None and w0 <= r[2] < w1)
    errors = {}
    for r in arrived:
        if r[3]:
            errors[r[3]] = errors.get(r[3], 0) + 1
    holds = sorted(r[4] for r in arrived if r[4] is not None)
    b, e = snaps["begin"], snaps["end"]
    span = e["t"] - b["t"]
    n = max(1, done_in_window)
    out = {
        "replicas": len(args.ports.split(",")),
        "offered_rps": args.rate,
        "arrived": len(arrived),
        "throughput_rps": done_in_window / args.duration,
        "error_pct": 100.0 * sum(errors.values()) / max(1, len(arrived)),
        "errors": errors,
        "mean_ms": sum(ok) / len(ok) if ok else None,
        "p50_ms": percentile(ok, 0.50),
        "p95_ms": percentile(ok, 0.95),
        "p99_ms": percentile(ok, 0.99),
        "max_ms": ok[-1] if ok else None,
        "latency_cv": (sum((x - sum(ok) / len(ok)) ** 2 for x in ok) / len(ok)) ** 0.5 / (sum(ok) / len(ok)) if ok else None,
        "hold_mean_ms": sum(holds) / len(holds) if holds else None,
        "hold_p50_ms": percentile(holds, 0.5),
        "send_lag_mean_ms": 1000.0 * sum(r[1] - r[0] for r in arrived) / max(1, len(arrived)),
        "cpu_ms_per_request": {k: 1000.0 * (e["cpu"][k] - b["cpu"][k]) / n for k in e["cpu"]},
        "machine_cpu_pct": 100.0 * (e["machine"][0] - b["machine"][0]) / max(1, e["machine"][1] - b["machine"][1]),
        "machine_cpu_ms_per_request": 1000.0 * span * os.cpu_count()
        * (e["machine"][0] - b["machine"][0]) / max(1, e["machine"][1] - b["machine"][1]) / n,
        # CPU of everything else on the machine (other people's work), % of the machine.
        "other_cpu_pct": 100.0 * ((e["machine"][0] - b["machine"][0]) / max(1, e["machine"][1] - b["machine"][1])
                                  - sum(e["cpu"][k] - b["cpu"][k] for k in e["cpu"]) / (span * os.cpu_count())),
        "loadavg_begin": loadavg_begin,
        "loadavg_end": loadavg_end,
    }
    if b["bouncer"] and e["bouncer"]:
        x = e["bouncer"]["total_xact_count"] - b["bouncer"]["total_xact_count"]
        out["bouncer_xact_rps"] = x / span
        out["bouncer_xact_ms"] = (e["bouncer"]["total_xact_time"] - b["bouncer"]["total_xact_time"]) / 1000.0 / max(1, x)
        out["bouncer_wait_ms"] = (e["bouncer"]["total_wait_time"] - b["bouncer"]["total_wait_time"]) / 1000.0 / max(1, x)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
