//! Throughput of the plan's node and fleet (PLANNER.md §3 "Capacity"): the worker slots
//! circulate through the CPU (a load-dependent station of `cores` servers slowed by the
//! USL), the database connections (when there is a database) and the off-CPU wait (a
//! delay); the network is solved by MVA ([`queueing::mva`]). Latency at a rate is in
//! [`latency`](self::latency()), the benchmark-tier table in [`tiers`].

// `!(x > 0.0)` is meant: it is also true for NaN, which these guards must catch.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use std::fmt;

use super::choice::Server;
use super::plan::Plan;
use super::rules;
use super::queueing::{self, ggc_wait, open_residence_ms, MvaSolution, Network, Station, Usl};
use super::workers::{self, Workers};

mod latency;
#[cfg(test)]
mod tests;

pub use latency::*;

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

/// CPU demand of the average request: the mix-weighted CPU time of the classes plus the
/// app server's own cost (PLANNER.md §3).
// Source: QSP (1984) ch. 4 (service demand of a workload mix = weighted demands).
pub fn cpu_demand_ms(plan: &Plan) -> f64 {
    weighted(plan, &plan.cpu_ms) + overhead_ms(plan)
}

/// Off-CPU wait of the average request (I/O, calls to other services), mix-weighted.
pub fn wait_demand_ms(plan: &Plan) -> f64 {
    weighted(plan, &plan.wait_ms)
}

/// Database demand of the average request: share using the database × hold time, ms
/// (0 without a database).
// Source: QSP ch. 4 (demand = visits × service time).
pub fn db_demand_ms(plan: &Plan) -> f64 {
    if plan.has_db() {
        (plan.db_share_pct / 100.0).clamp(0.0, 1.0) * plan.db_hold_ms.max(0.0)
    } else {
        0.0
    }
}

fn weighted(plan: &Plan, per_class: &[f64; 3]) -> f64 {
    plan.mix_fractions().iter().zip(per_class).map(|(f, v)| f * v.max(0.0)).sum()
}

/// Database connections one node can hold at once: every slot may hold one, up to what
/// its processes' pools open (processes × (pool_size + max_overflow), the pool rule of
/// 004), and no more than the server side gives this node: with PgBouncer in transaction
/// mode its server connections (default_pool_size + reserve) shared by the replicas;
/// without it, the server's client limit (max_connections − reserved) shared by them.
// Source: 004 "Pool Sizing Formula"; 000/003 PgBouncer; PLANNER.md "connection budget".
pub fn db_connections(plan: &Plan, w: &Workers) -> u64 {
    use rules::{pgbouncer, pool};
    if !plan.has_db() {
        return slots(w);
    }
    let (size, overflow) = pool::pool_and_overflow(plan.server, w);
    let per_node = (u64::from(w.processes) * u64::from(size + overflow)).max(1);
    let replicas = u64::from(plan.replicas.max(1));
    let limit = pool::server_limit_connections(pool::MAX_CONNECTIONS, pool::SUPERUSER_RESERVED_CONNECTIONS);
    let server = if plan.pgbouncer.is_on() {
        let (_, db_cores, _) = rules::postgres::db_node(plan);
        let reserve = pgbouncer::reserve_pool_size();
        u64::from(pgbouncer::default_pool_size(db_cores, limit, reserve) + reserve)
    } else {
        u64::from(limit)
    };
    slots(w).min(per_node).min((server / replicas).max(1))
}

/// Cores the app can use at once: a Python process runs on one core at a time (one event
/// loop, or the GIL for threads and greenlets), so `min(cores, processes)`.
pub fn cpu_servers(cores: u32, processes: u32) -> u64 {
    u64::from(cores.max(1).min(processes.max(1)))
}

/// Requests a node has in progress at once (`Workers::slots`), at least 1.
pub fn slots(w: &Workers) -> u64 {
    u64::from(w.slots().max(1))
}

/// The node as the model sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub workers: Workers,
    /// Worker slots: sync = processes, gthread = × threads, gevent/async = × concurrency.
    pub slots: u64,
    /// Cores usable at once ([`cpu_servers`]).
    pub cpu_servers: u64,
    /// CPU per request including the server's overhead, ms.
    pub cpu_ms: f64,
    /// Off-CPU wait per request, ms.
    pub wait_ms: f64,
    /// Share of requests that use the database (0 without one).
    pub db_share: f64,
    /// Connection hold time of those requests, ms.
    pub db_hold_ms: f64,
    /// Database connections of the node.
    pub db_connections: u64,
    /// Coefficient of variation of service times.
    pub cv: f64,
}

