//! Throughput of the plan's node and fleet (PLANNER.md §3 "Capacity"): the worker slots
//! circulate through the CPU (a load-dependent station of `cores` servers slowed by the
//! USL), the database connections (when there is a database) and the off-CPU wait (a
//! delay); the network is solved by MVA ([`queueing::mva`]). Latency at a rate is in
//! [`latency`](self::latency()), the benchmark-tier table in [`tiers`].

// `!(x > 0.0)` is meant: it is also true for NaN, which these guards must catch.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use std::fmt;

use super::plan::Plan;
use super::rules;
use super::queueing::{self, ggc_wait, open_residence_ms, MvaSolution, Network, Station, Usl};
use super::workers::{self, Workers};

mod demand;
mod latency;
#[cfg(test)]
mod tests;

pub use demand::*;
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
/// loop, or the GIL for threads and greenlets), so `min(cores, processes)`; each program
/// beside it on the node ([`colocated`]) runs on a core of its own.
pub fn cpu_servers(cores: u32, processes: u32) -> u64 {
    u64::from(cores.max(1).min(processes.max(1)))
}

/// Requests a node has in progress at once (`Workers::slots`), at least 1.
pub fn slots(w: &Workers) -> u64 {
    u64::from(w.slots().max(1))
}

/// USL of the database host's CPU: PostgreSQL's backends are processes sharing buffers and
/// locks; Gunther's defaults, as for the app node.
// Source: Gunther (2007), ch. 4–5.
pub const DB_USL: Usl = Usl { sigma: USL_SIGMA, kappa: USL_KAPPA };

/// One node of the fleet as the model sees it, with the database stations it shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub workers: Workers,
    /// Worker slots: sync = processes, gthread = × threads, gevent/async = × concurrency.
    pub slots: u64,
    /// Cores usable at once ([`cpu_servers`]).
    pub cpu_servers: u64,
    /// CPU per request on the node: the app's, its server's, the driver's and that of the
    /// programs beside it, ms.
    pub cpu_ms: f64,
    /// Off-CPU wait per request, ms.
    pub wait_ms: f64,
    /// Share of requests that use the database (0 without one).
    pub db_share: f64,
    /// Connection hold time of those requests, ms.
    pub db_hold_ms: f64,
    /// Database connections the node's pools open ([`db_connections`]).
    pub db_connections: u64,
    /// Nodes in the fleet, sharing the database.
    pub replicas: u32,
    /// Server connections the fleet shares ([`server_connections`]).
    pub db_servers: u64,
    /// Database CPU per database-using request on the database's own host, ms (0 when it
    /// runs on the app node: its CPU is then in `cpu_ms`).
    pub db_cpu_ms: f64,
    /// Cores of the database host.
    pub db_cores: u64,
    /// USL of the node's CPU (the plan's σ and κ).
    pub usl: Usl,
    /// Coefficient of variation of service times.
    pub cv: f64,
    /// The server refuses requests beyond its slots rather than queueing them (async:
    /// uvicorn's limit_concurrency; gevent: worker_connections).
    pub refuses: bool,
}

impl Node {
    /// The plan's node in the plan's fleet.
    pub fn new(plan: &Plan) -> Node {
        let w = workers::recommend(plan);
        let conns = db_connections(plan, &w);
        Node::with_db_connections(plan, w, conns)
    }

