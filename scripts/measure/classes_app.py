"""The app under test of classes.sh (issue 20): request classes chosen by path, no database.

  GET /c/<cpu_ms>/<wait_ms>[?cv=1&s=<seed>]

burns cpu_ms of CPU, then sleeps wait_ms (time.sleep, so under gevent's monkey patching the
sleep yields to the other requests of the worker), and answers "ok". With cv=0 (the default)
both are constant; with cv=1 each is an exponential draw of that mean from random.Random(s),
so a run's draws are the same whichever worker serves each request (the load generator sends
the seed). /c/0/0 is the null class of the calibration: the CPU a worker uses per request
there is the server's own overhead.

The burn counts this thread's CPU time (time.thread_time): preemption does not shorten it, and
in gthread workers the other threads' CPU does not count towards it (process_time would).
The answer carries what was done: X-Cpu-Ms (CPU burned, ms) and X-Wait-Ms (the sleep asked).
"""
import os
import random
import sys
import time

# SWITCH_INTERVAL_MS sets CPython's GIL switch interval in each worker (default 5 ms): the
# gthread convoy check of classes.sh runs the same load at several intervals.
if os.environ.get("SWITCH_INTERVAL_MS"):
    sys.setswitchinterval(float(os.environ["SWITCH_INTERVAL_MS"]) / 1000.0)


def app(environ, start_response):
    parts = environ.get("PATH_INFO", "").strip("/").split("/")
    try:
        assert parts[0] == "c" and len(parts) == 3
        cpu_ms, wait_ms = float(parts[1]), float(parts[2])
    except (AssertionError, ValueError, IndexError):
        body = b"usage: /c/<cpu_ms>/<wait_ms>[?cv=1&s=<seed>]\n"
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]
    query = dict(kv.split("=", 1) for kv in environ.get("QUERY_STRING", "").split("&") if "=" in kv)
    if query.get("cv", "0") == "1":
        rng = random.Random(int(query.get("s", "0")))
        cpu_ms = rng.expovariate(1.0 / cpu_ms) if cpu_ms > 0 else 0.0
        wait_ms = rng.expovariate(1.0 / wait_ms) if wait_ms > 0 else 0.0
    start = time.thread_time()
    end = start + cpu_ms / 1000.0
    now = start
    while now < end:
        now = time.thread_time()
    burned_ms = (now - start) * 1000.0
    if wait_ms > 0:
        time.sleep(wait_ms / 1000.0)
    body = b"ok\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body))),
                              ("X-Cpu-Ms", f"{burned_ms:.3f}"), ("X-Wait-Ms", f"{wait_ms:.3f}")])
    return [body]
