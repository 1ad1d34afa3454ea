"""The CFS quota's mechanism, simulated (not the planner's model): to check that a budget per
period explains quota.sh's measurements, where the planner's ⌈q⌉/q stretch does not.

A pod of W sync workers (one request each, FIFO queue before them) on a node of K CPUs under a
CFS quota of q cores: the pod may run q × P ms of CPU per period of P = 100 ms (periods aligned
at t = 0), on up to K CPUs at once at full speed (processor sharing past K); once the period's
budget is spent, nothing of the pod runs until the next period begins. Each request arrives
Poisson, takes C ms of CPU, then sleeps S ms (off CPU, holding its worker), plus a fixed
loopback cost L ms outside the pod. Time-stepped at DT ms.

  python3 scripts/measure/quota_sim.py --q 0.5 --workers 2 --cpu 5.5 --sleep 10 --rate 80 [--cores 2]
                                       [--seconds 300] [--loopback 1.7] [--seed 1]
Prints p50/p95/p99 ms and the share of periods throttled; --q 0 is no quota.
"""
import argparse
import random


def simulate(q, workers, cores, cpu, sleep, rate, seconds, loopback, seed, dt=0.05, period=100.0):
    rng = random.Random(seed)
    horizon = seconds * 1000.0
    arrivals, t = [], 0.0
    while True:
        t += rng.expovariate(rate / 1000.0)
        if t >= horizon:
            break
        arrivals.append(t)
    queue_i = 0                      # next arrival not yet taken by a worker
    busy = []                        # [arrival, cpu_left, sleep_until or None]
    done = []
    budget = q * period if q > 0 else float("inf")
    periods = throttled = 0
    throttled_now = False
    now, next_period = 0.0, period
    while now < horizon + 5000.0 and (queue_i < len(arrivals) or busy):
        if now >= next_period:
            next_period += period
            periods += 1
            throttled += throttled_now
            throttled_now = False
            budget = q * period if q > 0 else float("inf")
        while len(busy) < workers and queue_i < len(arrivals) and arrivals[queue_i] <= now:
            busy.append([arrivals[queue_i], cpu, None])
            queue_i += 1
        running = [r for r in busy if r[1] > 0]
        if running and budget > 0:
            speed = min(1.0, cores / len(running))   # each one's share of a CPU
            use = min(cores, len(running)) * dt
            scale = min(1.0, budget / use)
            budget -= use * scale
            for r in running:
                r[1] -= dt * speed * scale
                if r[1] <= 1e-9:
                    r[1] = 0.0
                    r[2] = now + dt + sleep
        elif running:
            throttled_now = True
        now += dt
        still = []
        for r in busy:
            if r[1] == 0.0 and r[2] is not None and r[2] <= now:
                done.append(now - r[0] + loopback)
            else:
                still.append(r)
        busy = still
    done.sort()
    pick = lambda p: done[min(len(done) - 1, int(p * len(done)))]
    return pick(0.50), pick(0.95), pick(0.99), throttled, periods


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--q", type=float, required=True)
    ap.add_argument("--workers", type=int, required=True)
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--cpu", type=float, required=True)
    ap.add_argument("--sleep", type=float, required=True)
    ap.add_argument("--rate", type=float, required=True)
    ap.add_argument("--seconds", type=float, default=300.0)
    ap.add_argument("--loopback", type=float, default=1.7)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    p50, p95, p99, thr, per = simulate(a.q, a.workers, a.cores, a.cpu, a.sleep, a.rate, a.seconds, a.loopback, a.seed)
    print(f"q {a.q:g}, {a.workers} workers, {a.rate:g} r/s: p50/p95/p99 {p50:.1f}/{p95:.1f}/{p99:.1f} ms, "
          f"throttled periods {thr}/{per} ({100.0 * thr / max(1, per):.1f} %)")


if __name__ == "__main__":
    main()
