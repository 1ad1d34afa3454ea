//! How a request's CPU is shared inside its process (PLANNER.md §3 "Latency per class"):
//! a sync process serves one request on whatever core the kernel gives it; a gthread
//! process runs its threads on one core at a time (the GIL), shared among them; an event
//! loop runs one request's CPU at a time, first come first served, so a long burst delays
//! every other request of its process (head-of-line blocking).

use super::classes::{ClassDemand, Process};
use super::gil::{self, Gil};
use super::Node;
use crate::model::queueing::{ggc_wait, Shape, Wait};
use crate::model::Within;

/// How a request's CPU time stretches at a rate: its CPU demand is multiplied by `scale`;
/// on an event loop it also waits for the loop ([`Loop`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sharing {
    pub scale: f64,
    /// CPU on the request's path outside its process (nginx, Redis, PostgreSQL on the
    /// app node), ms, and its stretch by the cores' queue.
    pub beside_ms: f64,
    pub beside_scale: f64,
    pub hol: Option<Loop>,
    /// gthread: what a take of the GIL meets ([`super::gil::convoy`]).
    pub gil: Option<Gil>,
}

impl Sharing {
    /// The stretch of class `c`'s CPU. On gthread, a burst shorter than the switch interval
    /// shares the GIL only with the other short ones: one that meets a longer burst waits
    /// for the switch instead ([`gil::convoy`]).
    pub fn scale_of(&self, c: &ClassDemand) -> f64 {
        match self.gil {
            Some(g) if !gil::holds(c) => g.short_scale,
            _ => self.scale,
        }
    }

    /// The part of [`Self::scale_of`] that is a slower run, not a wait: on gthread, a burst
    /// that holds the GIL lets the short ones that wait for it through between its
    /// intervals, many small ones, so it runs at the speed they leave it (the cores' share,
    /// less theirs); only the other long bursts it shares the GIL with make its wait.
    pub fn run_of(&self, c: &ClassDemand) -> f64 {
        match self.gil {
            Some(g) if gil::holds(c) => g.short_scale.min(self.scale),
            _ => 1.0,
        }
    }
}

/// The event loops of a node at a rate: the bursts of CPU they run, one at a time each.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Loop {
    /// Share of the time a loop runs a burst (ρ).
    pub busy: f64,
    /// The wait of a new request: the kernel hands a connection to a process waiting in
    /// accept, not to one whose loop runs a burst, so the loops serve new requests as one
    /// pool (M/G/P, Allen–Cunneen): a request waits only when every loop is busy.
    pub arrival: Wait,
    /// The mean wait, when its loop is busy, of a request coming back from a wait (its
    /// process is fixed by then): the rest of the burst running (`E[S²]/2E[S]`) and the
    /// bursts queued before it (the pool's queue, a share per loop).
    pub resume_ms: f64,
}

