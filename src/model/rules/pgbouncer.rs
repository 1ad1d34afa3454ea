//! PgBouncer in front of PostgreSQL (000 and 003 "[pgbouncer]"), one instance beside the
//! database (both guides point it at `host=localhost`), one database/user pair.

use super::explained::{ex, Explained, DERIVED, DOCS, G000, G000_003};
use super::pool::DbPool;
use crate::model::choice::Platform;
use crate::model::figure::{count, whole};
use crate::model::plan::Plan;
use crate::model::sources::guide;
use serde::Serialize;

/// pgbouncer.ini values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PgBouncer {
    pub pool_mode: Explained<&'static str>,
    /// Server connections per database/user pair.
    pub default_pool_size: Explained<u32>,
    pub reserve_pool_size: Explained<u32>,
    pub reserve_pool_timeout_s: Explained<u32>,
    /// Client connections PgBouncer accepts.
    pub max_client_conn: Explained<u64>,
    /// Protocol-level prepared statements kept per server connection (PgBouncer ≥ 1.21); 0 = off.
    pub max_prepared_statements: Explained<u32>,
    /// What PgBouncer opens on PostgreSQL: default_pool_size + reserve_pool_size (one pair).
    pub server_connections: Explained<u32>,
}

/// pool_mode = transaction (000, 003): a server connection is held only for a transaction,
/// so hundreds of client pools share a few dozen server connections.
pub fn pool_mode() -> &'static str {
    "transaction"
}

/// default_pool_size: 2 × the database's cores + 1 (the PostgreSQL wiki's active-connection
/// rule: cores × 2 + effective spindles), kept within 000's 20 and 003's 50, and never above
/// what the server accepts next to the reserve pool. Up to 9 cores this is 000's 20; from
/// 25 cores 003's 50: more active connections than ~2 per core only queue inside PostgreSQL.
pub fn default_pool_size(db_cores: u32, server_limit: u32, reserve: u32) -> u32 {
    let by_cores = db_cores.saturating_mul(2).saturating_add(1).clamp(20, 50);
    by_cores.min(server_limit.saturating_sub(reserve).max(1))
}

/// reserve_pool_size 5: extra server connections for a pool that has waited
/// reserve_pool_timeout, so a burst does not stall (PgBouncer docs; default 0 = off).
pub fn reserve_pool_size() -> u32 {
    5
}

/// reserve_pool_timeout 3 s: how long a client waits before the reserve pool helps
/// (PgBouncer's default is 5; 3 keeps it under a 200 ms p95's worst spells).
pub fn reserve_pool_timeout_s() -> u32 {
    3
}

/// max_client_conn: every client connection the fleet may open, rounded up to the next
/// 100, at least 100 (000 and 003 both write 100). Each costs PgBouncer one descriptor.
pub fn max_client_conn(fleet_connections: u64) -> u64 {
    fleet_connections.div_ceil(100).max(1) * 100
}

/// max_prepared_statements 0 (off, PgBouncer's default): PgBouncer 1.18 (Debian 12) and
/// every release before 1.21 refuse to start on a file that names the setting ("unknown
/// parameter"). The async app's asyncpg driver (004) then runs with its statement cache
/// off (`statement_cache_size=0`, DATABASE_STATEMENT_CACHE_SIZE=0 in .env), which
/// transaction pooling needs on every PgBouncer version that does not track statements.
pub fn max_prepared_statements() -> u32 {
    0
}

/// The client connections PgBouncer must accept: every node's pools, `nodes` of them. On
/// Kubernetes that is the HPA's largest fleet (002's maximum), not today's replicas, so the
/// autoscaler's pods are admitted (server connections stay default_pool_size).
pub fn client_connections(pool: &DbPool, replicas: u32, nodes: u32) -> u64 {
    (pool.fleet_connections.value / u64::from(replicas.max(1))).saturating_mul(u64::from(nodes))
}

/// The nodes or pods whose pools PgBouncer admits: the plan's replicas on hosts; on
/// Kubernetes every pod the autoscaler may run (002's HPA maximum).
pub fn client_nodes(plan: &Plan) -> u32 {
    use super::kubernetes::scaling::{hpa_max_by_002, hpa_min_replicas};
    match plan.platform {
        Platform::Hosts => plan.replicas,
        Platform::K8s => hpa_max_by_002(hpa_min_replicas(plan.replicas)),
    }
}

