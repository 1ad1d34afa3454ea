//! What one request asks of each resource (PLANNER.md §3): the app's CPU with the app
//! server's own cost and the database driver's, the CPU of what else runs on the app node
//! (nginx, Redis, and PostgreSQL with PgBouncer when the database is there), the off-CPU
//! wait, the database connection's hold and the database host's CPU.

use crate::model::Within;
use crate::model::choice::{DbHost, Platform, Server};
use crate::model::plan::{Plan, DEFAULT_DB_CPU_MS};

/// The app server's own CPU per request, ms, when the plan does not set it. uvicorn
/// parses HTTP in C (httptools) on an event loop and keeps connections alive: 0.2 ms
/// for ASGI dispatch, routing and response encoding. gunicorn parses HTTP in Python:
/// gevent adds greenlet switches through its hub (0.4 ms); sync serves one request per
/// connection, paying an accept and a close every time (0.5 ms); gthread adds the
/// hand-off to a thread pool and GIL switches between its threads (0.6 ms).
// Source: the servers' designs (gunicorn docs "Design": sync workers do not support
// keep-alive; uvicorn docs: httptools/uvloop); magnitudes from public hello-world
// benchmarks (a few thousand r/s per gunicorn process, 5–10 k r/s per uvicorn process).
pub fn default_overhead_ms(server: Server) -> f64 {
    match server {
        Server::Async => 0.2,
        Server::Gevent => 0.4,
        Server::Sync => 0.5,
        Server::Gthread => 0.6,
    }
}

/// The app server's CPU per request: the plan's value, or the server type's default.
pub fn overhead_ms(plan: &Plan) -> f64 {
    plan.overhead_ms.unwrap_or_else(|| default_overhead_ms(plan.server)).max(0.0)
}

/// CPU of the database driver in the app process per transaction, ms: psycopg or asyncpg
/// sending the statements and decoding the rows of a short web transaction.
// Source: psycopg 3 docs "Performance" (C implementation, libpq pipeline) and asyncpg's
// published benchmarks (tens of thousands of simple queries per second per core, i.e.
// 20–50 µs a statement; a web transaction sends a few).
pub const DRIVER_CPU_MS: f64 = 0.05;

/// nginx's CPU per proxied request, ms: parse, proxy over a kept-alive upstream
/// connection, log. About 20,000 small proxied requests per second per core.
// Source: NGINX "Sizing Guide for Deploying NGINX Plus on Bare Metal Servers" (2019):
// tens of thousands of HTTP requests per second per core for small responses.
pub const NGINX_CPU_MS: f64 = 0.05;

/// Redis's CPU per request, ms: one or two GET/SET commands of a cache lookup at about
/// 100,000 commands per second per core.
// Source: Redis docs "Redis benchmark" (redis-benchmark: ~100 k GET/SET per second on
// one core without pipelining).
pub const REDIS_CPU_MS: f64 = 0.02;

/// PgBouncer's CPU per transaction, ms: it reads and forwards each statement and its
/// rows on one thread, about 50,000 short transactions per second.
// Source: PgBouncer docs "Features" (single process, event loop); public pgbench runs
// through PgBouncer in transaction mode (40–60 k TPS before its one core saturates).
pub const PGBOUNCER_CPU_MS: f64 = 0.02;

/// Share of requests that use the database, 0–1 (0 without one).
pub fn db_share(plan: &Plan) -> f64 {
    if plan.has_db() {
        (plan.db_share_pct / 100.0).within(0.0, 1.0)
    } else {
        0.0
    }
}

/// Database CPU per database-using request, ms: the plan's, or [`DEFAULT_DB_CPU_MS`]
/// within the hold time (the queries' CPU runs while the connection is held).
pub fn db_cpu_ms(plan: &Plan) -> f64 {
    plan.db_cpu_ms.unwrap_or_else(|| DEFAULT_DB_CPU_MS.min(plan.db_hold_ms)).within(0.0, plan.db_hold_ms.max(0.0))
}

/// The app's own CPU per request: the mix-weighted CPU time of the classes, the app
/// server's cost and the driver's per transaction (PLANNER.md §3).
// Source: QSP (1984) ch. 4 (service demand of a workload mix = weighted demands).
pub fn cpu_demand_ms(plan: &Plan) -> f64 {
    weighted(plan, &plan.cpu_ms) + overhead_ms(plan) + db_share(plan) * DRIVER_CPU_MS
}

/// CPU per request of the programs beside the app on its node, ms: nginx in front,
/// Redis on plain hosts (on Kubernetes it is its own pod, 002), and PostgreSQL with its
/// PgBouncer when the database runs on the app node.
// Source: PLANNER.md §3 "The fleet" (a database, Redis, nginx or PgBouncer on the app
// node takes the app's cores); the per-request costs above.
pub fn colocated_cpu_ms(plan: &Plan) -> f64 {
    colocated(plan).iter().map(|c| c.1).sum()
}

/// The programs beside the app on its node with their CPU per request, ms.
pub fn colocated(plan: &Plan) -> Vec<(&'static str, f64)> {
    let mut out = Vec::new();
    if plan.has_proxy() {
        out.push(("nginx", NGINX_CPU_MS));
    }
    if plan.has_cache() && plan.platform == Platform::Hosts {
        out.push(("Redis", REDIS_CPU_MS));
    }
    if db_on_app(plan) {
        out.push(("PostgreSQL", db_share(plan) * db_cpu_ms(plan)));
        if plan.pgbouncer.is_on() {
            out.push(("PgBouncer", db_share(plan) * PGBOUNCER_CPU_MS));
        }
    }
    out
}

/// The database runs on the app node (its CPU is the node's).
pub fn db_on_app(plan: &Plan) -> bool {
    plan.has_db() && plan.db_host == DbHost::App
}

/// Off-CPU wait of the average request (I/O, calls to other services), mix-weighted.
pub fn wait_demand_ms(plan: &Plan) -> f64 {
    weighted(plan, &plan.wait_ms)
}

/// Database demand of the average request: share using the database × hold time, ms
/// (0 without a database).
// Source: QSP ch. 4 (demand = visits × service time).
pub fn db_demand_ms(plan: &Plan) -> f64 {
    db_share(plan) * plan.db_hold_ms.max(0.0)
}

fn weighted(plan: &Plan, per_class: &[f64; 8]) -> f64 {
    plan.mix_fractions().iter().zip(per_class).map(|(f, v)| f * v.max(0.0)).sum()
}
