"""An open-loop Poisson load generator with request classes (issue 20), after loadgen.py:
requests arrive at exponential intervals of mean 1/RATE whatever the server answers, each of a
class drawn at random by its share, and a request's latency runs from its scheduled arrival
(a late start of the generator counts against the server, never for it).

A class is NAME:SHARE:CPU_MS:WAIT_MS and is asked as GET /c/CPU_MS/WAIT_MS of classes_app.py;
with --cv 1 each request also carries its own seed (?cv=1&s=N), so the app's exponential draws
of CPU and wait are the same from run to run of one --seed.

Prints one JSON object: per class and overall, the requests that arrived in the measured
window, their latency mean/p50/p95/p99/max, the throughput (answers completed in the window ÷
its length), errors, the CPU the app reported burning (X-Cpu-Ms); the CPU per request of each
process group (--cpu, with descendants) and of the generator itself; the machine's CPU use,
the part of it nobody measured here used (others), and the load average.

  python3 loadgen_classes.py --port 8201 --rate 180 --class light:0.9:2:8 --class slow:0.1:30:0
                             [--cv 0|1] [--warmup 5] [--duration 25] [--seed 1] [--cpu app=PID]
"""
import argparse
import asyncio
import json
import os
import random
import resource
import time

from loadgen import descendants_cpu_s, machine_busy, percentile


def snapshot(groups):
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "t": time.monotonic(),
        "cpu": {name: descendants_cpu_s(pids) for name, pids in groups.items()} | {"loadgen": own.ru_utime + own.ru_stime},
        "machine": machine_busy(),
    }


async def one(port, request, cls, scheduled, timeout, results):
    loop = asyncio.get_running_loop()
    sent = loop.time()
    cpu = None
    try:
        async def exchange():
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            data = await reader.read()
            writer.close()
            return data
        data = await asyncio.wait_for(exchange(), timeout)
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        status = head[0].split(" ")[1] if head and " " in head[0] else "no answer"
        cpu = next((float(h.split(":", 1)[1]) for h in head if h.lower().startswith("x-cpu-ms:")), None)
        error = None if status == "200" else f"HTTP {status}"
    except Exception as e:  # a refused, reset or timed-out request is an error, by kind
        error = type(e).__name__
    results.append((cls, scheduled, sent, loop.time(), error, cpu))


async def run(args, classes, groups):
    loop = asyncio.get_running_loop()
    rng = random.Random(args.seed)
    names = [c["name"] for c in classes]
    weights = [c["share"] for c in classes]
    by_name = {c["name"]: c for c in classes}
    results, tasks, snaps = [], set(), {}
    start = loop.time() + 0.2
    window = (start + args.warmup, start + args.warmup + args.duration)

    async def take(name, at):
        await asyncio.sleep(max(0.0, at - loop.time()))
        snaps[name] = await asyncio.to_thread(snapshot, groups)

    snap_tasks = [asyncio.create_task(take("begin", window[0])), asyncio.create_task(take("end", window[1]))]
    t = start
    n = 0
    while True:
        t += rng.expovariate(args.rate)
        if t >= window[1]:
            break
        name = rng.choices(names, weights)[0]
        c = by_name[name]
        n += 1
        query = f"?cv=1&s={args.seed * 1_000_000 + n}" if args.cv == 1 else ""
        request = (f"GET /c/{c['cpu_ms']:g}/{c['wait_ms']:g}{query} HTTP/1.1\r\n"
                   "Host: measure\r\nConnection: close\r\n\r\n").encode()
        delay = t - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(args.port, request, name, t, args.timeout, results))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*snap_tasks)
    loadavg_end = open("/proc/loadavg").read().split()[:3]
    if tasks:
        await asyncio.wait(tasks)
    return results, window, snaps, loadavg_end


