//! The GIL's convoy in a gthread process (PLANNER.md §3 "Latency per class"): a thread
//! that wants the GIL while another runs Python takes it when that one blocks, or forces a
//! switch after a switch interval. A request takes the GIL again after each blocking wait,
//! so while a burst longer than the interval runs in its process, each of those takes
//! waits up to the interval, never longer than the rest of the burst. Processor sharing
//! (the core's stretch, [`super::process::sharing`]) counts the CPU the threads share; this
//! counts the waits for the switch, which it does not.

use super::classes::ClassDemand;
use super::Node;
use crate::model::queueing::Waits;

/// CPython's switch interval: a thread that wants the GIL waits this long before it asks
/// the thread running Python to drop it (`sys.getswitchinterval()`, default 0.005 s).
// Source: Python docs, `sys.setswitchinterval`; CPython `Python/ceval_gil.c` (take_gil's
// timed wait of `interval`, then `SET_GIL_DROP_REQUEST`); CPython issue 7946
// ("Convoy effect with I/O bound threads and New GIL").
pub const SWITCH_INTERVAL_MS: f64 = 5.0;

/// A gthread process at a rate: what a request's takes of the GIL may meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gil {
    /// Requests per ms offered to one process.
    pub per_process: f64,
    /// How much longer a burst takes than its CPU: the process's speed and its sharing.
    pub stretch: f64,
    /// The same for a burst shorter than a switch interval: it shares the process's core
    /// only with the other short ones.
    pub short_scale: f64,
}

/// Whether a class's bursts hold the GIL through a switch interval (CPU of an interval or
/// more): the other threads that want it then wait for the switch.
pub fn holds(c: &ClassDemand) -> bool {
    c.cpu_ms >= SWITCH_INTERVAL_MS
}

/// The times a request of class `c` takes the GIL, each with its weight (a share of the
/// requests) and how far the thread it meets has run since the first: the main thread's
/// accept, the pool thread's start ([`START`]), after the database's round trip (its share
/// of the requests), after its off-CPU wait, the main thread's close. Between two takes the
/// other thread runs a switch interval (the one it waited), and through each blocking wait.
// Source: gunicorn 27 `gunicorn/workers/gthread.py` (the main thread's selector accepts
// and closes; a ThreadPoolExecutor runs `handle`); psycopg and the stdlib's sockets drop the
// GIL while they block.
fn takes(c: &ClassDemand, db_share: f64, db_hold_ms: f64, q: f64) -> [(f64, f64); 5] {
    let mut at = 0.0;
    let mut step = |weight: f64, before_ms: f64| {
        at += before_ms;
        let take = (weight, at);
        at += weight * q;
        take
    };
    [step(1.0, 0.0), step(1.0, 0.0), step(db_share, db_share * db_hold_ms), step(if c.wait_ms > 0.0 { 1.0 } else { 0.0 }, c.wait_ms), step(1.0, 0.0)]
}

/// The pool thread's start in [`takes`]: its CPU. Processor sharing counts it where the
/// burst it meets is as short as its own (both shorter than an interval, or both longer),
/// so it is a wait for the switch only for a short burst meeting a long one.
const START: usize = 1;

/// `E[min(q, (R − at)⁺)]`: the wait for a switch, at most `q`, of a thread that wants the
/// GIL `at` ms after another's burst had `R` left, R the residual of a burst of mean `b`
/// and coefficient of variation `cv`: for a constant burst uniform on (0, b); from cv 1 on,
/// exponential with the residual's mean `b(1 + cv²)/2`; between, the two mixed by cv².
// Source: Kleinrock vol. 1 (1975) §5.2 (the residual life, mean E[B²]/2E[B]).
fn wait_past(q: f64, at: f64, b: f64, cv: f64) -> f64 {
    if !(b > 0.0) {
        return 0.0;
    }
    let uniform = if at >= b {
        0.0
    } else if b - at <= q {
        (b - at) * (b - at) / (2.0 * b)
    } else {
        (q * q / 2.0 + q * (b - at - q)) / b
    };
    let m = b * (1.0 + cv * cv) / 2.0;
    let exponential = (-at / m).exp() * m * (1.0 - (-q / m).exp());
    let w = (cv * cv).min(1.0);
    (1.0 - w) * uniform + w * exponential
}

