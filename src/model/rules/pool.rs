//! The database connection pool of each app process (004 "Pool Sizing Formula" and its
//! tier examples) and the fleet's connection budget against PostgreSQL's max_connections.

use super::checks::{Warning, WarningKind};
use super::explained::{ex, Explained, DERIVED, G000, G004};
use crate::model::figure::{count, replica_noun, replicas, whole};
use crate::model::sources::guide;
use crate::model::choice::Server;
use crate::model::plan::Plan;
use crate::model::workers::Workers;
use serde::Serialize;

/// PostgreSQL max_connections: 200 (000, 002, and PGTune's default for a "web" database).
pub const MAX_CONNECTIONS: u32 = 200;
/// PostgreSQL superuser_reserved_connections: 3 (its default), kept for the DBA.
pub const SUPERUSER_RESERVED_CONNECTIONS: u32 = 3;

/// PostgreSQL's max_connections: the plan's (`db_max_connections`, as deployed) or [`MAX_CONNECTIONS`].
pub fn max_connections(plan: &Plan) -> u32 {
    plan.db_max_connections.unwrap_or(MAX_CONNECTIONS)
}

/// What the plan's clients may open on the server: [`max_connections`] − reserved.
pub fn server_limit(plan: &Plan) -> u32 {
    server_limit_connections(max_connections(plan), SUPERUSER_RESERVED_CONNECTIONS)
}

/// Why max_connections is what it is: the plan's own value, or the guides'.
pub fn max_connections_why(plan: &Plan) -> String {
    match plan.db_max_connections {
        Some(n) => format!("{n}, as you run it (db_max_connections)"),
        None => format!(concat!("{} (the ", guide!(000, 002), " and PGTune's default for web); larger fleets go through PgBouncer"), MAX_CONNECTIONS),
    }
}

/// The pool of one app process and what the fleet opens with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DbPool {
    /// DATABASE_POOL_SIZE / SQLAlchemy `pool_size`, per process.
    pub pool_size: Explained<u32>,
    /// DATABASE_MAX_OVERFLOW / SQLAlchemy `max_overflow`, per process.
    pub max_overflow: Explained<u32>,
    /// processes × (pool + overflow): what one node may open.
    pub per_node_connections: Explained<u64>,
    /// replicas × per node: what the whole fleet may open.
    pub fleet_connections: Explained<u64>,
    /// max_connections − superuser_reserved_connections: what clients may use on the server.
    pub server_limit_connections: Explained<u32>,
    /// The fleet exceeds the server limit, so only a pooler in front of PostgreSQL fits it.
    pub pgbouncer_required: Explained<bool>,
}

/// Pool per async (or gevent) process, reproducing 004's tiers exactly: Small 4 processes
/// → 5, Medium 8 → 10, Large 16 → 20, i.e. 1.25 connections per process of the node,
/// rounded up, within 004's DATABASE_POOL_SIZE range (its light-load 5 up to its max 20).
/// 004's own formula `workers × 2 + overhead` read with workers = MAX_WORKERS gives 10,
/// 18, 36 for the same nodes, which its tiers do not use; the tiers are the measured
/// configurations, so they win, and the formula's growth with the worker count is kept.
pub fn async_pool_size(processes: u32) -> u32 {
    processes.saturating_mul(5).div_ceil(4).clamp(5, 20)
}

/// MAX_OVERFLOW of an async process: equal to the pool, within 5–10 (004 tiers: 5+5,
/// 10+10, 20+10): bursts may double a small pool, but never add more than 10.
pub fn async_max_overflow(pool_size: u32) -> u32 {
    pool_size.clamp(5, 10)
}

/// Pool of a sync or gthread process: one connection per thread, since a thread holds at
/// most one connection at a time; more would sit idle on the server.
pub fn threaded_pool_size(threads: u32) -> u32 {
    threads.max(1)
}

/// Overflow of a sync or gthread process: 2, the low end of 004's "overhead (2–4)
/// connections for background tasks", for work outside request handling.
pub fn threaded_max_overflow() -> u32 {
    2
}

/// Connections the fleet may open: replicas × processes × (pool + overflow).
pub fn fleet_connections(replicas: u32, processes: u32, pool_size: u32, max_overflow: u32) -> u64 {
    replicas as u64 * processes as u64 * (pool_size as u64 + max_overflow as u64)
}

