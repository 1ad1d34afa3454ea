//! The state of a node run, its clock and its event calendar: which event comes next, and
//! the CPU work done by everything running until then ([`route`](super::route) moves the
//! requests).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use super::{Mode, NodeSim};
use crate::model::rng::Rng;

/// A request in the node.
#[derive(Debug, Clone, Copy)]
pub(super) struct Req {
    pub class: usize,
    pub arrival_ms: f64,
    /// CPU work still to do in the current CPU phase, ms at full speed.
    pub cpu_ms: f64,
    pub wait_ms: f64,
    /// The process holding it (meaningful once it holds a slot).
    pub process: usize,
    /// It queued for a slot on arrival.
    pub queued: bool,
    /// Its current CPU phase is the EventLoop's response burst.
    pub tail: bool,
    /// Gil: the step it is at ([`gil`](super::gil)), its class's CPU still to run, and
    /// when it began waiting for the GIL.
    pub stage: u8,
    pub body_ms: f64,
    pub since_ms: f64,
}

/// A finished request, as measured.
#[derive(Debug, Clone, Copy)]
pub(super) struct Done {
    pub class: usize,
    pub response_ms: f64,
    pub queued: bool,
}

/// One process: the slots it holds, its own queue and its CPU phases.
#[derive(Default)]
pub(super) struct Process {
    /// Requests holding a slot (Sync ≤ 1, Threads ≤ threads, EventLoop ≤ concurrency).
    pub held: usize,
    /// Requests dispatched here waiting for a slot (Threads, EventLoop).
    pub queue: VecDeque<usize>,
    /// Requests in a CPU phase. Sync and Threads: all run, sharing the process's speed;
    /// EventLoop: the front runs, the others wait for it (FCFS, non-preemptive). Gil: the
    /// front holds the GIL, the others wait for it.
    pub cpu: VecDeque<usize>,
    /// Gil: when the GIL last changed hands.
    pub switched_ms: f64,
}

/// The end of an off-CPU wait, ordered so that the heap's top is the earliest.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Due {
    at_ms: f64,
    id: usize,
}

impl Eq for Due {}

impl Ord for Due {
    fn cmp(&self, other: &Self) -> Ordering {
        other.at_ms.total_cmp(&self.at_ms).then(other.id.cmp(&self.id))
    }
}

impl PartialOrd for Due {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// What happens next.
#[derive(Debug, Clone, Copy)]
pub(super) enum Event {
    Arrival,
    /// The request at this index of the process's `cpu` ends its CPU phase.
    Cpu { process: usize, at: usize },
    WaitEnd,
    /// Gil: a waiting thread forces the running one to drop the GIL.
    Switch { process: usize },
}

/// The state of a run.
pub(super) struct Engine<'a> {
    pub sim: &'a NodeSim,
    pub rng: Rng,
    pub rate_per_ms: f64,
    /// Cumulative class shares, normalised to end at 1.
    pub cumulative: Vec<f64>,
    /// Slots per process: 1, the threads or the concurrency.
    pub slots: usize,
    pub now: f64,
    pub next_arrival_ms: f64,
    /// Every request, finished ones' entries reused through `free`.
    pub reqs: Vec<Req>,
    pub free: Vec<usize>,
    pub processes: Vec<Process>,
    /// Sync: the node's one FIFO queue.
    pub pooled: VecDeque<usize>,
    /// Requests waiting for a slot, node-wide.
    pub queued: usize,
    waits: BinaryHeap<Due>,
    /// ∫ busy cores dt since the start.
    pub busy_core_ms: f64,
    /// Every finished request, in order, the warm-up included.
    pub finished: Vec<Done>,
    /// When the warm-up ended: (time, `busy_core_ms` then, finished then).
    pub warm: Option<(f64, f64, usize)>,
    /// A buffer for the dispatch's idle processes.
    pub idle: Vec<usize>,
}

/// Mixes a seed (splitmix64's finaliser) so that small seeds give unrelated streams, and
/// never 0 (xorshift's fixed point). The same as the fleet simulation's.
// Source: Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)).max(1)
}

