//! gthread under CPython's GIL: a request's path through its process (the main thread's
//! accept, a pool thread's CPU, its wait, its response, the main thread's close), and
//! who holds the GIL. A thread that wants the GIL while another runs Python waits; it
//! takes it when the other blocks (ends its CPU phase), or forces a switch when one of its
//! timed waits of a switch interval passes without the GIL changing hands. The one forced
//! off waits in turn, at the back.
// Source: CPython `Python/ceval_gil.c` (take_gil: `COND_TIMED_WAIT` of `interval`, then
// `SET_GIL_DROP_REQUEST` only if `switch_number` did not change; drop_gil with
// FORCE_SWITCHING); gunicorn 27 `gunicorn/workers/gthread.py` (the main thread's
// selector accepts and closes, a ThreadPoolExecutor runs `handle`).

use super::engine::{Done, Engine, Event};
use super::Mode;

/// The steps of a request under the GIL.
const ACCEPT: u8 = 0;
const BODY: u8 = 1;
const RESPONSE: u8 = 2;
const CLOSE: u8 = 3;

impl Engine<'_> {
    fn gil(&self) -> (f64, f64) {
        match self.sim.mode {
            Mode::Gil { switch_ms, step_ms, .. } => (switch_ms, step_ms),
            _ => unreachable!("GIL steps only in Mode::Gil"),
        }
    }

    /// `id` wants the GIL in process `p` for `cpu_ms` of CPU: it runs at once if no
    /// thread holds it, or queues for it.
    fn want(&mut self, p: usize, id: usize, cpu_ms: f64) {
        let r = &mut self.reqs[id];
        r.cpu_ms = cpu_ms;
        r.since_ms = self.now;
        if self.processes[p].cpu.is_empty() {
            self.processes[p].switched_ms = self.now;
        }
        self.processes[p].cpu.push_back(id);
    }

    /// A request arrives at process `p`: its main thread accepts it.
    pub(super) fn gil_accept(&mut self, p: usize, id: usize) {
        self.reqs[id].process = p;
        self.reqs[id].stage = ACCEPT;
        let step = self.gil().1;
        self.want(p, id, step);
    }

    /// `id` takes a pool thread of `p`, and wants the GIL for its CPU.
    fn take_thread(&mut self, p: usize, id: usize) {
        self.processes[p].held += 1;
        self.reqs[id].stage = BODY;
        let body = self.reqs[id].body_ms;
        self.want(p, id, body);
    }

    /// `id` gives its pool thread back (the next queued request takes it), and the main
    /// thread closes its connection.
    fn release_thread(&mut self, id: usize) {
        let p = self.reqs[id].process;
        self.processes[p].held -= 1;
        if let Some(next) = self.processes[p].queue.pop_front() {
            self.queued -= 1;
            self.take_thread(p, next);
        }
        self.reqs[id].stage = CLOSE;
        let step = self.gil().1;
        self.want(p, id, step);
    }

    /// `id` ended a CPU phase (and so dropped the GIL): its next step.
    pub(super) fn gil_after_cpu(&mut self, id: usize) {
        let r = self.reqs[id];
        match r.stage {
            ACCEPT if self.processes[r.process].held < self.slots => self.take_thread(r.process, id),
            ACCEPT => {
                self.processes[r.process].queue.push_back(id);
                self.mark_queued(id);
            }
            BODY if r.wait_ms > 0.0 => self.start_wait(id, r.wait_ms),
            BODY | RESPONSE => self.release_thread(id),
            _ => {
                self.finished.push(Done { class: r.class, response_ms: self.now - r.arrival_ms, queued: r.queued });
                self.free.push(id);
            }
        }
    }

    /// `id` is back from its wait: it wants the GIL to write its response.
    pub(super) fn gil_after_wait(&mut self, id: usize) {
        self.reqs[id].stage = RESPONSE;
        let (p, step) = (self.reqs[id].process, self.gil().1);
        self.want(p, id, step);
    }

    /// When a waiting thread of process `p` forces a switch: the end of the first of its
    /// timed waits (a switch interval each, from when it began to wait) that began after the
    /// GIL last changed hands.
    fn switch_due(&self, p: usize, switch_ms: f64) -> f64 {
        let proc = &self.processes[p];
        let mut due = f64::INFINITY;
        for &id in proc.cpu.iter().skip(1) {
            let since = self.reqs[id].since_ms;
            let skipped = if proc.switched_ms > since { ((proc.switched_ms - since) / switch_ms).ceil() } else { 0.0 };
            due = due.min(since + (skipped + 1.0) * switch_ms);
        }
        due
    }

    /// The earliest forced switch: (when, event).
    pub(super) fn next_switch(&self) -> Option<(f64, Event)> {
        let Mode::Gil { switch_ms, .. } = self.sim.mode else { return None };
        (0..self.processes.len())
            .filter(|&p| self.processes[p].cpu.len() > 1)
            .map(|p| (self.switch_due(p, switch_ms), Event::Switch { process: p }))
            .min_by(|a, b| a.0.total_cmp(&b.0))
    }

    /// A forced switch in process `p`: the running thread drops the GIL and waits for it
    /// at the back; the first waiting takes it.
    pub(super) fn switch(&mut self, p: usize) {
        let proc = &mut self.processes[p];
        let Some(running) = proc.cpu.pop_front() else { return };
        proc.cpu.push_back(running);
        proc.switched_ms = self.now;
        self.reqs[running].since_ms = self.now;
    }
}