def summary(rs, w0, w1, duration):
    arrived = [r for r in rs if w0 <= r[1] < w1]
    ok = sorted((r[3] - r[1]) * 1000.0 for r in arrived if r[4] is None)
    errors = {}
    for r in arrived:
        if r[4]:
            errors[r[4]] = errors.get(r[4], 0) + 1
    cpus = [r[5] for r in arrived if r[5] is not None]
    mean = sum(ok) / len(ok) if ok else None
    return {
        "arrived": len(arrived),
        "throughput_rps": sum(1 for r in rs if r[4] is None and w0 <= r[3] < w1) / duration,
        "error_pct": 100.0 * sum(errors.values()) / max(1, len(arrived)),
        "errors": errors,
        "mean_ms": mean,
        "p50_ms": percentile(ok, 0.50),
        "p95_ms": percentile(ok, 0.95),
        "p99_ms": percentile(ok, 0.99),
        "max_ms": ok[-1] if ok else None,
        "latency_cv": (sum((x - mean) ** 2 for x in ok) / len(ok)) ** 0.5 / mean if ok else None,
        "burn_mean_ms": sum(cpus) / len(cpus) if cpus else None,
        "send_lag_mean_ms": 1000.0 * sum(r[2] - r[1] for r in arrived) / max(1, len(arrived)),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True, help="the server's port on 127.0.0.1")
    ap.add_argument("--rate", type=float, required=True, help="offered rate, requests per second")
    ap.add_argument("--class", dest="classes", action="append", required=True,
                    help="NAME:SHARE:CPU_MS:WAIT_MS (repeat; shares are relative)")
    ap.add_argument("--cv", type=int, choices=(0, 1), default=0, help="0 constant CPU and wait, 1 exponential draws")
    ap.add_argument("--warmup", type=float, default=5.0, help="seconds before the measured window")
    ap.add_argument("--duration", type=float, default=25.0, help="the measured window, seconds")
    ap.add_argument("--timeout", type=float, default=30.0, help="a request not answered by then is an error, s")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cpu", action="append", default=[], help="NAME=PID,PID: a process group (with descendants)")
    ap.add_argument("--label", action="append", default=[], help="KEY=VALUE copied into the output")
    args = ap.parse_args()
    classes = []
    for spec in args.classes:
        name, share, cpu_ms, wait_ms = spec.split(":")
        classes.append({"name": name, "share": float(share), "cpu_ms": float(cpu_ms), "wait_ms": float(wait_ms)})
    groups = {g.split("=")[0]: {int(p) for p in g.split("=")[1].split(",")} for g in args.cpu}
    loadavg_begin = open("/proc/loadavg").read().split()[:3]

    results, (w0, w1), snaps, loadavg_end = asyncio.run(run(args, classes, groups))
    b, e = snaps["begin"], snaps["end"]
    span = e["t"] - b["t"]
    overall = summary(results, w0, w1, args.duration)
    n = max(1, sum(1 for r in results if r[4] is None and w0 <= r[3] < w1))
    machine = (e["machine"][0] - b["machine"][0]) / max(1, e["machine"][1] - b["machine"][1])
    measured = sum(e["cpu"][k] - b["cpu"][k] for k in e["cpu"]) / (span * os.cpu_count())
    out = dict(kv.split("=", 1) for kv in args.label) | {
        "offered_rps": args.rate,
        "cv": args.cv,
        "seed": args.seed,
        "duration_s": args.duration,
        "classes": classes,
        "overall": overall,
        "per_class": {c["name"]: summary([r for r in results if r[0] == c["name"]], w0, w1, args.duration)
                      for c in classes},
        "cpu_ms_per_request": {k: 1000.0 * (e["cpu"][k] - b["cpu"][k]) / n for k in e["cpu"]},
        "machine_cpu_pct": 100.0 * machine,
        # CPU of everything else on the machine (other people's work), % of the machine.
        "other_cpu_pct": 100.0 * (machine - measured),
        "loadavg_begin": loadavg_begin,
        "loadavg_end": loadavg_end,
    }
    if "app" in out["cpu_ms_per_request"] and overall["burn_mean_ms"] is not None:
        # The server's own CPU per request: the app processes' CPU beyond what the app burned.
        out["overhead_ms"] = out["cpu_ms_per_request"]["app"] - overall["burn_mean_ms"]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
