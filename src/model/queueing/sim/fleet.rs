//! The state of a fleet run: which events can happen now, at what rate, and the
//! time integrals of the busy counts ([`route`] moves the requests).

use std::collections::VecDeque;

use super::{FleetSim, Utilisation};
use crate::model::queueing::{Station, Usl};
use crate::model::rng::Rng;

mod route;

/// A request: its node, when it arrived and when it got a slot.
#[derive(Debug, Clone, Copy)]
pub(super) struct Req {
    pub node: usize,
    pub start_ms: f64,
    pub admitted_ms: f64,
}

impl Req {
    /// A request arriving at `node` at `now`.
    pub fn new(node: usize, now: f64) -> Req {
        Req { node, start_ms: now, admitted_ms: now }
    }
}

/// One node's state: requests at its CPU, its pool and its slots.
#[derive(Default)]
pub(super) struct Node {
    cpu: Vec<Req>,
    /// Completions per ms of the CPU with `cpu.len()` requests present.
    cpu_rate: f64,
    clients: u64,
    pool_queue: VecDeque<Req>,
    pub slots: usize,
    slot_queue: VecDeque<Req>,
}

/// Time integrals of busy counts, and counts, since the end of the warm-up.
#[derive(Default)]
pub(super) struct Tally {
    pub since_ms: f64,
    cpu: f64,
    clients: f64,
    servers: f64,
    db_cpu: f64,
    pub slots: f64,
    pub done: u64,
    pub response_sum: f64,
    pub wait_sum: f64,
    /// Every response time, when the run keeps them (open runs).
    pub responses: Vec<f64>,
}

/// What happens next.
#[derive(Debug, Clone, Copy)]
enum Event {
    Arrival,
    Cpu(usize),
    Delay,
    DbCpu,
    DbRest,
}

/// The state of a run.
pub(super) struct Fleet<'a> {
    sim: &'a FleetSim,
    cpu: Station,
    db: Station,
    /// Mean of the hold's non-CPU phase, ms.
    rest_ms: f64,
    arrival_per_ms: f64,
    /// Open: arrivals come and go; closed: a finished request is replaced at once.
    open: bool,
    rng: Rng,
    pub now: f64,
    pub nodes: Vec<Node>,
    delay: Vec<Req>,
    servers: u64,
    server_queue: VecDeque<Req>,
    db_cpu: Vec<Req>,
    db_rest: Vec<Req>,
    /// Requests waiting for a slot, fleet-wide.
    pub queued: usize,
    /// Requests finished since the start, warm-up included.
    pub finished: u64,
    pub tally: Tally,
    /// The events possible now and their rates (a buffer reused by every step).
    rates: Vec<(Event, f64)>,
}

/// Completions per ms of `n` requests each finishing at rate `1/mean_ms` (0 for no time).
fn delay_rate(n: usize, mean_ms: f64) -> f64 {
    if n == 0 || !(mean_ms > 0.0) {
        0.0
    } else {
        n as f64 / mean_ms
    }
}

/// Completions per ms of a USL processor-sharing station with `n` requests present:
/// `C(min(n, c)) / demand` ([`Station::rate`]).
fn station_rate(st: &Station, n: usize) -> f64 {
    if n == 0 {
        0.0
    } else {
        st.rate(n as u64) / st.demand_ms
    }
}

/// Mixes a seed (splitmix64's finaliser) so that small seeds give unrelated streams,
/// and never 0 (xorshift's fixed point).
// Source: Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)).max(1)
}

impl<'a> Fleet<'a> {
    pub fn new(sim: &'a FleetSim, seed: u64, arrival_per_ms: f64, open: bool) -> Fleet<'a> {
        let cpu = Station { demand_ms: sim.cpu_ms, servers: sim.cpu_servers.max(1), usl: Usl { sigma: sim.sigma, kappa: sim.kappa } };
        let db = Station { demand_ms: sim.db_cpu_ms, servers: sim.db_cores.max(1), usl: Usl { sigma: sim.db_sigma, kappa: sim.db_kappa } };
        let rest_ms = if sim.db_cpu_ms > 0.0 { (sim.db_hold_ms - sim.db_cpu_ms).max(0.0) } else { sim.db_hold_ms };
        Fleet {
            sim,
            cpu,
            db,
            rest_ms,
            arrival_per_ms,
            open,
            rng: Rng(mix(seed)),
            now: 0.0,
            nodes: (0..sim.replicas).map(|_| Node::default()).collect(),
            delay: Vec::new(),
            servers: 0,
            server_queue: VecDeque::new(),
            db_cpu: Vec::new(),
            db_rest: Vec::new(),
            queued: 0,
            finished: 0,
            tally: Tally::default(),
            rates: Vec::new(),
        }
    }

    /// Starts measuring afresh from now.
    pub fn restart_tally(&mut self) {
        self.tally = Tally { since_ms: self.now, ..Tally::default() };
    }

    /// The time averages of the tally so far.
    pub fn utilisation(&self) -> Utilisation {
        let t = &self.tally;
        let elapsed = self.now - t.since_ms;
        let node_time = elapsed * self.sim.replicas as f64;
        Utilisation {
            cpu: t.cpu / node_time / self.cpu.servers as f64,
            client_conns: t.clients / node_time / self.sim.client_conns as f64,
            server_conns: t.servers / elapsed / self.sim.server_conns as f64,
            db_cpu: t.db_cpu / elapsed / self.db.servers as f64,
        }
    }

    /// Draws the next event, advances the clock to it and applies it; false when no event
    /// can happen (nothing in progress and no arrivals).
    pub fn step(&mut self) -> bool {
        self.rates.clear();
        if self.arrival_per_ms > 0.0 {
            self.rates.push((Event::Arrival, self.arrival_per_ms));
        }
        for (i, node) in self.nodes.iter().enumerate() {
            if node.cpu_rate > 0.0 {
                self.rates.push((Event::Cpu(i), node.cpu_rate));
            }
        }
        let others = [
            (Event::Delay, delay_rate(self.delay.len(), self.sim.wait_ms)),
            (Event::DbCpu, station_rate(&self.db, self.db_cpu.len())),
            (Event::DbRest, delay_rate(self.db_rest.len(), self.rest_ms)),
        ];
        self.rates.extend(others.into_iter().filter(|&(_, r)| r > 0.0));
        let total: f64 = self.rates.iter().map(|&(_, r)| r).sum();
        let Some(&(last, _)) = self.rates.last() else { return false };
        let dt = -(1.0 - self.rng.unit()).ln() / total;
        self.accumulate(dt);
        self.now += dt;
        let mut u = self.rng.unit() * total;
        let mut event = last; // if rounding runs past the end
        for &(e, r) in &self.rates {
            if u < r {
                event = e;
                break;
            }
            u -= r;
        }
        self.apply(event);
        true
    }

    /// Adds `dt` times the current busy counts to the tally.
    fn accumulate(&mut self, dt: f64) {
        let c = self.cpu.servers as usize;
        let t = &mut self.tally;
        for node in &self.nodes {
            t.cpu += dt * node.cpu.len().min(c) as f64;
            t.clients += dt * node.clients as f64;
            t.slots += dt * node.slots as f64;
        }
        t.servers += dt * self.servers as f64;
        t.db_cpu += dt * self.db_cpu.len().min(self.db.servers as usize) as f64;
    }
}
