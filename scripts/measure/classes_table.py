"""Markdown tables of classes.sh's runs (target/measure/classes.jsonl): latency per class and
overall (mean/p50/p95/p99, ms), throughput and errors, the CPU per request of the app and of the
load generator, the server's overhead (app CPU per request minus the CPU the app burned), the
CPU others used and the load average; then the calibration runs (the null class).

  python3 scripts/measure/classes_table.py target/measure/classes.jsonl [--by-run]

Rows are ordered server, cv, rate, class, run, so a point's two runs sit together.
"""
import json
import sys

ORDER = {"sync": 0, "gthread": 1, "gevent": 2}


def f(x, d=1):
    return "–" if x is None else f"{x:.{d}f}"


def lat(s):
    return "/".join(f(s[k]) for k in ("mean_ms", "p50_ms", "p95_ms", "p99_ms"))


def main():
    paths = [a for a in sys.argv[1:] if not a.startswith("--")] or ["target/measure/classes.jsonl"]
    runs = [json.loads(line) for p in paths for line in open(p) if line.strip()]
    key = lambda r: (ORDER.get(r["server"], 9), r["server"], r["cv"], r["offered_rps"], r["run"])
    mix = sorted((r for r in runs if r["kind"] == "mix"), key=key)
    cal = sorted((r for r in runs if r["kind"] == "calibration"), key=key)

    print("| server | cv | r/s | run | class | mean/p50/p95/p99 ms | thr r/s | err % | app CPU ms/req | overhead ms | loadgen CPU ms/req | others % | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = []
    for r in mix:
        names = [c["name"] for c in r["classes"]]
        for name in names + ["all"]:
            s = r["overall"] if name == "all" else r["per_class"][name]
            rows.append(((ORDER.get(r["server"], 9), r["cv"], r["offered_rps"], names.index(name) if name in names else 99, r["run"]),
                         f"| {r['server']} | {r['cv']} | {r['offered_rps']:g} | {r['run']} | {name} | {lat(s)} "
                         f"| {f(s['throughput_rps'])} | {f(s['error_pct'], 2)} "
                         + (f"| {f(r['cpu_ms_per_request'].get('app'), 2)} | {f(r.get('overhead_ms'), 2)} "
                            f"| {f(r['cpu_ms_per_request']['loadgen'], 2)} | {f(r['other_cpu_pct'])} "
                            f"| {' '.join(r['loadavg_begin'])} → {' '.join(r['loadavg_end'])} |"
                            if name == "all" else "| | | | | |")))
    for _, line in sorted(rows, key=lambda x: x[0]):
        print(line)

    print()
    print("Calibration (the null class /c/0/0): the app's CPU per request is the server's overhead.")
    print()
    print("| server | run | r/s | thr r/s | mean/p50/p95/p99 ms | overhead ms (app CPU/req) | loadgen CPU ms/req | others % | load avg |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in cal:
        s = r["overall"]
        print(f"| {r['server']} | {r['run']} | {r['offered_rps']:g} | {f(s['throughput_rps'])} | {lat(s)} "
              f"| {f(r.get('overhead_ms'), 2)} ({f(r['cpu_ms_per_request'].get('app'), 2)}) "
              f"| {f(r['cpu_ms_per_request']['loadgen'], 2)} | {f(r['other_cpu_pct'])} "
              f"| {' '.join(r['loadavg_begin'])} → {' '.join(r['loadavg_end'])} |")


if __name__ == "__main__":
    main()
