//! One node of the fleet as the model sees it ([`Node`]): its stations (the CPU, its own
//! pool, the fleet's server connections and the database host's CPU) and the time a
//! request holds a slot at a rate.

// `!(x > 0.0)` is meant: it is also true for NaN, which these guards must catch.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use super::*;
use crate::model::queueing::{self, ggc_wait, open_residence_ms, Network, RatedStation, Station, Usl};

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
    /// The pod's CPU limit, cores: a CFS quota of `q × 100 ms` of CPU time each 100 ms
    /// period across the node's cores, after which the pod's threads wait for the next
    /// period. None without one (plain hosts, or no `pod_cpu`).
    // Source: Linux kernel docs, Documentation/scheduler/sched-bwc.rst; measured in the
    // README ("Pod CPU quota, measured": below about 60 % of the quota it barely shows).
    pub quota: Option<f64>,
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
    /// How a process serves its requests at once ([`Process`]).
    pub process: Process,
    /// The request classes, in the plan's order ([`ClassDemand`]).
    pub classes: Vec<ClassDemand>,
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
        // A pod's CPU quota is a budget of CPU time per period, not a slower CPU: the pod
        // runs at full speed on the node's cores while it has budget left ([`Node::quota`]).
        let node = Node {
            slots: slots(&workers),
            cpu_servers: cpu_servers(plan.cores, workers.processes),
            cpu_ms: (cpu_demand_ms(plan) + extra.iter().map(|c| c.1).sum::<f64>()).max(1e-6),
            quota: crate::model::pod::cpu_quota(plan),
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
            process: Process::of(plan.server, &workers),
            classes: Vec::new(),
            workers,
        };
        Node { classes: ClassDemand::of(plan), ..node }
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

    /// Mean time a database request holds its connections when `busy` of the fleet's
    /// server connections are in use, ms: those requests circulate between the database
    /// host's CPU (its cores, with the USL) and the rest of the hold, a closed network of
    /// `busy` customers solved by exact MVA (the database as a flow-equivalent server;
    /// interpolated between whole counts). The hold as entered for one connection, or
    /// when the database's CPU is on the app node.
    // Source: Chandy, Herzog & Woo, "Parametric analysis of queuing networks", IBM J. Res.
    // Dev. 19 (1975) (flow-equivalent servers); Lazowska et al., *Quantitative System
    // Performance* (1984), ch. 8 (hierarchical modelling).
    pub fn db_hold_at(&self, busy: f64) -> f64 {
        self.db_hold_in(&self.db_cycles(busy.floor().max(0.0) as u64 + 1), busy)
    }

    /// [`Self::db_hold_at`] read from `cycles`, a table of [`Self::db_cycles`] that must
    /// reach past `busy` (its callers make it so): a table's entries do not depend on its
    /// length, so a search that reads many busy counts solves the database's network less
    /// often. A table too short gives the hold as entered (a debug build stops there).
    pub fn db_hold_in(&self, cycles: &[f64], busy: f64) -> f64 {
        debug_assert!(!(self.db_cpu_ms > 0.0 && busy > 1.0) || busy.floor() + 2.0 <= cycles.len() as f64, "a table of {} cycles read at {busy}", cycles.len());
        let whole = busy.floor();
        let frac = busy - whole;
        match (cycles.get(whole as usize), cycles.get(whole as usize + 1)) {
            (Some(a), Some(b)) if self.db_cpu_ms > 0.0 && busy > 1.0 => (1.0 - frac) * a + frac * b,
            _ => self.db_hold_ms,
        }
    }

    /// The hold of a database request when `n` connections are busy, ms, for every
    /// 0 ≤ n ≤ `most` ([`Self::db_hold_at`] at whole counts; 0 at 0). The hold as entered
    /// at every count when the database's CPU is on the app node.
    pub fn db_cycles(&self, most: u64) -> Vec<f64> {
        if !(self.db_cpu_ms > 0.0) {
            let mut out = vec![self.db_hold_ms; most as usize + 1];
            out[0] = 0.0;
            return out;
        }
        let cores = self.db_cores.max(1);
        let cpu = RatedStation { demand_ms: self.db_cpu_ms, rates: (1..=cores).map(|j| DB_USL.capacity(j as f64)).collect() };
        queueing::cycles_rated(&[cpu], (self.db_hold_ms - self.db_cpu_ms).max(0.0), most)
    }

    /// The node's network with `db` connections of its own at the database: CPU,
    /// database, off-CPU wait.
    pub(super) fn network_with(&self, db: u64) -> Network {
        self.network_with_hold(db, self.db_hold_ms)
    }

    /// [`Self::network_with`], each database request holding its connection `hold` ms.
    pub(super) fn network_with_hold(&self, db: u64, hold: f64) -> Network {
        let mut stations = vec![self.cpu_station()];
        let d = self.db_share * hold;
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
        (limit * 1000.0).min(self.quota_limit_rps())
    }

    /// Most requests per second per node the pod's CPU quota lets through: `q` cores of
    /// CPU time, `1000·q / cpu_ms`; ∞ without a quota.
    // Source: sched-bwc.rst (the quota is run time per period across all CPUs).
    pub fn quota_limit_rps(&self) -> f64 {
        self.quota.map_or(f64::INFINITY, |q| 1000.0 * q / self.cpu_ms)
    }

    /// The busier of the node's CPUs and the pod's quota at `lambda` per node (per ms).
    pub fn cpu_busy(&self, lambda: f64) -> f64 {
        let quota = self.quota.map_or(0.0, |q| lambda * self.cpu_ms / q);
        self.cpu_station().utilisation(lambda).max(quota)
    }

    /// Time a request holds its slot at `rate_rps` per node, ms: CPU time stretched by the
    /// CPU's queueing (open load-dependent station, M/M/c when σ = κ = 0; no variability
    /// correction, the OS time-shares the CPU and processor sharing is insensitive to it),
    /// the off-CPU wait, and for database requests the hold (its CPU stretched by the
    /// database host's queueing at the fleet's rate) plus the waits for one of the node's
    /// pool connections and one of the fleet's server connections (M/M/k, Allen–Cunneen;
    /// none when the fleet's clients cannot outnumber the servers), the latter also apart
    /// ([`SlotTime::server_wait_ms`]). None when a station is overloaded.
    // Source: PLANNER.md §3 "Latency" and "The fleet"; Kleinrock vol. 2 (1976) §4.4.
    pub fn time_in_slot_ms(&self, rate_rps: f64) -> Option<SlotTime> {
        let lambda = rate_rps.max(0.0) / 1000.0;
        if rate_rps.max(0.0) >= self.quota_limit_rps() {
            return None;
        }
        let cpu_ms = open_residence_ms(&self.cpu_station(), lambda)?;
        let (db_ms, server_wait_ms) = match self.db_parts(rate_rps)? {
            Some(d) => {
                let (own, server) = (d.own.mean_ms(), d.server.mean_ms());
                (self.db_share * (d.hold_ms + own + server), self.db_share * server)
            }
            None => (0.0, 0.0),
        };
        Some(SlotTime { cpu_ms, wait_ms: self.wait_ms, db_ms, server_wait_ms })
    }

    /// A database request's hold at `rate_rps` per node (its CPU stretched by the database
    /// host's queueing) and its waits for one of the node's pool connections and one of
    /// the fleet's server connections ([`Self::time_in_slot_ms`]). Some(None) without a
    /// database; None when a database station is overloaded.
    pub fn db_parts(&self, rate_rps: f64) -> Option<Option<DbParts>> {
        if self.db_station().is_none() {
            return Some(None);
        }
        let lambda = rate_rps.max(0.0) / 1000.0;
        let fleet_db = lambda * self.fleet() * self.db_share;
        let stretch = match self.db_cpu_station() {
            Some(st) => open_residence_ms(&st, lambda * self.fleet())? / self.db_share - self.db_cpu_ms,
            None => 0.0,
        };
        let hold_ms = self.db_hold_ms + stretch.max(0.0);
        let own = if self.db_connections < self.slots {
            ggc_wait(self.db_connections, lambda * self.db_share, hold_ms, self.cv)?
        } else {
            queueing::Wait::NONE
        };
        let server = if self.clients_can_outnumber_servers() {
            ggc_wait(self.db_servers.max(1), fleet_db, hold_ms, self.cv)?
        } else {
            queueing::Wait::NONE
        };
        Some(Some(DbParts { hold_ms, own, server }))
    }

    /// Whether the fleet's requests can ever wait for a server connection: only when its
    /// replicas together can hold more client connections at once (each node's pool, or
    /// its slots if fewer) than there are server connections. Otherwise every client finds
    /// a server free (PgBouncer's measured wait for a server: 0.0 ms with 4 workers on 4
    /// server connections, README "Measured against real servers").
    pub fn clients_can_outnumber_servers(&self) -> bool {
        self.clients() > self.db_servers
    }

    /// Client connections the fleet can hold at once: each node's pool, or its slots if
    /// fewer.
    pub fn clients(&self) -> u64 {
        u64::from(self.replicas.max(1)).saturating_mul(self.db_connections.min(self.slots))
    }
}

/// A database request's hold and its waits for connections ([`Node::db_parts`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DbParts {
    /// The hold, its CPU stretched by the database host's queueing, ms.
    pub hold_ms: f64,
    /// The wait for one of the node's own pool connections.
    pub own: queueing::Wait,
    /// The wait for one of the fleet's server connections.
    pub server: queueing::Wait,
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
    /// Of `db_ms`, the wait for one of the fleet's server connections (averaged over all
    /// requests).
    pub server_wait_ms: f64,
}

impl SlotTime {
    pub fn total_ms(&self) -> f64 {
        self.cpu_ms + self.wait_ms + self.db_ms
    }

    /// The time that loads the queue for a slot: the slot's time without the wait for a
    /// server connection. Where the fleet's slots outnumber its server connections, the
    /// requests that fill the slots are the ones queueing for a connection: one wait, not
    /// two. Counting that wait in the slots' load as well had the slots' queue explode
    /// (2 nodes of 4 slots on 4 connections at 300 r/s: 274 ms against 27.4 ms simulated);
    /// apart, the mean is within 10 % of the simulation from 100 r/s to the knee
    /// (`fleet_tests`).
    pub fn slot_load_ms(&self) -> f64 {
        self.total_ms() - self.server_wait_ms
    }
}