/// PgBouncer's settings for the plan's pools ([`pgbouncer`] with its [`client_nodes`]).
pub fn for_plan(plan: &Plan, pool: &DbPool, db_cores: u32) -> PgBouncer {
    pgbouncer(pool, db_cores, plan.replicas, client_nodes(plan), plan.pgbouncer_pool)
}

/// The server connections of the plan's pool that the fleet shares: its
/// `pgbouncer_pool` as deployed, or [`default_pool_size`] (the reserve excluded).
pub fn server_pool(plan: &Plan) -> u32 {
    let reserve = reserve_pool_size();
    plan.pgbouncer_pool.unwrap_or_else(|| default_pool_size(super::postgres::db_node(plan).1, super::pool::server_limit(plan), reserve))
}

/// PgBouncer's settings for the plan's pools, for clients from `nodes` nodes or pods.
/// `own`: default_pool_size as the person runs it, instead of the rule's.
pub fn pgbouncer(pool: &DbPool, db_cores: u32, replicas: u32, nodes: u32, own: Option<u32>) -> PgBouncer {
    let limit = pool.server_limit_connections.value;
    let reserve = reserve_pool_size();
    let size = own.unwrap_or_else(|| default_pool_size(db_cores, limit, reserve));
    let fleet = client_connections(pool, replicas, nodes);
    PgBouncer {
        pool_mode: ex(pool_mode(), "", G000_003, "a server connection is held only for the length of a transaction"),
        default_pool_size: ex(size, "connections", G000_003, if own.is_some() { format!("{size}, as you run it (pgbouncer_pool)") } else { format!(concat!("2 × {} + 1, within the ", guide!(000), "'s 20 and the ", guide!(003), "'s 50: more active connections than ~2 per core only queue inside PostgreSQL"), count(db_cores, "database core", "database cores")) }),
        reserve_pool_size: ex(reserve, "connections", DOCS, "extra server connections for a pool that has waited reserve_pool_timeout"),
        reserve_pool_timeout_s: ex(reserve_pool_timeout_s(), "s", DOCS, "after 3 s of waiting a client may use the reserve pool"),
        max_client_conn: ex(max_client_conn(fleet), "connections", G000, if nodes > replicas {
            format!(concat!("the {} client connections of the autoscaler's {} rounded up to 100 (100 in the ", guide!(000, 003), "); raise PgBouncer's nofile to match"), whole(fleet as f64), count(nodes, "pod", "pods"))
        } else {
            format!(concat!("the fleet's {} client connections rounded up to 100 (100 in the ", guide!(000, 003), "); raise PgBouncer's nofile to match"), whole(fleet as f64))
        }),
        max_prepared_statements: ex(max_prepared_statements(), "statements", DOCS, "off: PgBouncer before 1.21 (Debian 12 ships 1.18) refuses a file that sets it; the app turns its driver's statement cache off instead (asyncpg statement_cache_size=0)"),
        server_connections: ex(size + reserve, "connections", DERIVED, format!("default_pool_size {size} + reserve_pool_size {reserve} for one database/user pair, within the server's {limit}")),
    }
}

/// PgBouncer opens up to default_pool_size + reserve_pool_size server connections; more
/// than PostgreSQL admits and the surplus fail with "too many clients" when the load
/// needs them (an error: the pool as set cannot open).
// Source: PgBouncer docs (default_pool_size, reserve_pool_size); PostgreSQL docs
// (max_connections, superuser_reserved_connections).
pub fn pool_over_max_connections(b: &PgBouncer, server_limit: u32) -> Option<super::checks::Warning> {
    let opens = b.server_connections.value;
    (opens > server_limit).then(|| {
        super::checks::Warning::new(
            super::checks::WarningKind::PgbouncerPoolOverMaxConnections,
            format!("PgBouncer may open {opens} server connections (default_pool_size {} + reserve_pool_size {}), above the {server_limit} PostgreSQL admits: lower pgbouncer_pool or raise max_connections.", b.default_pool_size.value, b.reserve_pool_size.value),
        )
    })
}
