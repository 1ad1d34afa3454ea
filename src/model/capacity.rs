//! Throughput of the plan's node and fleet (PLANNER.md §3 "Capacity"): the worker slots
//! circulate through the CPU (a load-dependent station of `cores` servers slowed by the
//! USL), the database connections (when there is a database) and the off-CPU wait (a
//! delay); the network is solved by MVA ([`queueing::mva`]). Latency at a rate is in
//! [`latency`](self::latency()), the benchmark-tier table in [`tiers`].

// `!(x > 0.0)` is meant: it is also true for NaN, which these guards must catch.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use crate::model::Within;
use std::fmt;

use super::plan::Plan;
use super::rules;
use super::queueing::{self, MvaSolution, Station};
use super::workers::{self, Workers};

mod classes;
mod demand;
mod gil;
mod latency;
mod node;
mod pooled;
mod process;
mod saturation;
#[cfg(test)]
mod fleet_tests;
#[cfg(test)]
mod tests;

pub use classes::{ClassDemand, ClassLatency, CurvePercentiles, Process, Shapes, Tails};
pub use demand::*;
pub use gil::SWITCH_INTERVAL_MS;
pub use latency::*;
pub use node::*;
pub use saturation::closed_throughput_rps;
use saturation::saturated;

/// USL contention σ of the CPU: serialised work shared by the app processes (the kernel's
/// accept queue and network stack, the allocator, the proxy's upstream socket), about 1 %
/// of a request, so 4 cores do the work of 3.88 and 8 of 7.47.
// Source: Gunther, *Guerrilla Capacity Planning* (2007), ch. 4–5: σ of 0.01–0.05 fitted to
// multi-process web and application servers; the low end for shared-nothing processes.
pub const USL_SIGMA: f64 = 0.01;

/// USL coherency κ of the CPU (cache-line and memory traffic between cores). Small enough
/// that capacity still rises at the largest valid node: the USL peak `√((1−σ)/κ)` is 315
/// cores, above the 256-core limit of the plan, so more cores never lower capacity.
// Source: Gunther (2007), ch. 4, eq. (4.33) for the peak.
pub const USL_KAPPA: f64 = 0.00001;

/// Utilisation at which a resource counts as full: 70 % (003 "CPU Usage: Target < 70 %";
/// 002's HPA scales at 70 % CPU). Applied to the CPU, the database connections and the
/// worker slots alike.
pub const UTILISATION_TARGET: f64 = 0.70;

/// Database connections one node's pools open: every slot may hold one, up to its
/// processes × (pool_size + max_overflow) (004's pool rule). The server side is shared by
/// the fleet ([`server_connections`]).
// Source: 004 "Pool Sizing Formula"; PLANNER.md "connection budget".
pub fn db_connections(plan: &Plan, w: &Workers) -> u64 {
    if !plan.has_db() {
        return slots(w);
    }
    let (size, overflow) = rules::pool::pool_and_overflow(plan.server, w);
    let per_node = (u64::from(w.processes) * u64::from(size + overflow)).max(1);
    slots(w).min(per_node)
}

/// Server connections every replica's requests share, one fleet-wide resource: with
/// PgBouncer in transaction mode its pool's server connections (default_pool_size or the
/// plan's `pgbouncer_pool`; the reserve pool excluded, it opens only after
/// reserve_pool_timeout), without it the server's client limit (max_connections −
/// superuser_reserved_connections).
// Source: PgBouncer docs (default_pool_size, reserve_pool_timeout); PLANNER.md §3 "The fleet".
pub fn server_connections(plan: &Plan) -> u64 {
    let n = if plan.pgbouncer.is_on() { rules::pgbouncer::server_pool(plan) } else { rules::pool::server_limit(plan) };
    u64::from(n.max(1))
}

/// Cores the app can use at once: a Python process runs on one core at a time (one event
/// loop, or the GIL for threads and greenlets), so `min(cores, processes)`. The programs
/// beside it on the node ([`colocated`]) add their CPU to the same cores: counting them as
/// cores of their own let one gthread process on 8 cores beside nginx and Redis serve as
/// if it had 3, where its GIL gives it one.
pub fn cpu_servers(cores: u32, processes: u32) -> u64 {
    u64::from(cores.max(1).min(processes.max(1)))
}