/// The sharing of a request's CPU at `lambda` requests per ms per node. Sync: the node's
/// CPU station's stretch (`core_stretch`, the cores' queue). gthread: each process is a
/// processor-sharing server of its requests (the GIL) at the speed the cores give it, so
/// its stretch is `1/(v(1 − ρ))`. Event loop: the request runs at that speed, `1/v`,
/// and waits for the bursts ahead of it ([`Loop`]). None when a process is overloaded.
// Source: Kleinrock vol. 2 (1976) §4.4 (M/G/1 processor sharing: residence x/(1 − ρ));
// Kleinrock vol. 1 (1975) §5.6 (the residual of a service in progress, E[S²]/2E[S]);
// Allen (1990) §6.5 (G/G/c); Python docs `sys.setswitchinterval` (the GIL passes between threads
// every 5 ms, a round robin that processor sharing idealises).
pub fn sharing(node: &Node, lambda: f64, core_stretch: f64) -> Option<Sharing> {
    let processes = u64::from(node.workers.processes.max(1));
    let per_process = lambda / processes as f64;
    let mean_cpu: f64 = node.classes.iter().map(|c| c.share * c.cpu_ms).sum();
    let beside_ms = (node.cpu_ms - mean_cpu).max(0.0);
    let beside_scale = core_stretch.max(1.0);
    match node.process {
        Process::Single => Some(Sharing { scale: core_stretch.max(1.0), beside_ms, beside_scale, hol: None, gil: None }),
        Process::Threads(_) => {
            let (v, busy) = process_speed(processes, node.cpu_servers, per_process * mean_cpu)?;
            let threads = match node.process {
                Process::Threads(t) => t,
                _ => 1,
            };
            let scale = limited_stretch(busy, threads) / v;
            let short: f64 = node.classes.iter().filter(|c| !gil::holds(c)).map(|c| c.share * c.cpu_ms).sum();
            let short_scale = limited_stretch(per_process * short / v, threads) / v;
            Some(Sharing { scale, beside_ms, beside_scale, hol: None, gil: Some(Gil { per_process, stretch: scale, short_scale }) })
        }
        Process::EventLoop => {
            let (v, busy) = process_speed(processes, node.cpu_servers, per_process * mean_cpu)?;
            let (mut m1, mut m2) = (0.0, 0.0);
            for c in &node.classes {
                let burst = c.cpu_ms / v;
                let [a, b, _] = Shape::fit(burst, (c.cv * burst).powi(2)).moments();
                m1 += c.share * a;
                m2 += c.share * b;
            }
            let cv = if m1 > 0.0 { (m2 / (m1 * m1) - 1.0).max(0.0).sqrt() } else { 1.0 };
            let arrival = ggc_wait(processes, lambda, m1, cv)?;
            let queued_per_loop = lambda * arrival.mean_ms() / processes as f64;
            let resume_ms = if m1 > 0.0 && busy > 0.0 { m2 / (2.0 * m1) + m1 * queued_per_loop / busy } else { 0.0 };
            Some(Sharing { scale: 1.0 / v, beside_ms, beside_scale, hol: Some(Loop { busy, arrival, resume_ms }), gil: None })
        }
    }
}

/// The stretch of a burst on a core shared by at most `threads` threads at load ρ:
/// `1 + E[min(N, threads − 1)]` with N the others in progress, geometric as in M/M/1
/// processor sharing (`P(N ≥ k) = ρᵏ`), so `(1 − ρ^threads)/(1 − ρ)`: `1/(1 − ρ)` with
/// threads enough, 1 with one. The requests past the threads wait for one instead (the
/// slot's wait), not beside them.
// Source: Kleinrock vol. 2 (1976) §4.4 (M/M/1-PS: the number in system is geometric);
// Zhang, Dai & Zwart, "Law of large number limits of limited processor-sharing queues",
// Math. Oper. Res. 34 (2009) (limited processor sharing).
pub fn limited_stretch(busy: f64, threads: u32) -> f64 {
    // ρ = 0: e^(−∞) = 0, so 1; ρ ≥ 1 (never asked: the process would be overloaded) or a
    // NaN: at most every thread beside it.
    let t = f64::from(threads.max(1));
    ((1.0 - (busy.max(0.0).ln() * t).exp()) / (1.0 - busy)).min(t)
}

/// The speed `v` a process runs at while it has CPU work, and its busy share ρ, for
/// `work` ms of CPU per ms offered to each of `processes` processes on `cores` cores: each
/// process uses one core at a time; when more processes than cores want one, the cores
/// are shared equally, `v = E[min(1, cores/(1 + B))]` with B the other busy processes
/// (binomial, each busy with chance ρ), and ρ = work/v: the least fixed point, found by
/// iterating from ρ = work. None when it reaches 1.
// Source: the kernel's fair scheduler shares a core equally among runnable processes
// (Linux docs "CFS Scheduler"); a mean-field independence approximation.
pub fn process_speed(processes: u64, cores: u64, work: f64) -> Option<(f64, f64)> {
    if !(work < 1.0) {
        return None;
    }
    if processes <= cores.max(1) {
        return Some((1.0, work.max(0.0)));
    }
    let mut busy = work.max(0.0);
    for _ in 0..200 {
        let v = mean_speed(processes, cores.max(1), busy);
        let next = work / v;
        if !(next < 1.0) {
            return None;
        }
        if (next - busy).abs() <= 1e-9 {
            return Some((v, next));
        }
        busy = next;
    }
    Some((work / busy.max(1e-12), busy))
}

