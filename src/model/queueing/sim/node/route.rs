//! Where a request goes next: a slot (a process, a thread or a place in the event loop),
//! its CPU phase, its off-CPU wait, the EventLoop's response burst, then out; every queue
//! FCFS.

use super::draw;
use super::engine::{Done, Engine, Req};
use super::{Dispatch, Mode};

impl Engine<'_> {
    /// A request arrives: its class, its CPU demand and its wait are drawn, and it takes a
    /// slot or queues for one.
    pub(super) fn arrive(&mut self) {
        let u = self.rng.unit();
        let class = self.cumulative.iter().position(|&c| u < c).unwrap_or(self.cumulative.len() - 1);
        let k = self.sim.classes[class];
        let cpu_ms = draw(&mut self.rng, k.cpu_ms, k.cv);
        let wait_ms = draw(&mut self.rng, k.wait_ms, k.cv);
        let req = Req { class, arrival_ms: self.now, cpu_ms, wait_ms, process: 0, queued: false, tail: false, stage: 0, body_ms: cpu_ms, since_ms: 0.0 };
        let id = match self.free.pop() {
            Some(id) => {
                self.reqs[id] = req;
                id
            }
            None => {
                self.reqs.push(req);
                self.reqs.len() - 1
            }
        };
        match self.sim.mode {
            Mode::Gil { .. } => {
                let p = self.dispatch();
                self.gil_accept(p, id);
            }
            // Pooled accept: any idle process takes it (they are alike, so the first).
            Mode::Sync => match self.processes.iter().position(|p| p.held == 0) {
                Some(p) => self.start(p, id),
                None => {
                    self.pooled.push_back(id);
                    self.mark_queued(id);
                }
            },
            _ => {
                let p = self.dispatch();
                if self.processes[p].held < self.slots {
                    self.start(p, id);
                } else {
                    self.processes[p].queue.push_back(id);
                    self.mark_queued(id);
                }
            }
        }
    }

    /// `id` found no free slot and queues for one.
    pub(super) fn mark_queued(&mut self, id: usize) {
        self.queued += 1;
        self.reqs[id].queued = true;
    }

    /// The process an arrival is sent to (Threads, EventLoop).
    fn dispatch(&mut self) -> usize {
        if self.sim.dispatch == Dispatch::IdleFirst {
            self.idle.clear();
            self.idle.extend((0..self.processes.len()).filter(|&i| self.processes[i].cpu.is_empty()));
            if !self.idle.is_empty() {
                return self.idle[self.rng.below(self.idle.len())];
            }
        }
        self.rng.below(self.processes.len())
    }

    /// `id` takes a slot of process `p` and starts its CPU phase (or, without CPU, its wait).
    fn start(&mut self, p: usize, id: usize) {
        self.processes[p].held += 1;
        self.reqs[id].process = p;
        if self.reqs[id].cpu_ms > 0.0 {
            self.processes[p].cpu.push_back(id);
        } else {
            self.after_cpu(id);
        }
    }

    /// `id` ends a CPU phase: after the response burst it leaves; otherwise its wait starts.
    /// A request without a wait never left the loop, so it answers in the same burst (a
    /// greenlet that never yields writes its response without waiting for the loop again).
    pub(super) fn after_cpu(&mut self, id: usize) {
        let r = self.reqs[id];
        if r.tail || !(r.wait_ms > 0.0) {
            self.depart(id);
        } else {
            self.start_wait(id, r.wait_ms);
        }
    }

    /// `id` ends its wait: in an event loop with a response burst it needs the loop once
    /// more, at the back of the loop's CPU queue; otherwise it leaves.
    pub(super) fn after_wait(&mut self, id: usize) {
        if matches!(self.sim.mode, Mode::Gil { .. }) {
            return self.gil_after_wait(id);
        }
        let tail_ms = self.sim.tail_cpu_ms;
        if matches!(self.sim.mode, Mode::EventLoop { .. }) && tail_ms > 0.0 && !self.reqs[id].tail {
            let r = &mut self.reqs[id];
            r.tail = true;
            r.cpu_ms = tail_ms;
            self.processes[r.process].cpu.push_back(id);
        } else {
            self.depart(id);
        }
    }

    /// `id` leaves: its response is recorded and its slot goes to the next in line.
    fn depart(&mut self, id: usize) {
        let r = self.reqs[id];
        self.finished.push(Done { class: r.class, response_ms: self.now - r.arrival_ms, queued: r.queued });
        self.free.push(id);
        let p = r.process;
        self.processes[p].held -= 1;
        let next = match self.sim.mode {
            Mode::Sync => self.pooled.pop_front(),
            _ => self.processes[p].queue.pop_front(),
        };
        if let Some(next) = next {
            self.queued -= 1;
            self.start(p, next);
        }
    }
}