/// Requests a node has in progress at once (`Workers::slots`), at least 1.
pub fn slots(w: &Workers) -> u64 {
    u64::from(w.slots().max(1))
}

/// What limits the fleet's throughput.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bottleneck {
    Cpu,
    Workers,
    /// The database connections: the node's pools or the fleet's server connections.
    DbConnections,
    /// The database host's CPU.
    DbCpu,
}

impl Bottleneck {
    /// In words, for sentences: "the database connections".
    pub fn words(self) -> &'static str {
        match self {
            Bottleneck::Cpu => "the CPU",
            Bottleneck::Workers => "the worker slots",
            Bottleneck::DbConnections => "the database connections",
            Bottleneck::DbCpu => "the database host's CPU",
        }
    }
}

impl Bottleneck {
    /// A stable key for the JSON report and tests.
    pub fn key(self) -> &'static str {
        match self {
            Bottleneck::Cpu => "cpu",
            Bottleneck::Workers => "workers",
            Bottleneck::DbConnections => "db_connections",
            Bottleneck::DbCpu => "db_cpu",
        }
    }
}

impl fmt::Display for Bottleneck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Throughput of the node and the fleet.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// Fleet rate at which the busiest resource reaches [`UTILISATION_TARGET`], r/s.
    pub rps: f64,
    /// Fleet throughput with every slot busy, r/s.
    pub max_rps: f64,
    pub node_rps: f64,
    pub node_max_rps: f64,
    pub replicas: u32,
    /// The resource that reaches the target first.
    pub bottleneck: Bottleneck,
    /// Node rate at which the CPU reaches the target: `0.7 · C(c)/D`.
    pub cpu_limit_rps: f64,
    /// Node rate at which the connections (the node's or its share of the fleet's) reach
    /// the target: `0.7 · k/(share·hold)`.
    pub db_limit_rps: Option<f64>,
    /// Node rate at which the database host's CPU reaches the target (its fleet rate ÷ nodes).
    pub db_cpu_limit_rps: Option<f64>,
    /// Node rate at which 70 % of the slots are in use (`λ·T(λ) = 0.7·slots`).
    pub slots_limit_rps: f64,
    /// One node's network with every slot busy: per-station utilisation, queue, residence.
    pub saturation: MvaSolution,
}

/// The plan's capacity.
pub fn capacity(plan: &Plan) -> Capacity {
    capacity_of(&Node::new(plan))
}

/// Capacity of the node's fleet: `max_rps` from MVA of one node with every slot busy and
/// its share of the fleet's server connections (interpolated between whole connections,
/// so a node with a fraction of one gets that fraction of one's throughput), within the
/// database host's CPU; `rps` = the lowest of the rates at which the CPU, the connections,
/// the database's CPU or the slots reach 70 %, never above `max_rps` (then "workers").
// Source: PLANNER.md §3 "Capacity" and "The fleet"; 003 (CPU < 70 %).
pub fn capacity_of(node: &Node) -> Capacity {
    let (saturation, node_max) = saturated(node);
    let r = f64::from(node.replicas.max(1));
    let node_max_rps = finite(node_max.min(db_cpu_max_rps(node)).min(node.quota_limit_rps()));
    let Limits { cpu_limit_rps, db_limit_rps, db_cpu_limit_rps, slots_limit_rps, bottleneck, node_rps } = limits(node);
    let (bottleneck, node_rps) =
        if node_rps <= node_max_rps { (bottleneck, node_rps) } else { (Bottleneck::Workers, node_max_rps) };
    Capacity {
        rps: node_rps * r,
        max_rps: node_max_rps * r,
        node_rps,
        node_max_rps,
        replicas: node.replicas.max(1),
        bottleneck,
        cpu_limit_rps,
        db_limit_rps,
        db_cpu_limit_rps,
        slots_limit_rps,
        saturation,
    }
}

/// The most the database host's CPU serves per node, r/s: its peak shared by the fleet
/// (unbounded without a database CPU of its own).
fn db_cpu_max_rps(node: &Node) -> f64 {
    node.db_cpu_station().map_or(f64::INFINITY, |s| s.max_rate_per_ms() * 1000.0 / f64::from(node.replicas.max(1)))
}

/// The rates per node at which each resource reaches 70 %, and the lowest of them with its
/// resource (the node's rate before MVA caps it).
struct Limits {
    cpu_limit_rps: f64,
    db_limit_rps: Option<f64>,
    db_cpu_limit_rps: Option<f64>,
    slots_limit_rps: f64,
    bottleneck: Bottleneck,
    node_rps: f64,
}