/// What clients may open on the server: max_connections − superuser_reserved_connections.
pub fn server_limit_connections(max_connections: u32, reserved: u32) -> u32 {
    max_connections.saturating_sub(reserved)
}

/// Over the server's limit, a pooler is required, not optional (PLANNER.md "connection budget").
pub fn pgbouncer_required(fleet: u64, server_limit: u32) -> bool {
    fleet > server_limit as u64
}

/// Pool and overflow of one process for the plan's server type (the numbers of
/// [`db_pool`], without their explanations: the capacity model asks for them often).
pub fn pool_and_overflow(server: Server, w: &Workers) -> (u32, u32) {
    match server {
        Server::Async | Server::Gevent => {
            let pool = async_pool_size(w.processes);
            (pool, async_max_overflow(pool))
        }
        Server::Sync | Server::Gthread => (threaded_pool_size(w.per_process), threaded_max_overflow()),
    }
}

/// "1 process", "8 processes".
fn processes(n: u32) -> String {
    count(n, "process", "processes")
}

/// The pool of the plan's processes; None without a database.
pub fn db_pool(plan: &Plan, w: &Workers) -> Option<DbPool> {
    if !plan.has_db() {
        return None;
    }
    let (pool, overflow) = pool_and_overflow(plan.server, w);
    let (pool_why, over_why) = match plan.server {
        Server::Async | Server::Gevent => (
            format!(concat!("1.25 × {}, within 5–20: reproduces the ", guide!(004), "'s tiers (4 → 5, 8 → 10, 16 → 20)"), processes(w.processes)),
            concat!("equal to the pool within 5–10 (the ", guide!(004), "'s tiers: 5 + 5, 10 + 10, 20 + 10)").to_string(),
        ),
        Server::Sync | Server::Gthread => (
            format!("one connection per thread ({}): a thread holds at most one at a time", w.per_process),
            concat!("2, the low end of the ", guide!(004), "'s overhead (2–4) for work outside requests").to_string(),
        ),
    };
    let per_node = w.processes as u64 * (pool + overflow) as u64;
    let fleet = fleet_connections(plan.replicas, w.processes, pool, overflow);
    let limit = server_limit(plan);
    let max = max_connections(plan);
    let required = pgbouncer_required(fleet, limit);
    Some(DbPool {
        pool_size: ex(pool, "connections", G004, pool_why),
        max_overflow: ex(overflow, "connections", G004, over_why),
        per_node_connections: ex(per_node, "connections", DERIVED, format!("{} × ({pool} + {overflow})", processes(w.processes))),
        fleet_connections: ex(fleet, "connections", DERIVED, format!("{} × {} per {}", replicas(plan, plan.replicas), whole(per_node as f64), replica_noun(plan).0)),
        server_limit_connections: ex(limit, "connections", G000, format!("max_connections {max} − {SUPERUSER_RESERVED_CONNECTIONS} superuser_reserved_connections")),
        pgbouncer_required: ex(required, "", DERIVED, if required {
            format!("the fleet's {} connections exceed the server's {limit}: only a pooler in front of PostgreSQL fits them", whole(fleet as f64))
        } else {
            format!("the fleet's {} connections fit the server's {limit}", whole(fleet as f64))
        }),
    })
}

/// Without PgBouncer, the fleet's pools must fit the server: both the fact and the fix.
pub fn pool_exceeds_max_connections(pool: &DbPool, pgbouncer_on: bool) -> Vec<Warning> {
    if !pool.pgbouncer_required.value || pgbouncer_on {
        return vec![];
    }
    let (fleet, limit) = (pool.fleet_connections.value, pool.server_limit_connections.value);
    vec![
        Warning::new(
            WarningKind::PoolExceedsMaxConnections,
            format!("The fleet's pools may open {} connections ({}), above PostgreSQL's {limit} (max_connections {} − {SUPERUSER_RESERVED_CONNECTIONS} reserved): lower the pool or the processes, or pool the connections.", whole(fleet as f64), pool.fleet_connections.why, limit + SUPERUSER_RESERVED_CONNECTIONS),
        ),
        Warning::new(
            WarningKind::PgbouncerRequired,
            format!("Turn PgBouncer on (pool_mode = transaction): {} client connections cannot reach PostgreSQL directly, its limit is {limit}.", whole(fleet as f64)),
        ),
    ]
}