    /// The plan's node with a given number of database connections of its own.
    pub fn with_db_connections(plan: &Plan, workers: Workers, db_connections: u64) -> Node {
        let has_db = db_demand_ms(plan) > 0.0;
        let extra = colocated(plan);
        let on_app = db_on_app(plan);
        let usl = |x: f64, default: f64| if x.is_finite() && x >= 0.0 { x } else { default };
        Node {
            slots: slots(&workers),
            cpu_servers: cpu_servers(plan.cores, workers.processes.saturating_add(extra.len() as u32)),
            cpu_ms: (cpu_demand_ms(plan) + extra.iter().map(|c| c.1).sum::<f64>()).max(1e-6),
            wait_ms: wait_demand_ms(plan),
            db_share: if has_db { db_share(plan) } else { 0.0 },
            db_hold_ms: if has_db { plan.db_hold_ms } else { 0.0 },
            db_connections: db_connections.max(1),
            replicas: plan.replicas.max(1),
            db_servers: if has_db { server_connections(plan) } else { 0 },
            db_cpu_ms: if has_db && !on_app { db_cpu_ms(plan) } else { 0.0 },
            db_cores: u64::from(rules::postgres::db_node(plan).1.max(1)),
            usl: Usl { sigma: usl(plan.usl_sigma, USL_SIGMA), kappa: usl(plan.usl_kappa, USL_KAPPA) },
            cv: if plan.cv.is_finite() { plan.cv.max(0.0) } else { 1.0 },
            refuses: matches!(plan.server, crate::model::choice::Server::Async | crate::model::choice::Server::Gevent),
            workers,
        }
    }

    fn fleet(&self) -> f64 {
        f64::from(self.replicas.max(1))
    }

    /// The CPU station: `cpu_servers` cores with the plan's USL.
    pub fn cpu_station(&self) -> Station {
        Station { demand_ms: self.cpu_ms, servers: self.cpu_servers, usl: self.usl }
    }

    /// The node's own pool connections as a station (demand = share × hold), if any.
    pub fn db_station(&self) -> Option<Station> {
        let d = self.db_share * self.db_hold_ms;
        (d > 0.0).then(|| Station::multi(d, self.db_connections))
    }

    /// The fleet's server connections as a station, per request of the fleet.
    pub fn server_station(&self) -> Option<Station> {
        let d = self.db_share * self.db_hold_ms;
        (d > 0.0 && self.db_servers > 0).then(|| Station::multi(d, self.db_servers))
    }

    /// The database host's CPU as a station, per request of the fleet (share × CPU).
    pub fn db_cpu_station(&self) -> Option<Station> {
        let d = self.db_share * self.db_cpu_ms;
        (d > 0.0).then_some(Station { demand_ms: d, servers: self.db_cores, usl: DB_USL })
    }

    /// The node's network with `db` connections of its own at the database: CPU,
    /// database, off-CPU wait.
    fn network_with(&self, db: u64) -> Network {
        let mut stations = vec![self.cpu_station()];
        let d = self.db_share * self.db_hold_ms;
        if d > 0.0 {
            stations.push(Station::multi(d, db.max(1)));
        }
        Network { stations, delay_ms: self.wait_ms }
    }

    /// The closed network of one node: the database with the connections the node can
    /// use, its own or its whole share of the fleet's, whichever is fewer (at least 1).
    pub fn network(&self) -> Network {
        self.network_with(self.db_connections.min(self.db_servers / u64::from(self.replicas)).max(1))
    }

    /// Connections a node can use at once: its own, or its share of the fleet's server
    /// connections (a fraction when there are fewer than nodes).
    pub fn db_share_of_servers(&self) -> f64 {
        (self.db_connections as f64).min(self.db_servers as f64 / self.fleet())
    }

    /// Most requests per second per node the stations sustain (the open model's limit).
    pub fn station_limit_rps(&self) -> f64 {
        let r = self.fleet();
        let per_node = |s: Option<Station>| s.map_or(f64::INFINITY, |s| s.max_rate_per_ms());
        let fleet = |s: Option<Station>| s.map_or(f64::INFINITY, |s| s.max_rate_per_ms() / r);
        let db = if self.db_connections < self.slots { per_node(self.db_station()) } else { f64::INFINITY };
        let limit = per_node(Some(self.cpu_station())).min(db).min(fleet(self.server_station())).min(fleet(self.db_cpu_station()));
        limit * 1000.0
    }

