//! Latency per request class (PLANNER.md §3 "Latency per class"): each class's response
//! time is its own CPU (stretched by the sharing of its process's core), its off-CPU wait
//! and its database hold, each with the class's variability, plus the waits it may meet: for
//! a slot, for the process's event loop (head-of-line), for database connections. The
//! overall distribution is the mixture of the classes weighted by their shares.

use super::process::{sharing, Loop};
use super::{DbParts, Node};
use crate::model::choice::Server;
use crate::model::plan::Plan;
use crate::model::queueing::{ggc_wait, p50_p95_p99, Shape, Wait, Waits};
use crate::model::workers::Workers;
use crate::model::Within;

/// How one process serves the requests it holds at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Process {
    /// gunicorn sync: one request per process; an idle process takes the next request
    /// from the node's one accept queue, so the node's slots are one pool.
    Single,
    /// gunicorn gthread: this many threads per process, sharing its one core (the GIL);
    /// each process accepts what the kernel hands it and queues it for a thread.
    Threads(u32),
    /// gevent, uvicorn: one event loop per process; one request's CPU runs at a time and
    /// blocks every other request of that process until it yields (head-of-line).
    EventLoop,
}

impl Process {
    /// The process structure of a server type.
    // Source: gunicorn docs "Design" (sync, gthread, gevent workers); uvicorn docs
    // "Deployment" (one event loop per worker process).
    pub fn of(server: Server, w: &Workers) -> Process {
        match server {
            Server::Sync => Process::Single,
            Server::Gthread => Process::Threads(w.per_process.max(1)),
            Server::Gevent | Server::Async => Process::EventLoop,
        }
    }
}

/// What one request of a class asks of the node.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassDemand {
    /// Share of the requests, 0–1.
    pub share: f64,
    /// CPU per request in the app's process: the class's own, the app server's and the
    /// database driver's, ms.
    pub cpu_ms: f64,
    /// Off-CPU wait, ms.
    pub wait_ms: f64,
    /// Coefficient of variation of its CPU time, its wait and its database hold.
    pub cv: f64,
}

impl ClassDemand {
    /// The plan's classes: each class's CPU with what every request adds in the app's
    /// process ([`super::overhead_ms`], the driver's per transaction).
    pub fn of(plan: &Plan) -> Vec<ClassDemand> {
        let extra = super::overhead_ms(plan) + super::db_share(plan) * super::DRIVER_CPU_MS;
        let cv = |x: f64| if x.is_finite() { x.max(0.0) } else { 1.0 };
        plan.classes()
            .iter()
            .map(|c| ClassDemand { share: c.share.within(0.0, 1.0), cpu_ms: c.cpu_ms + extra, wait_ms: c.wait_ms, cv: cv(c.cv) })
            .collect()
    }
}

/// One class's response time at a rate, ms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassLatency {
    pub share: f64,
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

/// The per-class model at one rate: each class, the whole mixture, and the means the
/// breakdown shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Tails {
    pub classes: Vec<ClassLatency>,
    /// Every request: mean, p50, p95, p99, ms.
    pub overall: [f64; 4],
    /// CPU time with the waits for the process's core or loop, over all requests, ms.
    pub cpu_ms: f64,
    /// The wait for a slot.
    pub slot: Wait,
}

/// An M/M/c-shaped wait (`P(wait)`, then `Exp(rate)`) met by a share `scale` of the requests.
fn add_exp(waits: Waits, w: &Wait, scale: f64) -> Waits {
    waits.add(w.p_wait * scale, 1.0 / w.rate_per_ms)
}

/// `work` with `waits`.
fn after(work: Work, waits: Waits) -> Shape {
    Shape::fit(work.mean, work.var).shifted(work.slower_ms).with_waits(waits)
}

/// A class's time without its waits: mean and variance.
#[derive(Debug, Clone, Copy)]
struct Work {
    mean: f64,
    var: f64,
    /// The time its CPU runs slower than alone, constant ([`Sharing::run_of`]), ms.
    slower_ms: f64,
}

/// Each class's response-time distribution at a rate, before its percentiles are solved.
#[derive(Debug, Clone, PartialEq)]
pub struct Shapes {
    /// Each class's share and distribution, in the plan's order.
    pub mix: Vec<(f64, Shape)>,
    /// Each class's mean, ms.
    pub means: Vec<f64>,
    /// CPU time with the waits for the process's core or loop, over all requests, ms.
    pub cpu_ms: f64,
    /// The wait for a slot.
    pub slot: Wait,
}

/// What a latency curve draws at one rate: the mixture's p50, p95 and p99, and each
/// class's p95, ms.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePercentiles {
    pub overall: [f64; 3],
    pub class_p95: Vec<f64>,
}

impl Shapes {
    /// Every class's mean and percentiles, and the mixture's.
    pub fn tails(self) -> Tails {
        let classes = self
            .mix
            .iter()
            .zip(&self.means)
            .map(|(&(share, shape), &mean_ms)| {
                let [p50_ms, p95_ms, p99_ms] = shape.p50_p95_p99();
                ClassLatency { share, mean_ms, p50_ms, p95_ms, p99_ms }
            })
            .collect();
        Tails { classes, overall: self.overall(), cpu_ms: self.cpu_ms, slot: self.slot }
    }

    /// Every request's mean, p50, p95 and p99 (ms), as [`Self::tails`] gives them, without
    /// any class's own percentiles: what a tier row shows.
    pub fn overall(&self) -> [f64; 4] {
        let mean = self.mix.iter().zip(&self.means).map(|(c, m)| c.0 * m).sum();
        let [p50, p95, p99] = p50_p95_p99(&self.mix);
        [mean, p50, p95, p99]
    }

