//! Where a request goes next: a slot, the CPU, then the database if it uses it (a pool
//! connection, then a server connection, held through the database CPU and the rest of
//! the hold), then the off-CPU delay; every queue FCFS.

use super::{station_rate, Event, Fleet, Req};
use crate::model::rng::Rng;

/// A request drawn uniformly from `v` and removed: at a processor-sharing station or a
/// delay with exponential times, each request present is equally likely to finish first.
fn take(v: &mut Vec<Req>, rng: &mut Rng) -> Req {
    let k = rng.below(v.len());
    v.swap_remove(k)
}

impl Fleet<'_> {
    /// Applies `event`: the request it ends moves on.
    pub(super) fn apply(&mut self, event: Event) {
        match event {
            Event::Arrival => self.arrive(),
            Event::Cpu(i) => {
                let r = take(&mut self.nodes[i].cpu, &mut self.rng);
                self.nodes[i].cpu_rate = station_rate(&self.cpu, self.nodes[i].cpu.len());
                self.after_cpu(r);
            }
            Event::Delay => {
                let r = take(&mut self.delay, &mut self.rng);
                self.finish(r);
            }
            Event::DbCpu => {
                let r = take(&mut self.db_cpu, &mut self.rng);
                if self.rest_ms > 0.0 {
                    self.db_rest.push(r);
                } else {
                    self.end_hold(r);
                }
            }
            Event::DbRest => {
                let r = take(&mut self.db_rest, &mut self.rng);
                self.end_hold(r);
            }
        }
    }

    /// A Poisson arrival at a node drawn at random: a slot if one is free, else the queue.
    fn arrive(&mut self) {
        let r = Req::new(self.rng.below(self.nodes.len()), self.now);
        let node = &mut self.nodes[r.node];
        if node.slots < self.sim.slots {
            node.slots += 1;
            self.enter_cpu(r);
        } else {
            node.slot_queue.push_back(r);
            self.queued += 1;
        }
    }

    /// A request with a slot starts at its node's CPU (or skips a CPU of no demand).
    pub fn enter_cpu(&mut self, r: Req) {
        if self.cpu.demand_ms > 0.0 {
            let node = &mut self.nodes[r.node];
            node.cpu.push(r);
            node.cpu_rate = station_rate(&self.cpu, node.cpu.len());
        } else {
            self.after_cpu(r);
        }
    }

    /// After the CPU: the database with probability `db_share`, else the off-CPU delay.
    fn after_cpu(&mut self, r: Req) {
        if self.sim.db_share > 0.0 && self.rng.unit() < self.sim.db_share {
            self.want_client(r);
        } else {
            self.enter_delay(r);
        }
    }

    /// A node's pool connection, or its FCFS queue.
    fn want_client(&mut self, r: Req) {
        let node = &mut self.nodes[r.node];
        if node.clients < self.sim.client_conns {
            node.clients += 1;
            self.want_server(r);
        } else {
            node.pool_queue.push_back(r);
        }
    }

    /// With a pool connection held: a server connection, or the fleet's FCFS queue.
    fn want_server(&mut self, r: Req) {
        if self.servers < self.sim.server_conns {
            self.servers += 1;
            self.start_hold(r);
        } else {
            self.server_queue.push_back(r);
        }
    }

    /// Both connections held: the database CPU phase, then the rest of the hold.
    fn start_hold(&mut self, r: Req) {
        if self.db.demand_ms > 0.0 {
            self.db_cpu.push(r);
        } else if self.rest_ms > 0.0 {
            self.db_rest.push(r);
        } else {
            self.end_hold(r);
        }
    }

    /// Releases both connections to the heads of their queues, then the off-CPU delay.
    fn end_hold(&mut self, r: Req) {
        self.servers -= 1;
        if let Some(next) = self.server_queue.pop_front() {
            self.servers += 1;
            self.start_hold(next);
        }
        let node = &mut self.nodes[r.node];
        node.clients -= 1;
        if let Some(next) = node.pool_queue.pop_front() {
            node.clients += 1;
            self.want_server(next);
        }
        self.enter_delay(r);
    }

    fn enter_delay(&mut self, r: Req) {
        if self.sim.wait_ms > 0.0 {
            self.delay.push(r);
        } else {
            self.finish(r);
        }
    }

    /// The request is done: counted, and its slot goes to a new request (closed) or to
    /// the head of the node's slot queue (open).
    fn finish(&mut self, r: Req) {
        self.finished += 1;
        let t = &mut self.tally;
        t.done += 1;
        t.response_sum += self.now - r.start_ms;
        t.wait_sum += r.admitted_ms - r.start_ms;
        if self.open {
            t.responses.push(self.now - r.start_ms);
            let node = &mut self.nodes[r.node];
            node.slots -= 1;
            if let Some(mut next) = node.slot_queue.pop_front() {
                self.queued -= 1;
                node.slots += 1;
                next.admitted_ms = self.now;
                self.enter_cpu(next);
            }
        } else {
            self.enter_cpu(Req::new(r.node, self.now));
        }
    }
}
