"""The pod CPU quota, measured beside the model: for each load run of quota.sh
(target/measure/quota.jsonl) the planner's report of the same plan at the offered rate, and a
markdown table of p50/p95/p99 measured and modelled, the model's error ((model - measured) /
measured) at each, and the CFS throttling the run met (periods throttled of periods run, the
time throttled; warm-up included).

  python3 scripts/measure/quota_model.py target/measure/quota.jsonl [MORE.jsonl ...] [--planner target/debug/planner]

The plan per run: a Kubernetes pod on a 2-core node, gunicorn sync with the run's workers, its
quota as `pod_cpu` (none for the control, pod_cpu 0: the node's 2 cores), the run's one class
(CPU and sleep, cv 0) as the model's first (the others at share 0), the offered rate, no
database, cache or proxy, and the server's overhead from the case's calibration run (the null
class's app CPU per request, to 0.01 ms). The last column is the same plan without the quota
(`pod_cpu=0`, the node's 2 CPUs at full speed): what the model says if the quota did nothing.
The loopback and HTTP fixed cost (the null class's latency, about 2 ms) is in the measured
figures only.
"""
import json
import subprocess
import sys


def plan(run, overhead_ms, pod_cpu):
    c = run["classes"][0]
    return "&".join([
        "platform=k8s", "cores=2", "ram=8", "server=sync", f"workers={run['workers']}",
        f"pod_cpu={pod_cpu:g}", "pod_mem=1", "replicas=1",
        "mix=100,0,0", f"cpu_ms={c['cpu_ms']:g},1,1", f"wait_ms={c['wait_ms']:g},0,0", "cv=0",
        f"overhead_ms={overhead_ms:.2f}", "db=none", "cache=none", "proxy=none",
        f"rps={run['offered_rps']:g}",
    ])


def model(planner, query, rate):
    out = subprocess.run([planner, "report", "--plan", query, "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    lat = json.loads(out)["latency_ms"]
    if lat["rate_rps"] != rate:
        sys.exit(f"the report's rate {lat['rate_rps']} is not the offered {rate}: {query}")
    return None if lat["over_capacity"] else lat


def ms(xs):
    return "/".join("–" if x is None else f"{x:.1f}" for x in xs)


def err(model_x, measured_x):
    if model_x is None:
        return "over"
    e = round((model_x - measured_x) / measured_x * 100)
    return "0 %" if e == 0 else f"{e:+d} %".replace("-", "−")


def main():
    args = sys.argv[1:]
    planner = "target/debug/planner"
    if "--planner" in args:
        i = args.index("--planner")
        planner = args[i + 1]
        del args[i:i + 2]
    paths = args or ["target/measure/quota.jsonl"]
    # Each file is one quota.sh invocation: its load runs take their case's calibration from it.
    runs = [json.loads(line) | {"file": i} for i, p in enumerate(paths) for line in open(p) if line.strip()]
    overhead = {(r["file"], r["pod_cpu"], r["workers"]): r["overhead_ms"] for r in runs if r["kind"] == "calibration"}
    print("| pod_cpu | workers | r/s (% of quota) | seed | measured p50/p95/p99 ms | model p50/p95/p99 ms "
          "| error p50/p95/p99 | throttled periods | throttled ms | model without the quota |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in (r for r in runs if r["kind"] == "load"):
        q = float(r["pod_cpu"])
        cal = overhead[(r["file"], r["pod_cpu"], r["workers"])]
        m = r["overall"]
        measured = [m["p50_ms"], m["p95_ms"], m["p99_ms"]]
        lat = model(planner, plan(r, cal, q), r["offered_rps"])
        predicted = [None] * 3 if lat is None else [lat["p50"], lat["p95"], lat["p99"]]  # None: over capacity
        errors = "over capacity" if lat is None else "/".join(err(p, x) for p, x in zip(predicted, measured))
        if q > 0:
            free = model(planner, plan(r, cal, 0), r["offered_rps"])
            unquoted = ms([None] * 3 if free is None else [free["p50"], free["p95"], free["p99"]])
        else:
            unquoted = "(the control)"
        cfs = r["cfs"]
        share = f"{cfs['nr_throttled']}/{cfs['nr_periods']}" if q > 0 else "–"
        tms = f"{cfs['throttled_ms']:.0f}" if q > 0 else "–"
        print(f"| {'none' if q == 0 else f'{q:g}'} | {r['workers']} | {r['offered_rps']:g} ({r['pct']} %) | {r['seed']} "
              f"| {ms(measured)} | {ms(predicted)} | {errors} | {share} | {tms} | {unquoted} |")
    cals = [r for r in runs if r["kind"] == "calibration"]
    print()
    for r in cals:
        m = r["overall"]
        print(f"calibration (file {r['file'] + 1}), pod_cpu {r['pod_cpu']}, {r['workers']} workers: overhead {r['overhead_ms']:.2f} ms, "
              f"null latency p50/p95/p99 {ms([m['p50_ms'], m['p95_ms'], m['p99_ms']])} ms")
    others = [r["other_cpu_pct"] for r in runs]
    print(f"others' CPU during the runs: at most {max(others):.1f} % of the machine; "
          f"errors: {sum(r['overall']['error_pct'] for r in runs):.1f} % summed")


if __name__ == "__main__":
    main()
