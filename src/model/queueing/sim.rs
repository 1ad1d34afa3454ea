//! A discrete-event simulation of a fleet of app nodes sharing one database: the reference
//! the model's fleet figures are checked against in tests (test-only, never in the page).
//!
//! Every time is exponential, so the fleet is a continuous-time Markov chain, simulated one
//! event at a time as a race of exponentials: the clock advances by an exponential time of
//! the total rate, and the event is drawn in proportion to its rate. A processor-sharing
//! station (or a delay) finishes one of its `n` requests, each equally likely: with
//! exponential demands the one that finishes first is memoryless-uniform.
// Source: D. T. Gillespie, "A general method for numerically simulating the stochastic
// time evolution of coupled chemical reactions", J. Comput. Phys. 22 (1976) (the direct
// method); Kleinrock, *Queueing Systems* vol. 2 (1976), ch. 4 (processor sharing).

mod fleet;
pub mod node;
#[cfg(test)]
mod tests;

use fleet::{Fleet, Req};

/// Share of a run (events, or completed requests) discarded as warm-up.
pub const WARM_UP: f64 = 0.1;

/// Requests waiting for a slot, fleet-wide, past which an open run is overloaded and stops.
pub const MAX_QUEUE: usize = 10_000;

/// The fleet: `replicas` identical nodes and one database. Times in ms.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetSim {
    pub replicas: usize,
    /// Worker slots per node: requests in progress on a node at once.
    pub slots: usize,
    /// Cores per node.
    pub cpu_servers: u64,
    /// Mean CPU demand of a request on one core running alone, ms.
    pub cpu_ms: f64,
    /// USL contention and coherency of a node's cores.
    pub sigma: f64,
    pub kappa: f64,
    /// Mean off-CPU time of a request (infinite servers), ms.
    pub wait_ms: f64,
    /// Probability that a request uses the database.
    pub db_share: f64,
    /// Mean time a database request holds its two connections, ms.
    pub db_hold_ms: f64,
    /// Pool connections per node.
    pub client_conns: u64,
    /// Server connections of the database, one pool for the fleet.
    pub server_conns: u64,
    /// Mean database CPU within the hold, ms (0: the hold is one plain delay).
    pub db_cpu_ms: f64,
    /// Cores of the database host and their USL coefficients.
    pub db_cores: u64,
    pub db_sigma: f64,
    pub db_kappa: f64,
}

/// Time-average share of each station in use over the measured part of a run (0–1).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Utilisation {
    /// Busy cores / cores (mean `min(n, c)/c`), mean over nodes.
    pub cpu: f64,
    /// Pool connections held / `client_conns`, mean over nodes.
    pub client_conns: f64,
    /// Server connections held / `server_conns`.
    pub server_conns: f64,
    /// Busy database cores / `db_cores`.
    pub db_cpu: f64,
}

/// The figures of a closed run (every slot always busy).
#[derive(Debug, Clone, PartialEq)]
pub struct ClosedResult {
    /// Completed requests per second, fleet-wide.
    pub throughput_rps: f64,
    /// Mean time from a request's start to its end, ms.
    pub response_ms: f64,
    pub utilisation: Utilisation,
}

/// The figures of an open run (Poisson arrivals).
#[derive(Debug, Clone, PartialEq)]
pub struct OpenResult {
    pub throughput_rps: f64,
    /// Mean time from arrival to end, the wait for a slot included, ms.
    pub response_ms: f64,
    /// Mean wait for a slot, ms.
    pub slot_wait_ms: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub utilisation: Utilisation,
    /// Mean slots busy per node.
    pub slots_busy: f64,
    /// More than [`MAX_QUEUE`] requests waited for a slot: the run stopped there.
    pub overloaded: bool,
}

impl FleetSim {
    /// A closed run of `events` events: every slot always holds a request, a finished one
    /// replaced at once on the same node. The first [`WARM_UP`] of the events is not measured.
    ///
    /// # Panics
    /// When neither `cpu_ms` nor `wait_ms` is positive (a cycle would take no time).
    pub fn closed(&self, seed: u64, events: u64) -> ClosedResult {
        assert!(self.cpu_ms > 0.0 || self.wait_ms > 0.0, "a closed cycle needs a positive time");
        let mut fleet = Fleet::new(self, seed, 0.0, false);
        for node in 0..self.replicas {
            for _ in 0..self.slots {
                fleet.nodes[node].slots += 1;
                fleet.enter_cpu(Req::new(node, 0.0));
            }
        }
        let warm_up = (events as f64 * WARM_UP) as u64;
        for k in 0..events {
            if k == warm_up {
                fleet.restart_tally();
            }
            if !fleet.step() {
                break;
            }
        }
        let t = &fleet.tally;
        ClosedResult {
            throughput_rps: t.done as f64 / (fleet.now - t.since_ms) * 1000.0,
            response_ms: t.response_sum / t.done as f64,
            utilisation: fleet.utilisation(),
        }
    }

    /// An open run: Poisson arrivals at `rate_rps` for the fleet, each sent to a node drawn
    /// at random, waiting FCFS for a free slot there. Runs until `requests` have finished,
    /// the first [`WARM_UP`] of them not measured, or until more than [`MAX_QUEUE`] wait
    /// (`overloaded`; measured from the start if that comes within the warm-up).
    pub fn open(&self, rate_rps: f64, seed: u64, requests: u64) -> OpenResult {
        let mut fleet = Fleet::new(self, seed, rate_rps / 1000.0, true);
        let warm_up = (requests as f64 * WARM_UP) as u64;
        let mut measuring = false;
        let mut overloaded = false;
        while fleet.finished < requests {
            if !measuring && fleet.finished >= warm_up {
                fleet.restart_tally();
                measuring = true;
            }
            if !fleet.step() {
                break;
            }
            if fleet.queued > MAX_QUEUE {
                overloaded = true;
                break;
            }
        }
        let utilisation = fleet.utilisation();
        let t = &mut fleet.tally;
        let elapsed = fleet.now - t.since_ms;
        OpenResult {
            throughput_rps: t.done as f64 / elapsed * 1000.0,
            response_ms: t.response_sum / t.done as f64,
            slot_wait_ms: t.wait_sum / t.done as f64,
            p50_ms: percentile(&mut t.responses, 0.50),
            p95_ms: percentile(&mut t.responses, 0.95),
            p99_ms: percentile(&mut t.responses, 0.99),
            utilisation,
            slots_busy: t.slots / elapsed / self.replicas as f64,
            overloaded,
        }
    }
}

/// The `q`-quantile of samples by the nearest rank, `x₍⌈qn⌉₎` (NaN when empty): the same
/// order statistic as in the sorted samples, found by selection (a full sort took half a
/// second of a debug-build test).
// Source: Hyndman & Fan, "Sample quantiles in statistical packages", Am. Stat. 50 (1996), def. 1.
fn percentile(samples: &mut [f64], q: f64) -> f64 {
    let n = samples.len();
    if n == 0 {
        return f64::NAN;
    }
    let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
    *samples.select_nth_unstable_by(rank - 1, f64::total_cmp).1
}