impl Node {
    /// The plan's node with the connections its pools and the server give it ([`db_connections`]).
    pub fn new(plan: &Plan) -> Node {
        let w = workers::recommend(plan);
        let conns = db_connections(plan, &w);
        Node::with_db_connections(plan, w, conns)
    }

    /// The plan's node with a given number of database connections (the pool rule's).
    pub fn with_db_connections(plan: &Plan, workers: Workers, db_connections: u64) -> Node {
        let has_db = db_demand_ms(plan) > 0.0;
        Node {
            slots: slots(&workers),
            cpu_servers: cpu_servers(plan.cores, workers.processes),
            cpu_ms: cpu_demand_ms(plan).max(1e-6),
            wait_ms: wait_demand_ms(plan),
            db_share: if has_db { (plan.db_share_pct / 100.0).clamp(0.0, 1.0) } else { 0.0 },
            db_hold_ms: if has_db { plan.db_hold_ms } else { 0.0 },
            db_connections: db_connections.max(1),
            cv: if plan.cv.is_finite() { plan.cv.max(0.0) } else { 1.0 },
            workers,
        }
    }

    /// The CPU station: `cpu_servers` cores with the USL defaults.
    pub fn cpu_station(&self) -> Station {
        Station { demand_ms: self.cpu_ms, servers: self.cpu_servers, usl: Usl { sigma: USL_SIGMA, kappa: USL_KAPPA } }
    }

    /// The database connections as a station (demand = share × hold), if any.
    pub fn db_station(&self) -> Option<Station> {
        let d = self.db_share * self.db_hold_ms;
        (d > 0.0).then(|| Station::multi(d, self.db_connections))
    }

    /// The closed network the slots circulate through: CPU, database, off-CPU wait.
    pub fn network(&self) -> Network {
        let mut stations = vec![self.cpu_station()];
        stations.extend(self.db_station());
        Network { stations, delay_ms: self.wait_ms }
    }

    /// Most requests per second the stations sustain (the open model's limit).
    pub fn station_limit_rps(&self) -> f64 {
        let db = self.db_station().map_or(f64::INFINITY, |s| s.max_rate_per_ms());
        self.cpu_station().max_rate_per_ms().min(db) * 1000.0
    }

    /// Time a request holds its slot at `rate_rps` per node, ms: CPU time stretched by the
    /// CPU's queueing (open load-dependent station, M/M/c when σ = κ = 0; no variability
    /// correction, the OS time-shares the CPU and processor sharing is insensitive to it),
    /// the off-CPU wait, and for database requests the hold time plus the wait for a
    /// connection (M/M/k, Allen–Cunneen). None when the CPU or the pool is overloaded.
    // Source: PLANNER.md §3 "Latency"; Kleinrock vol. 2 (1976) §4.4 (PS insensitivity).
    pub fn time_in_slot_ms(&self, rate_rps: f64) -> Option<SlotTime> {
        let lambda = rate_rps.max(0.0) / 1000.0;
        let cpu_ms = open_residence_ms(&self.cpu_station(), lambda)?;
        let db_ms = if self.db_station().is_some() {
            let w = ggc_wait(self.db_connections, lambda * self.db_share, self.db_hold_ms, self.cv)?;
            self.db_share * (self.db_hold_ms + w.mean_ms())
        } else {
            0.0
        };
        Some(SlotTime { cpu_ms, wait_ms: self.wait_ms, db_ms })
    }
}

/// What a request does while it holds a slot, mean ms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlotTime {
    /// CPU demand stretched by the CPU's queueing.
    pub cpu_ms: f64,
    /// Off-CPU wait.
    pub wait_ms: f64,
    /// Database hold and connection wait, averaged over all requests.
    pub db_ms: f64,
}

impl SlotTime {
    pub fn total_ms(&self) -> f64 {
        self.cpu_ms + self.wait_ms + self.db_ms
    }
}

/// What limits the node's throughput.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bottleneck {
    Cpu,
    Workers,
    Database,
}

impl fmt::Display for Bottleneck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bottleneck::Cpu => "cpu",
            Bottleneck::Workers => "workers",
            Bottleneck::Database => "database",
        })
    }
}

/// Throughput of the node and the fleet.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// Fleet rate at which the busiest resource reaches [`UTILISATION_TARGET`], r/s.
    pub rps: f64,
    /// Fleet throughput with every slot busy (MVA), r/s.
    pub max_rps: f64,
    pub node_rps: f64,
    pub node_max_rps: f64,
    pub replicas: u32,
    /// The resource that reaches the target first.
    pub bottleneck: Bottleneck,
    /// Node rate at which the CPU reaches the target: `0.7 · C(c)/D`.
    pub cpu_limit_rps: f64,
    /// Node rate at which the connections reach the target: `0.7 · k/(share·hold)`.
    pub db_limit_rps: Option<f64>,
    /// Node rate at which 70 % of the slots are in use (`λ·T(λ) = 0.7·slots`).
    pub slots_limit_rps: f64,
    /// The node's network with every slot busy: per-station utilisation, queue, residence.
    pub saturation: MvaSolution,
}

