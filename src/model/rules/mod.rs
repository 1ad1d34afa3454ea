//! Every configuration rule of PLANNER.md §2 for a plan, each value explained.
//!
//! One file per concern, one small function per value (each with its source), and
//! [`recommend`] gathering them for a plan with the consistency [`checks`]. The worker
//! count comes from [`crate::model::workers::recommend`]; throughput and the CPU target
//! are the capacity model's (see [`checks::cpu_over_target`], the hook it calls).
//!
//! Which parts apply: no database → no pool, PgBouncer or PostgreSQL; PgBouncer only when
//! switched on (a `pgbouncer-required` warning says when it must be); no cache → no Redis;
//! no proxy → no nginx; plain hosts → no Kubernetes objects (their systemd units are the
//! exporters' concern), and a database on its own host gets its own kernel settings.

pub mod alerts;
pub mod checks;
pub mod event_loop;
pub mod explained;
pub mod framework;
pub mod gil;
pub mod gunicorn;
pub mod kernel;
pub mod kubernetes;
pub mod nginx;
pub mod pgbouncer;
pub mod pgtune;
pub mod pool;
pub mod postgres;
pub mod redis;

#[cfg(test)]
pub(crate) mod tests;

pub use alerts::Alert;
pub use checks::{Severity, Warning, WarningKind};
pub use explained::Explained;
pub use gunicorn::Gunicorn;
pub use kernel::{Kernel, NodeRole};
pub use kubernetes::Kubernetes;
pub use nginx::Nginx;
pub use pgbouncer::PgBouncer;
pub use pool::DbPool;
pub use postgres::Postgres;
pub use redis::Redis;

use crate::model::choice::{DbHost, Platform};
use crate::model::figure::replica_noun;
use crate::model::memory;
use crate::model::plan::Plan;
use crate::model::workers::{self, Workers};
use serde::Serialize;

/// Everything the planner recommends for a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub gunicorn: Gunicorn,
    pub db_pool: Option<DbPool>,
    pub pgbouncer: Option<PgBouncer>,
    pub postgres: Option<Postgres>,
    pub redis: Option<Redis>,
    pub nginx: Option<Nginx>,
    /// The app nodes' kernel (which also runs PostgreSQL when it is on the app node).
    pub kernel: Kernel,
    /// The database's own host, when it has one.
    pub db_kernel: Option<Kernel>,
    pub kubernetes: Option<Kubernetes>,
    pub alerts: Vec<Alert>,
    pub warnings: Vec<Warning>,
}

/// Descriptors an app process holds besides its connections: logs, pipes, libraries.
const PROCESS_BASE_FDS: u64 = 64;

/// Descriptors of the busiest app process: its client sockets, DB pool and Redis pool.
pub fn app_process_fds(w: &Workers, pool: Option<&DbPool>, redis: Option<&Redis>) -> u64 {
    let db = pool.map_or(0, |p| (p.pool_size.value + p.max_overflow.value) as u64);
    let cache = redis.map_or(0, |r| r.client_pool_per_process.value as u64);
    w.per_process as u64 + db + cache + PROCESS_BASE_FDS
}

/// Descriptors of PgBouncer: every client and server connection.
pub fn pgbouncer_fds(b: &PgBouncer) -> u64 {
    b.max_client_conn.value + b.server_connections.value as u64 + PROCESS_BASE_FDS
}

/// PostgreSQL's own max_files_per_process (1000 by default) bounds a backend's descriptors.
const POSTGRES_BACKEND_FDS: u64 = 1000;

/// What the page's verdict and summary read: the rules the summary shows (gunicorn, the
/// pool, PgBouncer, Redis) and every warning, from the values alone. nginx, PostgreSQL,
/// the kernels, Kubernetes and the alerts, each value with its why, are the files' and the
/// settings list's ([`recommend`], in the files' worker): 12 KB gzip less first load.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub gunicorn: Gunicorn,
    pub db_pool: Option<DbPool>,
    pub pgbouncer: Option<PgBouncer>,
    pub redis: Option<Redis>,
    pub warnings: Vec<Warning>,
    /// Descriptors of the busiest process on an app node (the app, nginx, and PgBouncer and
    /// PostgreSQL when the database is there): what the app nodes' `nofile` must hold.
    pub app_fds: u64,
    /// The same on the database's own host, when it has one.
    pub db_fds: Option<u64>,
}

/// All the rules for the plan. Never panics on a valid plan.
pub fn recommend(plan: &Plan) -> Recommendation {
    let w = workers::recommend(plan);
    let c = checked_with(plan, &w);
    completed(plan, &w, c)
}

/// [`recommend`] from the plan's [`checked`] rules, already solved (an [`Outcome`]
/// holds them): the rest of the rules, without solving those again. `c` must be
/// `checked(plan)`.
///
/// [`Outcome`]: crate::model::Outcome
pub fn recommend_beside(plan: &Plan, c: &Checked) -> Recommendation {
    debug_assert!(*c == checked(plan), "the checked rules of another plan");
    completed(plan, &workers::recommend(plan), c.clone())
}