/// A request of class `c` with the waits for the switch it meets added: for each class,
/// the chance one of its bursts is running in the process (a Poisson number of them in
/// progress, `1 − e^(−λb)`), then the sum over the takes. To `slot` (the waits while it
/// holds a pool thread) the pool thread's takes (its start, after the database, after its
/// wait); to `response` the main thread's too (its accept and close, outside the slot).
/// One term per class met: a request that meets a burst at one take likely meets it at
/// the next. Both in one pass: each take's wait is found once.
#[inline(never)]
pub fn convoy(slot: Waits, response: Waits, node: &Node, c: &ClassDemand, gil: &Gil) -> (Waits, Waits) {
    let q = SWITCH_INTERVAL_MS;
    let takes = takes(c, node.db_share, node.db_hold_ms, q);
    node.classes.iter().fold((slot, response), |(in_slot, all), j| {
        let b = j.cpu_ms * if holds(j) { gil.stretch } else { gil.short_scale };
        let chance = 1.0 - (-gil.per_process * j.share * b).exp();
        let start = holds(j) && !holds(c);
        let (mut thread, mut main) = (0.0, 0.0);
        for (k, &(weight, at)) in takes.iter().enumerate() {
            match k {
                0 | 4 => main += weight * wait_past(q, at, b, j.cv),
                START if !start => {}
                _ => thread += weight * wait_past(q, at, b, j.cv),
            }
        }
        let add = |w: Waits, mean: f64| if mean > 0.0 { w.add(chance, mean) } else { w };
        (add(in_slot, thread), add(all, thread + main))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_for_a_switch_is_the_rest_of_the_burst_at_most_the_interval() {
        // A constant 30 ms burst met at a uniform point: E[min(5, U)] = (12.5 + 5·25)/30.
        assert!((wait_past(5.0, 0.0, 30.0, 0.0) - 137.5 / 30.0).abs() < 1e-12);
        // 27 ms later only the last 3 ms may remain: E[(U − 27)⁺] = 9/60.
        assert!((wait_past(5.0, 27.0, 30.0, 0.0) - 9.0 / 60.0).abs() < 1e-12);
        assert_eq!(wait_past(5.0, 30.0, 30.0, 0.0), 0.0);
        // Exponential: memoryless, m(1 − e^(−q/m)) discounted by the chance it lasts.
        let e = wait_past(5.0, 10.0, 30.0, 1.0);
        assert!((e - (-10.0f64 / 30.0).exp() * 30.0 * (1.0 - (-5.0f64 / 30.0).exp())).abs() < 1e-12);
        assert_eq!(wait_past(5.0, 0.0, 0.0, 1.0), 0.0);
        // Never more than the interval, never negative, whatever the burst.
        for b in [0.1, 1.0, 5.0, 50.0, 1e6] {
            for cv in [0.0, 0.5, 1.0, 3.0] {
                let w = wait_past(5.0, 0.0, b, cv);
                assert!((0.0..=5.0).contains(&w), "{b} {cv}: {w}");
            }
        }
    }

    #[test]
    fn a_request_takes_the_gil_after_each_blocking_wait() {
        let c = ClassDemand { share: 0.9, cpu_ms: 2.0, wait_ms: 8.0, cv: 0.0 };
        // accept, start, (no database), after its 8 ms wait, close: each a switch later.
        assert_eq!(takes(&c, 0.0, 0.0, 5.0), [(1.0, 0.0), (1.0, 5.0), (0.0, 10.0), (1.0, 18.0), (1.0, 23.0)]);
        let none = ClassDemand { wait_ms: 0.0, ..c };
        assert_eq!(takes(&none, 0.5, 4.0, 5.0), [(1.0, 0.0), (1.0, 5.0), (0.5, 12.0), (0.0, 14.5), (1.0, 14.5)]);
    }
}
