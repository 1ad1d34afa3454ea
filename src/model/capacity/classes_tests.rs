use super::*;
use crate::model::capacity::process::process_speed;
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
        // gthread under the GIL: its accept, response and close take it with a tiny CPU.
        Process::Threads(t) => Mode::Gil { threads: t as usize, switch_ms: super::super::gil::SWITCH_INTERVAL_MS, step_ms: 0.01 },
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

/// The model's and the simulation's latency at a rate: (model per class, simulation run).
fn both(server: &str, extra: &str, cv: f64, rps: f64, requests: usize) -> (crate::model::capacity::Latency, crate::model::queueing::sim::node::NodeRun) {
    let node = Node::new(&plan(server, extra, cv));
    let l = latency_at(&node, &capacity_of(&node), rps);
    let run = sim_of(&node).open(rps / 1000.0, 7, requests);
    assert!(!l.over_capacity && !run.overloaded, "{server} {rps}: within capacity");
    (l, run)
}

fn off(model: f64, sim: f64) -> f64 {
    model / sim - 1.0
}

const SERVERS: [(&str, &str); 3] = [("sync", "workers=5"), ("gthread", "workers=2&threads=4"), ("gevent", "workers=2")];

/// The whole mixture's p95 and p99 within a quarter of the simulation's, for each process
/// structure, constant and exponential times, at 70–90 % of the node's CPU. Per class,
/// the p95 within a third (the table below, run with `--ignored`, shows every point).
#[test]
fn the_tails_are_within_a_quarter_of_the_simulation() {
    for (server, extra) in SERVERS {
        // gthread's reference is the simulation with the GIL (sim_of); with exponential
        // times its tail is heavier than the measured server's (README, 180 r/s: the light
        // class's p95 83.8 ms simulated, 56.1 measured, the model 55.3), so at cv 1 the
        // measured figures are the reference (gthread_against_the_measured_server).
        let points = if server == "gthread" { [(0.0, 180.0), (0.0, 240.0)] } else { [(0.0, 180.0), (1.0, 240.0)] };
        for (cv, rps) in points {
            let (l, run) = both(server, extra, cv, rps, 200_000);
            let at = format!("{server} cv {cv} {rps} r/s");
            assert!(off(l.p95_ms, run.all.p95_ms).abs() <= 0.25, "{at}: p95 {} against {}", l.p95_ms, run.all.p95_ms);
            assert!(off(l.p99_ms, run.all.p99_ms).abs() <= 0.25, "{at}: p99 {} against {}", l.p99_ms, run.all.p99_ms);
            for (c, s) in l.classes.iter().zip(&run.classes).take(2) {
                assert!(off(c.p95_ms, s.p95_ms).abs() <= 0.34, "{at}: class p95 {} against {}", c.p95_ms, s.p95_ms);
                assert!(off(c.mean_ms, s.mean_ms).abs() <= 0.25, "{at}: class mean {} against {}", c.mean_ms, s.mean_ms);
            }
        }
    }
}

/// On an event loop the slow class's CPU burst delays the light class of its process:
/// the light class's p99 is at least twice sync's at the same rate, in the model as in the
/// simulation (the measurement: about 2×).
#[test]
fn an_event_loops_burst_delays_the_other_requests() {
    let (sync, sync_run) = both("sync", "workers=5", 0.0, 180.0, 200_000);
    let (gevent, gevent_run) = both("gevent", "workers=2", 0.0, 180.0, 200_000);
    assert!(gevent_run.classes[0].p99_ms >= 2.0 * sync_run.classes[0].p99_ms, "the simulation shows the effect");
    assert!(gevent.classes[0].p99_ms >= 2.0 * sync.classes[0].p99_ms, "{} against {}", gevent.classes[0].p99_ms, sync.classes[0].p99_ms);
    // ... while the slow class itself, never behind a burst longer than its own, is faster.
    assert!(gevent.classes[1].p95_ms < sync.classes[1].p95_ms);
}

/// `cv` matters without any wait for a slot: at a light load a constant class's p95 is
/// its time; with exponential CPU (2 ms) and wait (8 ms) it is their sum's, whose survival
/// is `(8e^{−t/8} − 2e^{−t/2})/6`: 26.27 ms at 5 %.
#[test]
fn variability_shapes_the_tail_at_a_light_load() {
    let at = |cv: f64| Node::new(&plan("sync", "workers=5", cv));
    let light = |cv: f64| {
        let n = at(cv);
        latency_at(&n, &capacity_of(&n), 6.0).classes[0]
    };
    let (constant, exponential) = (light(0.0), light(1.0));
    assert!((constant.p95_ms - 10.0).abs() < 0.2, "{}", constant.p95_ms);
    assert!((exponential.p95_ms / 26.27 - 1.0).abs() < 0.02, "{}", exponential.p95_ms);
    let h2 = light(2.0);
    assert!(h2.p99_ms > exponential.p99_ms && h2.p50_ms < exponential.p50_ms);
}