impl<'a> Engine<'a> {
    pub fn new(sim: &'a NodeSim, rate_per_ms: f64, seed: u64) -> Engine<'a> {
        let total: f64 = sim.classes.iter().map(|k| k.share.max(0.0)).sum();
        let mut acc = 0.0;
        let cumulative = sim.classes.iter().map(|k| {
            acc += k.share.max(0.0) / total;
            acc
        });
        let slots = match sim.mode {
            Mode::Sync => 1,
            Mode::Threads { threads } | Mode::Gil { threads, .. } => threads,
            Mode::EventLoop { concurrency } => concurrency,
        };
        let mut engine = Engine {
            sim,
            rng: Rng(mix(seed)),
            rate_per_ms,
            cumulative: cumulative.collect(),
            slots,
            now: 0.0,
            next_arrival_ms: f64::INFINITY,
            reqs: Vec::new(),
            free: Vec::new(),
            processes: (0..sim.processes).map(|_| Process::default()).collect(),
            pooled: VecDeque::new(),
            queued: 0,
            waits: BinaryHeap::new(),
            busy_core_ms: 0.0,
            finished: Vec::new(),
            warm: None,
            idle: Vec::new(),
        };
        engine.next_arrival_ms = engine.interarrival();
        engine
    }

    /// Time to the next Poisson arrival (∞ without arrivals).
    pub fn interarrival(&mut self) -> f64 {
        if self.rate_per_ms > 0.0 {
            -(1.0 - self.rng.unit()).ln() / self.rate_per_ms
        } else {
            f64::INFINITY
        }
    }

    /// Requests waiting: for a slot, or at the CPU (running or queued for it).
    pub fn backlog(&self) -> usize {
        self.queued + self.processes.iter().map(|p| p.cpu.len()).sum::<usize>()
    }

    /// Processes wanting a core, and the speed each gets: `min(1, c/n)`.
    fn speed(&self) -> (usize, f64) {
        let n = self.processes.iter().filter(|p| !p.cpu.is_empty()).count();
        (n, if n == 0 { 0.0 } else { (self.sim.cores as f64 / n as f64).min(1.0) })
    }

    /// How many of a process's CPU phases run, and the speed of each: under Threads all
    /// share the process's speed equally, otherwise only the front runs.
    fn running(&self, p: &Process, speed: f64) -> (usize, f64) {
        match self.sim.mode {
            Mode::Threads { .. } => (p.cpu.len(), speed / p.cpu.len().max(1) as f64),
            _ => (p.cpu.len().min(1), speed),
        }
    }

    /// The earliest CPU completion at the current speeds: (when, event).
    fn next_cpu(&self) -> Option<(f64, Event)> {
        let (_, speed) = self.speed();
        let mut best: Option<(f64, Event)> = None;
        for (i, p) in self.processes.iter().enumerate() {
            let (n, rate) = self.running(p, speed);
            for (at, &id) in p.cpu.iter().take(n).enumerate() {
                let t = self.now + self.reqs[id].cpu_ms / rate;
                if best.is_none_or(|(b, _)| t < b) {
                    best = Some((t, Event::Cpu { process: i, at }));
                }
            }
        }
        best
    }

    /// Advances the clock to `t`: the running CPU phases do their work and the busy cores
    /// are integrated.
    fn advance(&mut self, t: f64) {
        let dt = (t - self.now).max(0.0);
        let (n, speed) = self.speed();
        self.busy_core_ms += dt * n.min(self.sim.cores as usize) as f64;
        for i in 0..self.processes.len() {
            let (k, rate) = self.running(&self.processes[i], speed);
            for j in 0..k {
                let id = self.processes[i].cpu[j];
                let r = &mut self.reqs[id];
                r.cpu_ms = (r.cpu_ms - rate * dt).max(0.0);
            }
        }
        self.now = self.now.max(t);
    }

    /// Goes to the next event and applies it; false when none can happen (nothing in
    /// progress and no arrivals).
    pub fn step(&mut self) -> bool {
        let mut next = (self.next_arrival_ms, Event::Arrival);
        if let Some(due) = self.waits.peek() {
            if due.at_ms < next.0 {
                next = (due.at_ms, Event::WaitEnd);
            }
        }
        if let Some(cpu) = self.next_cpu() {
            if cpu.0 < next.0 {
                next = cpu;
            }
        }
        if let Some(switch) = self.next_switch() {
            if switch.0 < next.0 {
                next = switch;
            }
        }
        if next.0 == f64::INFINITY {
            return false;
        }
        self.advance(next.0);
        match next.1 {
            Event::Arrival => {
                self.next_arrival_ms = self.now + self.interarrival();
                self.arrive();
            }
            Event::Cpu { process, at } => {
                let id = self.processes[process].cpu.remove(at).expect("a running CPU phase");
                self.reqs[id].cpu_ms = 0.0;
                if matches!(self.sim.mode, Mode::Gil { .. }) {
                    self.processes[process].switched_ms = self.now;
                    self.gil_after_cpu(id);
                } else {
                    self.after_cpu(id);
                }
            }
            Event::WaitEnd => {
                let due = self.waits.pop().expect("a wait ending");
                self.after_wait(due.id);
            }
            Event::Switch { process } => self.switch(process),
        }
        true
    }

    /// Starts `id`'s off-CPU wait of `wait_ms`.
    pub fn start_wait(&mut self, id: usize, wait_ms: f64) {
        self.waits.push(Due { at_ms: self.now + wait_ms, id });
    }
}