/// The rules [`Checked`] leaves out (nginx, Kubernetes, the kernels, the alerts,
/// PostgreSQL), beside those it holds.
fn completed(plan: &Plan, w: &Workers, c: Checked) -> Recommendation {
    let nginx = nginx::nginx(plan, w, c.gunicorn.timeout_s.value);
    let parts = kubernetes::Parts { workers: w, gunicorn: &c.gunicorn, pool: c.db_pool.as_ref(), pgbouncer: c.pgbouncer.as_ref(), redis: c.redis.as_ref() };
    let kubernetes = kubernetes::kubernetes(plan, parts);
    let db_on_app = plan.has_db() && plan.db_host == DbHost::App;
    let kernel = kernel::kernel(NodeRole::App, db_on_app, c.app_fds);
    let db_kernel = c.db_fds.map(|fds| kernel::kernel(NodeRole::Database, true, fds));
    let alerts = alerts::alerts(plan, c.db_pool.as_ref());
    let postgres = postgres::postgres(plan);
    let Checked { gunicorn, db_pool, pgbouncer, redis, warnings, .. } = c;
    Recommendation { gunicorn, db_pool, pgbouncer, postgres, redis, nginx, kernel, db_kernel, kubernetes, alerts, warnings }
}

/// The rules the page reads, with every warning ([`Checked`]).
pub fn checked(plan: &Plan) -> Checked {
    checked_with(plan, &workers::recommend(plan))
}

fn checked_with(plan: &Plan, w: &Workers) -> Checked {
    let gunicorn = gunicorn::gunicorn(plan, &w);
    let db_pool = pool::db_pool(plan, &w);
    let (_, db_cores, _) = postgres::db_node(plan);
    let pgbouncer = db_pool.as_ref().filter(|_| plan.pgbouncer.is_on()).map(|p| pgbouncer::for_plan(plan, p, db_cores));
    let redis = redis::redis(plan, &w);
    let nginx = nginx::limits(plan, &w, gunicorn.timeout_s.value);

    let app_fds = app_process_fds(&w, db_pool.as_ref(), redis.as_ref());
    let nginx_fds = nginx.as_ref().map_or(0, |n| n.worker_rlimit_nofile as u64);
    let bouncer_fds = pgbouncer.as_ref().map_or(0, pgbouncer_fds);
    let db_on_app = plan.has_db() && plan.db_host == DbHost::App;
    let app_busiest = app_fds.max(nginx_fds).max(if db_on_app { bouncer_fds.max(POSTGRES_BACKEND_FDS) } else { 0 });
    let db_fds = (plan.has_db() && plan.db_host == DbHost::Own).then(|| bouncer_fds.max(POSTGRES_BACKEND_FDS));

    let mut warnings = vec![];
    warnings.extend(framework::interface_mismatch(plan.framework, plan.server));
    if plan.workers.is_none() {
        warnings.extend(checks::workers_capped_by_memory(w.by_cpu, w.processes, plan.worker_mem_mib));
    }
    let b = memory::budget(plan);
    let used = b.besides_workers_mib() + w.processes as f64 * plan.worker_mem_mib as f64;
    // Over the whole node it fails; over 80 % it is only risky: one warning, not both.
    let replica = replica_noun(plan);
    warnings.extend(checks::memory_over_node(used, b.ram_mib, replica.0).or_else(|| checks::memory_over_80(used, b.ram_mib, replica.0)));
    // The pod's limits (issue 22): a pod no node like the plan's holds, and processes set
    // by you over the pod's memory limit. Here, so the page's verdict is broken with them.
    if plan.platform == crate::model::Platform::K8s {
        let (cpu_m, mem_mib) = kubernetes::allocatable::of_plan(plan).whole();
        warnings.extend(kubernetes::quota::over_allocatable(plan, cpu_m as f64, mem_mib as f64));
    }
    if let Some(limit) = crate::model::pod::mem_limit_mib(plan) {
        let used = f64::from(w.processes) * f64::from(plan.worker_mem_mib);
        warnings.extend(checks::memory_over_node(used, limit, "pod").or_else(|| checks::memory_over_80(used, limit, "pod")));
    }
    if let Some(p) = &db_pool {
        warnings.extend(pool::pool_exceeds_max_connections(p, plan.pgbouncer.is_on()));
        warnings.extend(pgbouncer.as_ref().and_then(|b| pgbouncer::pool_over_max_connections(b, p.server_limit_connections.value)));
    }
    warnings.extend(checks::server_name_not_set(plan.has_proxy(), &plan.server_name));
    warnings.extend(checks::slow_clients_hold_workers(plan.server, plan.has_proxy(), w.slots(), replica.0));
    warnings.extend(event_loop::long_bursts(plan));
    warnings.extend(gil::convoy(plan, w.per_process));
    warnings.extend(checks::no_rate_limits(plan.has_proxy(), nginx.as_ref().is_some_and(|n| n.rate_limited)));
    if let Some(n) = &nginx {
        warnings.extend(checks::keepalive_not_longer_than_proxy(gunicorn.keepalive_s.value, n.upstream_keepalive_timeout_s));
        warnings.extend(checks::proxy_timeout_shorter_than_app(n.proxy_read_timeout_s, gunicorn.timeout_s.value));
        warnings.extend(checks::rlimit_below_connections("nginx worker", n.worker_rlimit_nofile as u64, n.worker_connections as u64, replica));
    }
    warnings.extend(checks::rlimit_below_connections(if replica.0 == "pod" { "app pod" } else { "app node" }, kernel::nofile(app_busiest), app_busiest, replica));
    if let Some(fds) = db_fds {
        warnings.extend(checks::rlimit_below_connections("PgBouncer on the database host", kernel::nofile(fds), bouncer_fds, replica));
    }
    if let Some(r) = &redis {
        warnings.extend(checks::redis_clients_over_maxclients(r.fleet_clients.value, r.maxclients.value));
    }
    if plan.platform == Platform::K8s {
        warnings.extend(kubernetes::checks(plan, &w, db_pool.as_ref(), pgbouncer.as_ref(), redis.as_ref()));
    }

    Checked { gunicorn, db_pool, pgbouncer, redis, warnings, app_fds: app_busiest, db_fds }
}