    /// Time a request holds its slot at `rate_rps` per node, ms: CPU time stretched by the
    /// CPU's queueing (open load-dependent station, M/M/c when σ = κ = 0; no variability
    /// correction, the OS time-shares the CPU and processor sharing is insensitive to it),
    /// the off-CPU wait, and for database requests the hold (its CPU stretched by the
    /// database host's queueing at the fleet's rate) plus the waits for one of the node's
    /// pool connections and one of the fleet's server connections (M/M/k, Allen–Cunneen).
    /// None when a station is overloaded.
    // Source: PLANNER.md §3 "Latency" and "The fleet"; Kleinrock vol. 2 (1976) §4.4.
    pub fn time_in_slot_ms(&self, rate_rps: f64) -> Option<SlotTime> {
        let lambda = rate_rps.max(0.0) / 1000.0;
        let cpu_ms = open_residence_ms(&self.cpu_station(), lambda)?;
        let db_ms = if self.db_station().is_some() {
            let fleet_db = lambda * self.fleet() * self.db_share;
            let stretch = match self.db_cpu_station() {
                Some(st) => open_residence_ms(&st, lambda * self.fleet())? / self.db_share - self.db_cpu_ms,
                None => 0.0,
            };
            let hold = self.db_hold_ms + stretch.max(0.0);
            let own = if self.db_connections < self.slots {
                ggc_wait(self.db_connections, lambda * self.db_share, hold, self.cv)?.mean_ms()
            } else {
                0.0
            };
            let server = ggc_wait(self.db_servers.max(1), fleet_db, hold, self.cv)?.mean_ms();
            self.db_share * (hold + own + server)
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
    /// Database hold and connection waits, averaged over all requests.
    pub db_ms: f64,
}

impl SlotTime {
    pub fn total_ms(&self) -> f64 {
        self.cpu_ms + self.wait_ms + self.db_ms
    }
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
    let db_cpu_max = node.db_cpu_station().map_or(f64::INFINITY, |s| s.max_rate_per_ms() * 1000.0 / r);
    let node_max_rps = finite(node_max.min(db_cpu_max));
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

/// One node's saturated network and throughput (r/s) with its share `k` of the server
/// connections: exact MVA at ⌊k⌋ and ⌈k⌉ connections, weighted by the fraction.
fn saturated(node: &Node) -> (MvaSolution, f64) {
    let k = node.db_share_of_servers();
    let whole = k.floor().max(0.0) as u64;
    let frac = k - whole as f64;
    if node.db_station().is_none() || frac < 1e-9 {
        let s = queueing::mva(&node.network_with(whole.max(1)), node.slots);
        let x = s.throughput_rps;
        return (s, x);
    }
    let upper = queueing::mva(&node.network_with(whole + 1), node.slots);
    let x_upper = upper.throughput_rps;
    if whole == 0 {
        return (upper, frac * x_upper);
    }
    let lower = queueing::mva(&node.network_with(whole), node.slots);
    let x = (1.0 - frac) * lower.throughput_rps + frac * x_upper;
    (if frac >= 0.5 { upper } else { lower }, x)
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
    let cpu_limit_rps = at_target(node.cpu_station(), 1.0);
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

/// The node's rate at 70 % and its bottleneck, as [`capacity_of`] gives them, when MVA
/// shows that rate below the saturated throughput without solving in full (it stops
/// once the throughput passes the rate, with a margin of 1e-9 for rounding); None when
/// only the full solution can tell. What a tier row needs.
pub fn rate_below_saturation(node: &Node) -> Option<(Bottleneck, f64)> {
    let l = limits(node);
    let k = node.db_share_of_servers();
    // ⌊k⌋ connections give no more than the interpolated share; below one, less.
    if node.db_station().is_some() && k < 1.0 {
        return None;
    }
    let passed = l.node_rps * (1.0 + 1e-9) / 1000.0;
    queueing::throughput_reaches(&node.network(), node.slots, passed).then_some((l.bottleneck, l.node_rps))
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