/// The plan's capacity with the default database connections.
pub fn capacity(plan: &Plan) -> Capacity {
    capacity_of(&Node::new(plan), plan.replicas)
}

/// Capacity of `replicas` copies of `node`: `max_rps` from MVA with the whole
/// population circulating; `rps` = the lowest of the rates at which the CPU, the
/// connections or the slots reach 70 %, and never above `max_rps` (then "workers").
// Source: PLANNER.md §3 "Capacity"; 003 (CPU < 70 %).
pub fn capacity_of(node: &Node, replicas: u32) -> Capacity {
    let saturation = queueing::mva(&node.network(), node.slots);
    let node_max_rps = finite(saturation.throughput_rps);
    let Limits { cpu_limit_rps, db_limit_rps, slots_limit_rps, bottleneck, node_rps } = limits(node);
    let (bottleneck, node_rps) =
        if node_rps <= node_max_rps { (bottleneck, node_rps) } else { (Bottleneck::Workers, node_max_rps) };
    let node = Capacity {
        rps: node_rps,
        max_rps: node_max_rps,
        node_rps,
        node_max_rps,
        replicas: 1,
        bottleneck,
        cpu_limit_rps,
        db_limit_rps,
        slots_limit_rps,
        saturation,
    };
    node.for_fleet(replicas)
}

/// The rates per node at which the CPU, the connections and the slots reach 70 %, and
/// the lowest of them with its resource (the node's rate before MVA caps it).
struct Limits {
    cpu_limit_rps: f64,
    db_limit_rps: Option<f64>,
    slots_limit_rps: f64,
    bottleneck: Bottleneck,
    node_rps: f64,
}

fn limits(node: &Node) -> Limits {
    let cpu_limit_rps = UTILISATION_TARGET * node.cpu_station().max_rate_per_ms() * 1000.0;
    let db_limit_rps = node.db_station().map(|s| UTILISATION_TARGET * s.max_rate_per_ms() * 1000.0);
    let slots_limit_rps = slots_limit_rps(node);
    let mut limits = vec![(Bottleneck::Cpu, cpu_limit_rps), (Bottleneck::Workers, slots_limit_rps)];
    limits.extend(db_limit_rps.map(|r| (Bottleneck::Database, r)));
    let (bottleneck, node_rps) = limits
        .into_iter()
        .fold((Bottleneck::Cpu, f64::INFINITY), |best, l| if l.1 < best.1 { l } else { best });
    Limits { cpu_limit_rps, db_limit_rps, slots_limit_rps, bottleneck, node_rps }
}

/// The node's rate at 70 % and its bottleneck, as [`capacity_of`] gives them, when MVA
/// shows that rate below the saturated throughput without solving in full (it stops
/// once the throughput passes the rate, with a margin of 1e-9 for rounding); None when
/// only the full solution can tell. What a tier row needs.
pub fn rate_below_saturation(node: &Node) -> Option<(Bottleneck, f64)> {
    let l = limits(node);
    let passed = l.node_rps * (1.0 + 1e-9) / 1000.0;
    queueing::throughput_reaches(&node.network(), node.slots, passed).then_some((l.bottleneck, l.node_rps))
}

impl Capacity {
    /// The same node's capacity in a fleet of `replicas`: the rates per node and the
    /// bottleneck stay, the fleet's rates are the node's times the replicas.
    pub fn for_fleet(self, replicas: u32) -> Capacity {
        let replicas = replicas.max(1);
        let r = f64::from(replicas);
        Capacity { rps: self.node_rps * r, max_rps: self.node_max_rps * r, replicas, ..self }
    }
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
        x.clamp(0.0, f64::MAX)
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
        cpu_ms: [600_000.0; 3],
        wait_ms: [600_000.0; 3],
        overhead_ms: Some(1000.0),
        cv: 10.0,
        ..Plan::default()
    };
    if !slow {
        // The same population with the shortest CPU and hold times: the knee of the
        // throughput curve lies far beyond the exact range (large-population path).
        p.cpu_ms = [0.01; 3];
        p.overhead_ms = Some(0.0);
        p.db_hold_ms = 0.01;
        p.target_rps = 0.0;
    }
    p.tier = super::choice::Tier::Custom;
    p
}
