//! A discrete-event simulation of ONE app node with its processes, their concurrency mode
//! and several request classes: the reference the per-class latency model is checked
//! against in tests (test-only, never in the page).
//!
//! Service times need not be exponential (deterministic, gamma, hyperexponential), so this
//! is an event-calendar simulation, not a race of exponentials: at each step the clock goes
//! to the earliest of the next arrival, the earliest end of an off-CPU wait and the earliest
//! end of a CPU phase; the remaining CPU work of everything running is brought up to date
//! at every event, so the next CPU completion is exact under any sharing.
// Source: Law, *Simulation Modeling and Analysis* (5th ed. 2015), §1.4 (next-event time
// advance); Kleinrock, *Queueing Systems* vol. 2 (1976), §4.4 (processor sharing).

mod draw;
mod engine;
mod gil;
mod route;
#[cfg(test)]
#[path = "node_tests.rs"]
mod tests;

pub use draw::draw;
use engine::Engine;

/// How a process runs the requests it holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// One request at a time per process; one FIFO queue for the node, taken by whichever
    /// process is idle (gunicorn sync workers block in `accept()` only when idle).
    Sync,
    /// `threads` threads per process, each process with its own FIFO queue (gunicorn
    /// gthread). The threads share the GIL: the process runs one thread's CPU at a time,
    /// its threads in a CPU phase sharing it by processor sharing.
    Threads { threads: usize },
    /// One event loop per process (gevent, uvicorn) admitting up to `concurrency` requests;
    /// the others wait in the process's FIFO backlog. CPU bursts run one at a time, FCFS,
    /// non-preemptive: a burst blocks every other request of the process.
    EventLoop { concurrency: usize },
    /// gunicorn gthread under CPython's GIL ([`gil`]): `threads` threads per process and
    /// the main thread that accepts and closes connections; one thread runs Python at a
    /// time, and a thread that wants the GIL while another runs takes it only when that one
    /// blocks, or after a whole `switch_ms` interval without a switch (a forced switch).
    /// Each request takes it four times: its accept and its close (`step_ms` of CPU each, on
    /// the main thread), its CPU, and, after an off-CPU wait, its response (`step_ms`).
    Gil { threads: usize, switch_ms: f64, step_ms: f64 },
}

/// Which process a request is sent to on arrival (Threads and EventLoop; Sync pools).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dispatch {
    /// Uniform over the processes.
    Random,
    /// Uniform over the processes whose CPU is idle (nothing of theirs on the CPU or
    /// waiting for it), else uniform over all.
    IdleFirst,
}

/// A request class. Times in ms, each drawn by [`draw`] with the class's `cv`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimClass {
    /// Probability that a request is of this class (the shares are normalised).
    pub share: f64,
    /// Mean CPU demand on one core running alone.
    pub cpu_ms: f64,
    /// Mean off-CPU wait after the CPU (sleep, I/O): holds the slot, not the CPU.
    pub wait_ms: f64,
    /// Coefficient of variation of both the CPU demand and the wait.
    pub cv: f64,
}

/// The node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeSim {
    pub cores: u64,
    pub processes: usize,
    pub mode: Mode,
    pub dispatch: Dispatch,
    pub classes: Vec<SimClass>,
    /// EventLoop only: the CPU burst a request needs from its loop once more after its
    /// wait, to send the response (deterministic, ms; 0 skips it).
    pub tail_cpu_ms: f64,
}

/// Response times (departure − arrival, queueing included) of the measured requests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tally {
    pub count: usize,
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

/// The figures of an open run.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRun {
    /// More than [`MAX_QUEUE`](super::MAX_QUEUE) requests were waiting (for a slot, or at
    /// the CPU): the run stopped there.
    pub overloaded: bool,
    /// One tally per class, in the order of [`NodeSim::classes`].
    pub classes: Vec<Tally>,
    pub all: Tally,
    /// Time-average busy cores / cores, `min(processes wanting a core, c) / c`.
    pub cpu_utilisation: f64,
    /// Measured completions per ms.
    pub throughput_per_ms: f64,
    /// Share of the measured requests that found no free slot on arrival (Sync: no idle
    /// process; Threads: no free thread; EventLoop: `concurrency` in use) and queued.
    pub queued_share: f64,
}

impl NodeSim {
    /// An open run: Poisson arrivals at `rate_per_ms`, until `requests` have finished, the
    /// first [`WARM_UP`](super::WARM_UP) of them not measured, or until more than
    /// [`MAX_QUEUE`](super::MAX_QUEUE) wait (`overloaded`; measured from the start if that
    /// comes within the warm-up).
    ///
    /// # Panics
    /// Without cores, processes, classes or a positive total share, or with no threads
    /// (no concurrency) per process.
    pub fn open(&self, rate_per_ms: f64, seed: u64, requests: usize) -> NodeRun {
        assert!(self.cores > 0 && self.processes > 0, "a node needs cores and processes");
        assert!(self.classes.iter().map(|k| k.share).sum::<f64>() > 0.0, "the classes need a positive share");
        let mut engine = Engine::new(self, rate_per_ms, seed);
        assert!(engine.slots > 0, "a process needs a thread (or a concurrency) of at least 1");
        let warm_up = (requests as f64 * super::WARM_UP) as usize;
        let mut overloaded = false;
        while engine.finished.len() < requests {
            if engine.warm.is_none() && engine.finished.len() >= warm_up {
                engine.warm = Some((engine.now, engine.busy_core_ms, engine.finished.len()));
            }
            if !engine.step() {
                break;
            }
            if engine.backlog() > super::MAX_QUEUE {
                overloaded = true;
                break;
            }
        }
        let (since_ms, busy_since, first) = engine.warm.unwrap_or((0.0, 0.0, 0));
        let done = &engine.finished[first..];
        let elapsed = engine.now - since_ms;
        let mut all: Vec<f64> = done.iter().map(|d| d.response_ms).collect();
        let classes = (0..self.classes.len())
            .map(|k| tally(&mut done.iter().filter(|d| d.class == k).map(|d| d.response_ms).collect::<Vec<_>>()))
            .collect();
        NodeRun {
            overloaded,
            classes,
            all: tally(&mut all),
            cpu_utilisation: (engine.busy_core_ms - busy_since) / elapsed / self.cores as f64,
            throughput_per_ms: done.len() as f64 / elapsed,
            queued_share: done.iter().filter(|d| d.queued).count() as f64 / done.len() as f64,
        }
    }
}

/// The count, mean and nearest-rank percentiles of `samples` (NaN figures when empty).
pub fn tally(samples: &mut [f64]) -> Tally {
    let count = samples.len();
    Tally {
        count,
        mean_ms: samples.iter().sum::<f64>() / count as f64,
        p50_ms: super::percentile(samples, 0.50),
        p95_ms: super::percentile(samples, 0.95),
        p99_ms: super::percentile(samples, 0.99),
    }
}
