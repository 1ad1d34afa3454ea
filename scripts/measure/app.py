"""The app under test (gunicorn sync workers): per request it burns APP_CPU_MS of CPU, then
runs `SELECT pg_sleep(APP_SLEEP_S)` on the worker's own persistent connection to PgBouncer,
so each request holds a server connection for about the sleep. The answer's X-Hold-Ms
header is the time inside that round trip (the wait for a server connection included).

  APP_DSN      the connection string (PgBouncer's)
  APP_CPU_MS   CPU to burn per request, ms (process CPU time, so preemption does not shorten it)
  APP_SLEEP_S  the pg_sleep argument, seconds
"""
import os
import time

import psycopg

DSN = os.environ["APP_DSN"]
CPU_S = float(os.environ.get("APP_CPU_MS", "1")) / 1000.0
SLEEP_S = float(os.environ.get("APP_SLEEP_S", "0.01"))
QUERY = f"SELECT pg_sleep({SLEEP_S})"

_conn = None


def connection():
    """One connection per worker process, opened on its first request. Autocommit: every
    statement is its own transaction, so PgBouncer (transaction pooling) returns the server
    connection as soon as the answer is sent. No server-side prepared statements: the next
    statement may run on another server connection."""
    global _conn
    if _conn is None or _conn.closed:
        _conn = psycopg.connect(DSN, autocommit=True, prepare_threshold=None)
    return _conn


def app(environ, start_response):
    start = time.process_time()
    while time.process_time() - start < CPU_S:
        pass
    conn = connection()
    t0 = time.perf_counter()
    conn.execute(QUERY).fetchall()
    hold_ms = (time.perf_counter() - t0) * 1000.0
    body = b"ok\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body))),
                              ("X-Hold-Ms", f"{hold_ms:.3f}")])
    return [body]
