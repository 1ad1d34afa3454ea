use super::*;
use crate::model::capacity::{capacity_of, latency_at};
use crate::model::queueing::sim::node::{Dispatch, Mode, NodeSim, SimClass};

/// The node: 2 cores, a light class (90 %: 2 ms CPU, 8 ms wait) and a slow one
/// (10 %: 30 ms CPU), no server overhead, nothing beside the app.
fn plan(server: &str, extra: &str, cv: f64) -> Plan {
    let q = format!("cores=2&server={server}&{extra}&mix=90,10,0&cpu_ms=2,30,1&wait_ms=8,0,0&cv={cv}&overhead_ms=0&db=none&cache=none&proxy=none");
    crate::model::query::decode_strict(&q).expect("plan")
}

fn sim_of(node: &Node) -> NodeSim {
    let mode = match node.process {
        Process::Single => Mode::Sync,
        Process::Threads(t) => Mode::Threads { threads: t as usize },
        Process::EventLoop => Mode::EventLoop { concurrency: node.workers.per_process as usize },
    };
    NodeSim {
        cores: node.cpu_servers,
        processes: node.workers.processes as usize,
        mode,
        // The kernel hands a connection to a loop waiting in accept (not one running a
        // burst); a gthread process accepts whatever it is given (classes::Process).
        dispatch: if node.process == Process::EventLoop { Dispatch::IdleFirst } else { Dispatch::Random },
        classes: node.classes.iter().map(|c| SimClass { share: c.share, cpu_ms: c.cpu_ms, wait_ms: c.wait_ms, cv: c.cv }).collect(),
        tail_cpu_ms: 0.01,
    }
}

#[test]
#[ignore]
fn table_against_the_simulation() {
    for (server, extra) in [("sync", "workers=5"), ("gthread", "workers=2&threads=4"), ("gevent", "workers=2")] {
        for cv in [0.0, 1.0] {
            let p = plan(server, extra, cv);
            let node = Node::new(&p);
            let cap = capacity_of(&node);
            for rps in [60.0, 120.0, 180.0, 240.0] {
                let l = latency_at(&node, &cap, rps);
                let run = sim_of(&node).open(rps / 1000.0, 7, 200_000);
                let row = |name: &str, m: [f64; 4], s: &crate::model::queueing::sim::node::Tally| {
                    let e = |a: f64, b: f64| 100.0 * (a / b - 1.0);
                    eprintln!(
                        "{server:8} cv {cv} {rps:>4} {name:6} model {:7.1} {:7.1} {:7.1} {:7.1} | sim {:7.1} {:7.1} {:7.1} {:7.1} | {:+5.0} {:+5.0} {:+5.0} {:+5.0} %",
                        m[0], m[1], m[2], m[3], s.mean_ms, s.p50_ms, s.p95_ms, s.p99_ms,
                        e(m[0], s.mean_ms), e(m[1], s.p50_ms), e(m[2], s.p95_ms), e(m[3], s.p99_ms)
                    );
                };
                if l.over_capacity || run.overloaded {
                    eprintln!("{server} cv {cv} {rps}: over capacity model {} sim {}", l.over_capacity, run.overloaded);
                    continue;
                }
                row("all", [l.mean_ms, l.p50_ms, l.p95_ms, l.p99_ms], &run.all);
                for (i, (c, s)) in l.classes.iter().zip(&run.classes).enumerate().take(2) {
                    row(if i == 0 { "light" } else { "slow" }, [c.mean_ms, c.p50_ms, c.p95_ms, c.p99_ms], s);
                }
            }
        }
    }
}
