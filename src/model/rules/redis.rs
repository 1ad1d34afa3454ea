//! Redis as a pure cache (002 `mkRedis`, 004 "Redis Cache Optimization").

use super::explained::{ex, Explained, DOCS, G002, G004};
use crate::model::figure::{count, replicas, whole};
use crate::model::plan::Plan;
use crate::model::sources::guide;
use crate::model::workers::Workers;
use serde::Serialize;

/// redis.conf values and the app's Redis client settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Redis {
    pub maxmemory_mib: Explained<u32>,
    pub maxmemory_policy: Explained<&'static str>,
    /// RDB snapshots and AOF both off.
    pub persistence: Explained<bool>,
    pub maxclients: Explained<u32>,
    pub tcp_keepalive_s: Explained<u32>,
    /// Idle client timeout (0 = never close).
    pub timeout_s: Explained<u32>,
    /// Connections in each app process's client pool.
    pub client_pool_per_process: Explained<u32>,
    /// replicas × processes × client pool.
    pub fleet_clients: Explained<u64>,
    pub ttl_short_s: Explained<u32>,
    pub ttl_medium_s: Explained<u32>,
    pub ttl_long_s: Explained<u32>,
}

/// maxmemory = 80 % of the cache's memory budget, in MiB: Redis counts only its data
/// against maxmemory; allocator fragmentation and client buffers take the rest, and the
/// budget is what the node reserves (memory.rs) or the pod's limit.
pub fn maxmemory_mib(budget_mib: u32) -> u32 {
    (budget_mib as u64 * 4 / 5) as u32
}

/// allkeys-lru (002): a cache evicts the least recently used key of any kind when full,
/// instead of refusing writes (noeviction, the default).
pub fn maxmemory_policy() -> &'static str {
    "allkeys-lru"
}

/// No persistence for a pure cache (002 `persistence = false`: "cache can be recreated"):
/// no RDB fork doubling memory, no AOF disk writes.
pub fn persistence() -> bool {
    false
}

/// maxclients 10000, Redis's default.
pub fn maxclients() -> u32 {
    10_000
}

/// tcp-keepalive 300 s (Redis's default; 004 "Socket keepalive: enabled"): dead peers are
/// found and their connections freed.
pub fn tcp_keepalive_s() -> u32 {
    300
}

/// timeout 0: never close idle clients; the app's pool keeps its connections open and a
/// server-side close would surface as errors on the next command.
pub fn timeout_s() -> u32 {
    0
}

/// 20 connections per app process's client pool (004 "Max connections: 20").
pub fn client_pool_per_process() -> u32 {
    20
}

/// TTLs by data class (004 "Cache Strategy by Data Type"): short 300 s (sessions, rate
/// limits), medium 900 s (API responses), long 3600 s (configuration, reference data).
pub fn ttls_s() -> (u32, u32, u32) {
    (300, 900, 3600)
}

/// Redis for the plan; None without a cache.
pub fn redis(plan: &Plan, w: &Workers) -> Option<Redis> {
    if !plan.has_cache() {
        return None;
    }
    let max = maxmemory_mib(plan.cache_mem_mib);
    let pool = client_pool_per_process();
    let fleet = plan.replicas as u64 * w.processes as u64 * pool as u64;
    let (short, medium, long) = ttls_s();
    Some(Redis {
        maxmemory_mib: ex(max, "MiB", G002, format!("80 % of the {} MiB cache budget: fragmentation and client buffers use the rest", whole(f64::from(plan.cache_mem_mib)))),
        maxmemory_policy: ex(maxmemory_policy(), "", G002, "evict the least recently used key when full"),
        persistence: ex(persistence(), "", G002, "a pure cache can be rebuilt: no RDB snapshots (no fork), no AOF"),
        maxclients: ex(maxclients(), "clients", DOCS, "Redis's default"),
        tcp_keepalive_s: ex(tcp_keepalive_s(), "s", G004, concat!("socket keepalive on (", guide!(004), "), Redis's default interval: frees dead peers")),
        timeout_s: ex(timeout_s(), "s", DOCS, "never close idle clients: the app's pool keeps them"),
        client_pool_per_process: ex(pool, "connections", G004, "max connections 20 per client"),
        fleet_clients: ex(fleet, "connections", G004, format!("{} × {} × {pool}", replicas(plan, plan.replicas), count(w.processes, "process", "processes"))),
        ttl_short_s: ex(short, "s", G004, "sessions, rate limits"),
        ttl_medium_s: ex(medium, "s", G004, "API responses, computed results"),
        ttl_long_s: ex(long, "s", G004, "configuration, reference data"),
    })
}