fn limits(node: &Node) -> Limits {
    let r = f64::from(node.replicas.max(1));
    let at_target = |s: Station, nodes: f64| UTILISATION_TARGET * s.max_rate_per_ms() * 1000.0 / nodes;
    let cpu_limit_rps = at_target(node.cpu_station(), 1.0).min(UTILISATION_TARGET * node.quota_limit_rps());
    let own = node.db_station().filter(|_| node.db_connections < node.slots).map(|s| at_target(s, 1.0));
    let servers = node.server_station().map(|s| at_target(s, r));
    let db_limit_rps = match (own, servers) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let db_cpu_limit_rps = node.db_cpu_station().map(|s| at_target(s, r));
    let slots_limit_rps = slots_limit_rps(node);
    let mut all = vec![(Bottleneck::Cpu, cpu_limit_rps), (Bottleneck::Workers, slots_limit_rps)];
    all.extend(db_limit_rps.map(|x| (Bottleneck::DbConnections, x)));
    all.extend(db_cpu_limit_rps.map(|x| (Bottleneck::DbCpu, x)));
    let (bottleneck, node_rps) =
        all.into_iter().fold((Bottleneck::Cpu, f64::INFINITY), |best, l| if l.1 < best.1 { l } else { best });
    Limits { cpu_limit_rps, db_limit_rps, db_cpu_limit_rps, slots_limit_rps, bottleneck, node_rps }
}

/// Node rate at which the slots in use, `λ·T(λ)` (Little), reach 70 % of the slots;
/// `T` grows with λ, so a bracketing root search below the stations' limit.
// Source: Little's law (QSP ch. 3) applied to the slot pool; 003's 70 % headroom.
pub fn slots_limit_rps(node: &Node) -> f64 {
    let target = UTILISATION_TARGET * node.slots as f64;
    let busy = |rps: f64| node.time_in_slot_ms(rps).map_or(f64::INFINITY, |t| rps / 1000.0 * t.total_ms());
    let hi = node.station_limit_rps();
    if !hi.is_finite() {
        return f64::MAX;
    }
    // T(λ) ≥ T(0), so busy reaches the target by target / T(0): a closer upper end. Half
    // of it is the lower end when busy is still under the target there (from 0, where
    // −1/busy is −∞, the search would bisect its way in first).
    let upper = node.time_in_slot_ms(0.0).map(|t| t.total_ms()).filter(|&t| t > 0.0).map_or(hi, |t| (target / t * 1000.0).min(hi));
    let lower = if busy(0.5 * upper) < target { 0.5 * upper } else { 0.0 };
    // Solved on −1/busy, which is nearly linear where busy has its pole (at `hi`).
    queueing::solve_increasing(|rps| -1.0 / busy(rps), lower, upper, -1.0 / target, 1e-12)
}

/// A finite, non-negative number (0 for NaN, `f64::MAX` for +∞).
pub(crate) fn finite(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x.within(0.0, f64::MAX)
    }
}

/// The largest plan the ranges allow, for the benches and tests: every numeric input at
/// its maximum (cores, RAM, processes, concurrency, times, cv).
pub fn largest_plan(slow: bool) -> Plan {
    let mut p = Plan {
        cores: 256,
        ram_gib: 2048.0,
        replicas: 1000,
        concurrency: Some(100_000),
        workers: Some(4096),
        target_rps: 10_000_000.0,
        db_share_pct: 100.0,
        db_hold_ms: 600_000.0,
        cpu_ms: [600_000.0, 600_000.0, 600_000.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        wait_ms: [600_000.0, 600_000.0, 600_000.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        overhead_ms: Some(1000.0),
        cv: 10.0,
        ..Plan::default()
    };
    if !slow {
        // The same population with the shortest CPU and hold times: the knee of the
        // throughput curve lies far beyond the exact range (large-population path).
        p.cpu_ms = [0.01, 0.01, 0.01, 0.0, 0.0, 0.0, 0.0, 0.0];
        p.overhead_ms = Some(0.0);
        p.db_hold_ms = 0.01;
        p.target_rps = 0.0;
    }
    p.tier = super::choice::Tier::Custom;
    p
}