/// `E[min(1, cores/(1 + B))]`, B ~ Binomial(n = processes − 1, ρ): the binomial's terms
/// relative to the first, `x_b = C(n, b)·(ρ/(1 − ρ))^b` (each the one before times
/// `(n − b + 1)/b · ρ/(1 − ρ)`), weighted by the speed and summed, over their own sum
/// (`(1 − ρ)^−n`). No logarithm or exponential per term (a logarithm and an exponential
/// each, in logarithms, took a sixth of the latency curve's time); both sums are scaled
/// down together when a term passes 1e250, so nothing overflows.
fn mean_speed(processes: u64, cores: u64, busy: f64) -> f64 {
    let n = processes - 1;
    if busy <= 0.0 || n < cores {
        return 1.0;
    }
    if busy >= 1.0 {
        return cores as f64 / processes as f64;
    }
    let r = busy / (1.0 - busy);
    let (mut x, mut weighted, mut total) = (1.0, 0.0, 0.0);
    for b in 0..=n {
        if b > 0 {
            x *= (n - b + 1) as f64 / b as f64 * r;
        }
        if x > 1e250 {
            (x, weighted, total) = (x * 1e-250, weighted * 1e-250, total * 1e-250);
        }
        weighted += x * (cores as f64 / (b + 1) as f64).min(1.0);
        total += x;
    }
    (weighted / total).within(1e-12, 1.0)
}

#[cfg(test)]
mod tests {
    /// The terms relative to the first give the sum in logarithms (each binomial
    /// probability an exponential of its logarithm, summed with compensation) from 2 to
    /// 5,000 processes and busy shares from 1e-9 to 1 − 1e-9 (where the terms reach 1e3000
    /// before scaling), to what the logarithms allow: a logarithm of magnitude L is known
    /// to L·ε, so the sum in logarithms to a relative 4·n·|ln(1 − ρ)|·ε, the largest L.
    #[test]
    fn the_mean_speed_is_the_sum_in_logarithms() {
        let in_logs = |processes: u64, cores: u64, busy: f64| {
            let n = processes - 1;
            let (ln_p, ln_q) = (busy.ln(), (-busy).ln_1p());
            // Kahan's compensated sum of the log-probability's steps.
            let (mut ln_pmf, mut carry) = (n as f64 * ln_q, 0.0);
            let mut total = 0.0;
            for b in 0..=n {
                if b > 0 {
                    let step = ((n - b + 1) as f64 / b as f64).ln() + ln_p - ln_q - carry;
                    let next = ln_pmf + step;
                    carry = (next - ln_pmf) - step;
                    ln_pmf = next;
                }
                total += ln_pmf.exp() * (cores as f64 / (b + 1) as f64).min(1.0);
            }
            (total, 4.0 * n as f64 * ln_q.abs() * f64::EPSILON)
        };
        let mut r = crate::model::rng::Rng(0x5EED_5EED);
        for _ in 0..3_000 {
            let processes = 2 + [r.below(10), r.below(200), r.below(5_000)][r.below(3)] as u64;
            let cores = 1 + r.below(processes as usize - 1) as u64;
            let busy = [1e-9, 1.0 - 1e-9, r.unit(), 1e-3 * r.unit(), 1.0 - 1e-3 * r.unit()][r.below(5)];
            let (got, (want, tol)) = (super::mean_speed(processes, cores, busy), in_logs(processes, cores, busy));
            assert!((got - want).abs() <= (1e-13 + tol) * want, "{processes} processes, {cores} cores, busy {busy}: {got} against {want}");
        }
    }
}
