"""PostgreSQL's CPU per indexed query: runs `pgbench -S` (the built-in select-only script, one
`SELECT abalance FROM pgbench_accounts WHERE aid = :aid` on the primary key per transaction)
and divides the server's CPU — the postmaster, its backends (alive or exited and reaped) and
its background processes, from /proc — by the transactions pgbench reports.

  python3 dbcpu.py POSTMASTER_PID PORT [--seconds 20] [--clients 2] [--mode simple|prepared]
Prints one JSON object.
"""
import argparse
import json
import os
import re
import resource
import subprocess
import time

TICK = os.sysconf("SC_CLK_TCK")


def stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def children(pid):
    n = 0
    for d in os.listdir("/proc"):
        try:
            n += d.isdigit() and int(stat(d)[1]) == pid
        except OSError:
            pass
    return n


def server_cpu_s(postmaster):
    """CPU seconds of the postmaster with its reaped children (cutime, cstime) and its live ones."""
    v = stat(postmaster)
    total = sum(int(x) for x in v[11:15])
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                s = stat(d)
            except OSError:
                continue
            if int(s[1]) == postmaster:
                total += int(s[11]) + int(s[12])
    return total / TICK


def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v) - v[3] - v[4], sum(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("postmaster", type=int)
    ap.add_argument("port", type=int)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--mode", default="simple", choices=["simple", "extended", "prepared"])
    a = ap.parse_args()
    idle_children = children(a.postmaster)
    before, mb = server_cpu_s(a.postmaster), machine_busy()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(["pgbench", "-h", "127.0.0.1", "-p", str(a.port), "-U", "postgres", "-S", "-n",
                          "-M", a.mode, "-c", str(a.clients), "-j", "1", "-T", str(a.seconds), "postgres"],
                         capture_output=True, text=True, check=True).stdout
    # The backends exit after pgbench: once the postmaster has reaped them, their CPU is in
    # its cutime/cstime.
    for _ in range(100):
        if children(a.postmaster) <= idle_children:
            break
        time.sleep(0.05)
    after, ma = server_cpu_s(a.postmaster), machine_busy()
    kids2 = resource.getrusage(resource.RUSAGE_CHILDREN)
    xacts = int(re.search(r"number of transactions actually processed: (\d+)", out).group(1))
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    pgbench_s = (kids2.ru_utime + kids2.ru_stime) - (kids.ru_utime + kids.ru_stime)
    busy = (ma[0] - mb[0]) / max(1, ma[1] - mb[1])
    print(json.dumps({
        "mode": a.mode,
        "clients": a.clients,
        "transactions": xacts,
        "tps": tps,
        "postgres_cpu_ms_per_query": 1000.0 * (after - before) / xacts,
        "pgbench_cpu_ms_per_query": 1000.0 * pgbench_s / xacts,
        "machine_cpu_pct": 100.0 * busy,
        # The machine's CPU beyond PostgreSQL's and pgbench's: other people's work.
        "other_cpu_pct": 100.0 * busy - 100.0 * ((after - before) + pgbench_s) / (a.seconds * os.cpu_count()),
        "queries_per_ms_of_cpu": xacts / (1000.0 * (after - before)),
    }))


if __name__ == "__main__":
    main()