/// Processes beyond the cores run slower in proportion to the others busy with them: with
/// no more processes than cores, full speed; with many, the speed tends to cores/processes
/// as they all get busy; and the busy share is the work over the speed.
#[test]
fn a_process_runs_at_the_speed_the_cores_give_it() {
    assert_eq!(process_speed(2, 2, 0.5), Some((1.0, 0.5)));
    let (v, busy) = process_speed(4, 2, 0.3).expect("within capacity");
    assert!(v < 1.0 && v > 0.5, "{v}");
    assert!((busy * v - 0.3).abs() < 1e-9);
    // Two others busy with chance ρ: speed 1 with fewer than two, 2/3 with all three.
    let p = busy;
    let exact = (1.0 - p).powi(3) + 3.0 * p * (1.0 - p).powi(2) + 3.0 * p * p * (1.0 - p) * (2.0 / 3.0) + p.powi(3) * 0.5;
    assert!((v - exact).abs() < 1e-9, "{v} against {exact}");
    assert_eq!(process_speed(4, 2, 1.0), None);
    assert_eq!(process_speed(8, 2, 0.3), None, "8 processes × 0.3 of a core each is 2.4 cores");
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

#[test]
fn the_latency_curve_draws_what_the_latency_at_each_of_its_rates_says() {
    // curves::latency solves only the percentiles it draws (capacity::curve_at); each
    // point and each class's p95 is latency_at's, to the bit, and the curve stops where
    // latency_at says the rate is over capacity.
    let mut r = crate::model::rng::Rng(0x00C0_12E5);
    for i in 0..600 {
        let p = crate::model::rules::tests::property::random_plan(&mut r);
        let eval = crate::model::capacity::evaluate(&p);
        let curve = crate::model::curves::latency_beside(&p, &eval);
        let cap = &eval.capacity;
        let full: Vec<_> = curve.points.iter().enumerate().map(|(k, pt)| (pt, latency_at(&eval.node, cap, cap.node_max_rps * crate::model::curves::latency_share(k)))).collect();
        for (k, (pt, l)) in full.iter().enumerate() {
            assert!(!l.over_capacity, "plan {i}, point {k}");
            assert_eq!((pt.rps, pt.p50_ms, pt.p95_ms, pt.p99_ms), (l.rate_rps, l.p50_ms, l.p95_ms, l.p99_ms), "plan {i}, point {k}");
            for (name, p95s) in &curve.classes {
                let j = p.classes().iter().position(|c| c.name == *name).unwrap();
                assert_eq!(p95s[k], l.classes[j].p95_ms, "plan {i}, point {k}, class {name}");
            }
        }
        let next = curve.points.len();
        if next < crate::model::curves::LATENCY_STEPS {
            assert!(latency_at(&eval.node, cap, cap.node_max_rps * crate::model::curves::latency_share(next)).over_capacity, "plan {i}: stops at {next}");
        }
    }
}

/// The README's measured gthread server (gunicorn 27.0.1, 2 workers × 4 threads, its
/// 1.01 ms of CPU per request, open-loop Poisson load, 2026-12-06): each class's p95
/// within a quarter of the measured one from 60 to 180 r/s, at cv 0 and 1 (the slow class's
/// within 30 %), where processor sharing alone had the light class 27–53 % low (the GIL's
/// convoy, [`super::super::gil`]). The measured p95, ms, light then slow.
#[test]
fn gthread_against_the_measured_server() {
    let measured = [
        (0, 60.0, [17.6, 41.1]),
        (0, 120.0, [33.9, 70.2]),
        (0, 180.0, [48.7, 91.4]),
        (1, 180.0, [56.1, 146.6]),
    ];
    for (cv, rps, p95) in measured {
        let q = format!("cores=2&server=gthread&workers=2&threads=4&mix=90,10,0&cpu_ms=2,30,1&wait_ms=8,0,0&cv={cv}&overhead_ms=1.01&db=none&cache=none&proxy=none");
        let node = Node::new(&crate::model::query::decode_strict(&q).expect("plan"));
        let l = latency_at(&node, &capacity_of(&node), rps);
        // The slow class errs high, by up to 26 % here (and +56 % at 240 r/s, README).
        for ((c, m), tol) in l.classes.iter().zip(p95).zip([0.25, 0.3]) {
            assert!(off(c.p95_ms, m).abs() <= tol, "cv {cv} {rps} r/s: p95 {} against {m} measured", c.p95_ms);
        }
    }
}

/// The light class's tail grows with CPython's switch interval, and its median does not,
/// in the simulation with the GIL as on the measured server (README, 120 r/s: p95 23.4,
/// 36.2 and 45.7 ms at 1, 5 and 20 ms); the model's convoy at the default interval sits
/// within a quarter of the simulation's.
#[test]
fn the_light_class_waits_for_the_switch() {
    let q = "cores=2&server=gthread&workers=2&threads=4&mix=90,10,0&cpu_ms=2,30,1&wait_ms=8,0,0&cv=0&overhead_ms=1.01&db=none&cache=none&proxy=none";
    let node = Node::new(&crate::model::query::decode_strict(q).expect("plan"));
    let runs: Vec<_> = [1.0, 5.0, 20.0]
        .into_iter()
        .map(|switch_ms| NodeSim { mode: Mode::Gil { threads: 4, switch_ms, step_ms: 0.01 }, ..sim_of(&node) }.open(0.12, 7, 100_000).classes[0])
        .collect();
    assert!(runs[0].p95_ms < runs[1].p95_ms && runs[1].p95_ms < runs[2].p95_ms, "{runs:?}");
    assert!((runs[2].p50_ms / runs[0].p50_ms - 1.0).abs() < 0.1, "{runs:?}");
    let l = latency_at(&node, &capacity_of(&node), 120.0);
    assert!(off(l.classes[0].p95_ms, runs[1].p95_ms).abs() <= 0.25, "{} against {}", l.classes[0].p95_ms, runs[1].p95_ms);
    // Without the convoy (processor sharing alone) the model was 16.1 ms here.
    assert!(l.classes[0].p95_ms > 25.0);
}

/// The README's gthread table: the model beside the simulation with the GIL at CPython's
/// switch interval of 1, 5 and 20 ms (the model's is 5), per class p50/p95/p99.
#[test]
#[ignore]
fn gil_table() {
    for (switch_ms, cv) in [(1.0, 0), (5.0, 0), (20.0, 0), (5.0, 1)] {
        for rps in [60.0, 120.0, 180.0, 240.0] {
            let q = format!("cores=2&server=gthread&workers=2&threads=4&mix=90,10,0&cpu_ms=2,30,1&wait_ms=8,0,0&cv={cv}&overhead_ms=1.01&db=none&cache=none&proxy=none");
            let node = Node::new(&crate::model::query::decode_strict(&q).expect("plan"));
            let l = latency_at(&node, &capacity_of(&node), rps);
            let run = NodeSim { mode: Mode::Gil { threads: 4, switch_ms, step_ms: 0.01 }, ..sim_of(&node) }.open(rps / 1000.0, 7, 200_000);
            for (i, (c, s)) in l.classes.iter().zip(&run.classes).enumerate().take(2) {
                let name = ["light", "slow"][i];
                eprintln!("cv {cv} switch {switch_ms:>4} {rps:>4} {name:5} model {:6.1} {:6.1} {:6.1} | sim {:6.1} {:6.1} {:6.1}", c.p50_ms, c.p95_ms, c.p99_ms, s.p50_ms, s.p95_ms, s.p99_ms);
            }
        }
    }
}

#[test]
fn at_most_the_threads_share_a_core() {
    use crate::model::capacity::process::limited_stretch;
    // 1 + ρ + … + ρ^(threads − 1): one thread never shares, enough are M/M/1-PS's 1/(1 − ρ).
    assert_eq!(limited_stretch(0.0, 4), 1.0);
    assert!((limited_stretch(0.5, 1) - 1.0).abs() < 1e-12);
    assert!((limited_stretch(0.5, 2) - 1.5).abs() < 1e-12);
    assert!((limited_stretch(0.7, 4) - (1.0 + 0.7 + 0.49 + 0.343)).abs() < 1e-12);
    assert!((limited_stretch(0.5, 1_000) - 2.0).abs() < 1e-12);
    // Overloaded or NaN: every thread beside it, never more.
    assert_eq!(limited_stretch(1.0, 4), 4.0);
    assert_eq!(limited_stretch(1.5, 4), 4.0);
    assert_eq!(limited_stretch(f64::NAN, 4), 4.0);
}