    /// Only what a curve draws: the same figures as [`Self::tails`], without each class's
    /// p50 and p99 (a third of the percentiles a point would solve with three classes).
    pub fn curve(&self) -> CurvePercentiles {
        CurvePercentiles { overall: p50_p95_p99(&self.mix), class_p95: self.mix.iter().map(|c| c.1.quantile(0.95)).collect() }
    }
}

/// The per-class model at `rate_rps` per node; None when a station is overloaded.
pub fn tails(node: &Node, rate_rps: f64, core_stretch: f64) -> Option<Tails> {
    shapes(node, rate_rps, core_stretch).map(Shapes::tails)
}

/// Each class's distribution at `rate_rps` per node; None when a station is overloaded.
// Source: PLANNER.md §3 "Latency per class"; the pieces' sources at [`sharing`] and
// [`Shape::fit`]; the slot's wait by Allen–Cunneen with the mixture's variability
// (Allen 1990 §6.5).
pub fn shapes(node: &Node, rate_rps: f64, core_stretch: f64) -> Option<Shapes> {
    let lambda = rate_rps.max(0.0) / 1000.0;
    let db = node.db_parts(rate_rps)?;
    let share = sharing(node, lambda, core_stretch)?;
    let parts: Vec<(Work, Waits, Waits)> = node.classes.iter().map(|c| class_parts(node, c, &share, db.as_ref())).collect();
    // The slot's service: each class's time in it, without the wait for a server
    // connection (SlotTime::slot_load_ms), by its first two moments.
    let (mut s1, mut s2) = (0.0, 0.0);
    for (c, (work, inner, _)) in node.classes.iter().zip(&parts) {
        let [m1, m2, _] = after(*work, *inner).moments();
        s1 += c.share * m1;
        s2 += c.share * m2;
    }
    let cv = if s1 > 0.0 { (s2 / (s1 * s1) - 1.0).max(0.0).sqrt() } else { 1.0 };
    let (servers, slot_rate) = match node.process {
        Process::Threads(t) => (u64::from(t), lambda / f64::from(node.workers.processes.max(1))),
        _ => (node.slots, lambda),
    };
    let slot = ggc_wait(servers, slot_rate, s1, cv)?;
    let mut mix = Vec::with_capacity(parts.len());
    let mut means = Vec::with_capacity(parts.len());
    let mut cpu_ms = 0.0;
    for (c, (work, _, outer)) in node.classes.iter().zip(&parts) {
        let waits = add_exp(*outer, &slot, 1.0);
        mix.push((c.share, after(*work, waits)));
        means.push(work.mean + work.slower_ms + waits.mean_ms());
        cpu_ms += c.share * (c.cpu_ms * share.scale_of(c) + share.beside_ms * share.beside_scale + share.hol.map_or(0.0, |h| h.mean_visits(c, node.db_share)));
    }
    Some(Shapes { mix, means, cpu_ms, slot })
}

/// A class's work, the waits inside its slot (the loop's, the node's pool connection's)
/// and those with the wait for a server connection added.
fn class_parts(node: &Node, c: &ClassDemand, share: &super::process::Sharing, db: Option<&DbParts>) -> (Work, Waits, Waits) {
    let cv2 = c.cv * c.cv;
    // The work as demanded, whatever the load: the class's CPU, the CPU of the programs
    // beside the app on its path, the off-CPU wait, each with the class's variability.
    let run = share.run_of(c);
    let cpu = c.cpu_ms + share.beside_ms;
    let mut work = Work { mean: cpu + c.wait_ms, var: cv2 * (cpu * cpu + c.wait_ms * c.wait_ms), slower_ms: c.cpu_ms * (run - 1.0) };
    // What the load adds is a wait: the time lost to other requests sharing the core
    // (exponential, as the number of them met is), the loop's head-of-line waits, the
    // database's stretch and its connections. Only waits grow with the load, so no
    // percentile falls as the rate rises.
    let lost = c.cpu_ms * (share.scale_of(c) - run) + share.beside_ms * (share.beside_scale - 1.0);
    let mut inner = Waits::NONE.add(1.0, lost);
    if let Some(h) = share.hol {
        inner = h.visits(inner, c, node.db_share);
    }
    // gthread's waits for the GIL's switch: in the slot those of the pool thread, in the
    // response also the main thread's (accept and close).
    let gil = |slot: Waits, response: Waits| share.gil.map_or((slot, response), |g| super::gil::convoy(slot, response, node, c, &g));
    let Some(d) = db else {
        let (slot, response) = gil(inner, inner);
        return (work, slot, response);
    };
    let (q, h) = (node.db_share, node.db_hold_ms);
    work.mean += q * h;
    work.var += q * h * h * (1.0 + cv2) - q * q * h * h;
    inner = inner.add(q, d.hold_ms - h);
    inner = add_exp(inner, &d.own, q);
    let (slot, response) = gil(inner, add_exp(inner, &d.server, q));
    (work, slot, response)
}

impl Loop {
    /// The waits for the loop a request of class `c` meets: on arrival, after its wait and
    /// after its database round trip.
    fn visits(&self, w: Waits, c: &ClassDemand, db_share: f64) -> Waits {
        let mut w = add_exp(w, &self.arrival, 1.0);
        if c.wait_ms > 0.0 {
            w = w.add(self.busy, self.resume_ms);
        }
        w.add(self.busy * db_share, self.resume_ms)
    }

    /// The mean of [`Self::visits`].
    fn mean_visits(&self, c: &ClassDemand, db_share: f64) -> f64 {
        self.visits(Waits::NONE, c, db_share).mean_ms()
    }
}

#[cfg(test)]
#[path = "classes_tests.rs"]
mod tests;
