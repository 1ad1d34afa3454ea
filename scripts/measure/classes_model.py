"""Latency per request class, measured beside the model: for each mix run of classes.sh
(target/measure/classes.jsonl) the planner's report of the same plan at the offered rate, and a
markdown table of p50/p95/p99 per class and overall, with the model's p95 and p99 error
((model - measured) / measured).

  python3 scripts/measure/classes_model.py target/measure/classes.jsonl [--planner target/debug/planner]

The plan per run: 2 cores, the server as classes.sh starts it, the run's classes as the model's
first two (the third at share 0), its cv and offered rate, no database, cache or proxy, and the
server's overhead from its calibration run (the null class's app CPU per request, to 0.01 ms).
The loopback and HTTP fixed cost (the null class's 1.7-2.4 ms) is in the measured figures only.
"""
import json
import subprocess
import sys

ORDER = {"sync": 0, "gthread": 1, "gevent": 2}
# As classes.sh starts them (gevent: --worker-connections 1000, the model's default for it).
SERVERS = {
    "sync": "server=sync&workers=5",
    "gthread": "server=gthread&workers=2&threads=4",
    "gevent": "server=gevent&workers=2",
}


def plan(run, overhead_ms):
    classes = run["classes"]
    if len(classes) > 3:
        sys.exit(f"{len(classes)} classes: the model has 3")
    pad = [{"share": 0.0, "cpu_ms": 1.0, "wait_ms": 0.0}] * (3 - len(classes))
    cs = classes + pad
    join = lambda xs: ",".join(f"{x:g}" for x in xs)
    return "&".join([
        "cores=2", SERVERS[run["server"]],
        "mix=" + join(round(c["share"] * 100, 6) for c in cs),
        "cpu_ms=" + join(max(c["cpu_ms"], 0.01) for c in cs),
        "wait_ms=" + join(c["wait_ms"] for c in cs),
        f"cv={run['cv']:g}", f"overhead_ms={overhead_ms:.2f}",
        "db=none", "cache=none", "proxy=none",
        f"rps={run['offered_rps']:g}",
    ])


def model(planner, query, rate):
    out = subprocess.run([planner, "report", "--plan", query, "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    lat = json.loads(out)["latency_ms"]
    if lat["rate_rps"] != rate:
        sys.exit(f"the report's rate {lat['rate_rps']} is not the offered {rate}: {query}")
    if lat["over_capacity"]:
        return None
    if lat["database"]:
        sys.exit(f"database time {lat['database']} ms in a plan without a database: {query}")
    return lat


def ms(xs):
    return "/".join("–" if x is None else f"{x:.1f}" for x in xs)


def err(model_x, measured_x):
    if model_x is None:
        return "over capacity"
    e = round((model_x - measured_x) / measured_x * 100)
    return "0 %" if e == 0 else f"{e:+d} %".replace("-", "−")


def main():
    args = sys.argv[1:]
    planner = "target/debug/planner"
    if "--planner" in args:
        i = args.index("--planner")
        planner = args[i + 1]
        del args[i:i + 2]
    paths = args or ["target/measure/classes.jsonl"]
    runs = [json.loads(line) for p in paths for line in open(p) if line.strip()]
    overhead = {(r["server"], r["run"]): r["overhead_ms"] for r in runs if r["kind"] == "calibration"}
    key = lambda r: (ORDER.get(r["server"], 9), r["cv"], r["offered_rps"], r["run"])
    mix = sorted((r for r in runs if r["kind"] == "mix"), key=key)

    several = len({r["run"] for r in mix}) > 1  # a run column only when there are several
    print("| server | cv | r/s |" + (" run |" if several else "") + " class | measured p50/p95/p99 ms "
          "| model p50/p95/p99 ms | p95 error | p99 error |")
    print("|---|---|---|" + ("---|" if several else "") + "---|---|---|---|---|")
    for r in mix:
        cal = overhead.get((r["server"], r["run"]))
        if cal is None:  # no calibration in this run: the server's from the other runs
            cals = [v for (srv, _), v in overhead.items() if srv == r["server"]]
            if not cals:
                sys.exit(f"no calibration run of {r['server']}")
            cal = sum(cals) / len(cals)
        query = plan(r, cal)
        lat = model(planner, query, r["offered_rps"])
        names = [c["name"] for c in r["classes"]]
        for i, name in enumerate(names + ["all"]):
            m = r["overall"] if name == "all" else r["per_class"][name]
            measured = [m["p50_ms"], m["p95_ms"], m["p99_ms"]]
            if lat is None:
                predicted = [None] * 3
            else:
                s = lat if name == "all" else lat["classes"][i]
                predicted = [s["p50"], s["p95"], s["p99"]]
            run = f" {r['run']} |" if several else ""
            print(f"| {r['server']} | {r['cv']} | {r['offered_rps']:g} |{run} {name} | {ms(measured)} "
                  f"| {ms(predicted)} | {err(predicted[1], measured[1])} | {err(predicted[2], measured[2])} |")


if __name__ == "__main__":
    main()
