//! The memory budget of an app node: what runs beside the workers, and what is left
//! for them under the 80 % memory target (003 "Memory Usage: Target < 80 % of available RAM").

use crate::model::Within;
use super::choice::{DbHost, Platform};
use super::plan::Plan;

/// The share of RAM a node may use before it is under memory pressure (003, 004 alerts at 90 %).
pub const MEMORY_TARGET: f64 = 0.80;

/// Resident memory of nginx on the node, MiB: a few MiB per worker process plus the
/// 10 MiB cache and rate-limit zones of the generated config (000, 003).
pub const NGINX_MIB: f64 = 64.0;

/// What occupies a node's RAM, MiB.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    pub ram_mib: f64,
    pub os_mib: f64,
    pub database_mib: f64,
    pub cache_mib: f64,
    pub proxy_mib: f64,
}

impl Budget {
    /// What the node holds besides the app's processes: the OS, the database, the cache
    /// and the proxy, MiB.
    pub fn besides_workers_mib(&self) -> f64 {
        self.os_mib + self.database_mib + self.cache_mib + self.proxy_mib
    }

    /// RAM under the 80 % target left for the app processes.
    pub fn for_workers_mib(&self) -> f64 {
        (self.ram_mib * MEMORY_TARGET - self.besides_workers_mib()).max(0.0)
    }
}

/// The operating system's own share: 5 % of RAM, at least 256 MiB, at most 4 GiB
/// (kernel, page tables, sshd, journald, the metrics agent).
pub fn os_reserve_mib(ram_mib: f64) -> f64 {
    (ram_mib * 0.05).within(256.0, 4096.0)
}

/// PostgreSQL on the app node holds its shared_buffers, 25 % of RAM (000, 002, PGTune).
pub fn colocated_database_mib(plan: &Plan) -> f64 {
    if plan.has_db() && plan.db_host == DbHost::App {
        plan.ram_mib() * 0.25
    } else {
        0.0
    }
}

/// Redis runs beside the app on plain hosts; on Kubernetes it is its own pod (002).
pub fn colocated_cache_mib(plan: &Plan) -> f64 {
    if plan.has_cache() && plan.platform == Platform::Hosts {
        plan.cache_mem_mib as f64
    } else {
        0.0
    }
}

/// The budget of the app's unit: the node's ([`budget`]), or with the pod's memory limit
/// set (`pod_mem`) the app container's, the OS, nginx's sidecar and Redis being outside
/// it. The report's and the settings' (the page's first load has the workers' cap only,
/// [`crate::model::workers::recommend`]).
pub fn unit_budget(plan: &Plan) -> Budget {
    match super::pod::mem_limit_mib(plan) {
        Some(ram_mib) => Budget { ram_mib, os_mib: 0.0, database_mib: 0.0, cache_mib: 0.0, proxy_mib: 0.0 },
        None => budget(plan),
    }
}

/// The node's memory budget for the plan.
pub fn budget(plan: &Plan) -> Budget {
    let ram_mib = plan.ram_mib();
    Budget {
        ram_mib,
        os_mib: os_reserve_mib(ram_mib),
        database_mib: colocated_database_mib(plan),
        cache_mib: colocated_cache_mib(plan),
        proxy_mib: if plan.has_proxy() { NGINX_MIB } else { 0.0 },
    }
}

/// RAM left for the app processes, MiB.
pub fn available_for_workers_mib(plan: &Plan) -> f64 {
    budget(plan).for_workers_mib()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_reserve_is_five_percent_within_bounds() {
        assert_eq!(os_reserve_mib(512.0), 256.0);
        assert_eq!(os_reserve_mib(16384.0), 819.2);
        assert_eq!(os_reserve_mib(2_097_152.0), 4096.0);
    }

    #[test]
    fn workers_get_eighty_percent_less_everything_else() {
        let mut plan = Plan::default(); // 8 GiB, Redis 512 MiB on the node, nginx
        let b = budget(&plan);
        assert_eq!(b.for_workers_mib(), 8192.0 * 0.8 - 409.6 - 512.0 - 64.0);
        plan.db_host = DbHost::App;
        assert_eq!(budget(&plan).database_mib, 2048.0);
    }

    #[test]
    fn a_tiny_node_leaves_nothing_rather_than_a_negative_budget() {
        let mut plan = Plan::default();
        plan.ram_gib = 0.5;
        plan.cache_mem_mib = 4096;
        assert_eq!(available_for_workers_mib(&plan), 0.0);
    }
}
