//! Checks of the node simulation against closed forms: Erlang C, Pollaczek–Khinchine,
//! M/G/1 processor sharing, pure delays, and the bound the cores put on a saturated node.

use super::*;
use crate::model::queueing::{erlang_c, mmc_wait};

/// Requests of a run: the mean response near ρ = 0.5–0.6 to about 1 %, and a run under a
/// second in the debug build.
const REQUESTS: usize = 200_000;

/// One class of the whole traffic.
fn only(cpu_ms: f64, wait_ms: f64, cv: f64) -> Vec<SimClass> {
    vec![SimClass { share: 1.0, cpu_ms, wait_ms, cv }]
}

/// A node with random dispatch and no response burst.
fn node(cores: u64, processes: usize, mode: Mode, classes: Vec<SimClass>) -> NodeSim {
    NodeSim { cores, processes, mode, dispatch: Dispatch::Random, classes, tail_cpu_ms: 0.0 }
}

/// Asserts `actual` within `tol` (relative) of `expected`, printing the margin.
#[track_caller]
fn assert_close(what: &str, actual: f64, expected: f64, tol: f64) {
    let err = (actual - expected).abs() / expected.abs();
    eprintln!("{what}: {actual:.4} vs {expected:.4} ({:+.2} %)", (actual / expected - 1.0) * 100.0);
    assert!(err <= tol, "{what}: {actual} vs {expected}, off by {:.2} % (> {:.1} %)", err * 100.0, tol * 100.0);
}

/// The Pollaczek–Khinchine mean wait of M/G/1, `λE[S²] / (2(1 − ρ))`, at the load the
/// run actually saw (its throughput and busy share): the wait is steep in the load, so the
/// realised load removes most of the noise of the arrival draws (as in the fleet's tests).
// Source: Kleinrock, *Queueing Systems* vol. 1 (1975), §5.7, eq. (5.85); Law (2015),
// §11.3 (control variates).
fn pk_wait_at_realised_load(got: &NodeRun, second_moment: f64) -> f64 {
    got.throughput_per_ms * second_moment / (2.0 * (1.0 - got.cpu_utilisation))
}

#[test]
fn sync_processes_with_a_core_each_are_erlang_c() {
    // M/M/P: the pooled queue is the one FCFS line, and no process ever shares a core.
    let (cores, cpu_ms, rate) = (3, 10.0, 0.18);
    let got = node(cores, 3, Mode::Sync, only(cpu_ms, 0.0, 1.0)).open(rate, 1, REQUESTS);
    assert!(!got.overloaded);
    // The realised load: throughput × realised mean service = busy cores.
    let service_ms = got.cpu_utilisation * cores as f64 / got.throughput_per_ms;
    let wait = mmc_wait(cores, got.throughput_per_ms, service_ms).unwrap().mean_ms();
    assert_close("mean wait", got.all.mean_ms - service_ms, wait, 0.04);
    let nominal = mmc_wait(cores, rate, cpu_ms).unwrap().mean_ms() + cpu_ms;
    assert_close("mean response, nominal load", got.all.mean_ms, nominal, 0.03);
    assert_close("share that queued", got.queued_share, erlang_c(cores, rate * cpu_ms), 0.03);
    assert_close("cpu utilisation", got.cpu_utilisation, rate * cpu_ms / cores as f64, 0.02);
}

#[test]
fn one_sync_process_with_deterministic_cpu_waits_as_pollaczek_khinchine_md1() {
    let (cpu_ms, rate) = (1.0, 0.6);
    let got = node(1, 1, Mode::Sync, only(cpu_ms, 0.0, 0.0)).open(rate, 2, REQUESTS);
    let wait = pk_wait_at_realised_load(&got, cpu_ms * cpu_ms);
    assert_close("mean wait", got.all.mean_ms - cpu_ms, wait, 0.03);
    assert_close("nominal M/D/1 wait", got.all.mean_ms - cpu_ms, rate * cpu_ms * cpu_ms / (2.0 * 0.4), 0.05);
}

#[test]
fn a_lone_slot_is_held_through_the_wait_in_every_mode() {
    // One process with one slot, 1 ms CPU then 1 ms off-CPU, both fixed: M/D/1 with a
    // 2 ms service, the core idle half of the time the slot is held.
    let modes = [Mode::Sync, Mode::Threads { threads: 1 }, Mode::EventLoop { concurrency: 1 }];
    for (seed, mode) in (3..).zip(modes) {
        let got = node(1, 1, mode, only(1.0, 1.0, 0.0)).open(0.3, seed, REQUESTS / 2);
        let wait = got.throughput_per_ms * 4.0 / (2.0 * (1.0 - 2.0 * got.throughput_per_ms));
        assert_close(&format!("{mode:?} mean wait"), got.all.mean_ms - 2.0, wait, 0.03);
        assert_close(&format!("{mode:?} cpu utilisation"), got.cpu_utilisation, 0.3, 0.02);
    }
}

#[test]
fn an_event_loop_waits_off_the_loop() {
    // With room for every request, the loop is an M/G/1 queue of bursts and the waits run
    // beside it: response = P–K wait + burst + off-CPU wait (exponential bursts: E[S²] = 2x²).
    let sim = node(1, 1, Mode::EventLoop { concurrency: 100_000 }, only(1.0, 5.0, 1.0));
    let got = sim.open(0.5, 16, REQUESTS / 2);
    let expected = pk_wait_at_realised_load(&got, 2.0) + 1.0 + 5.0;
    assert_close("mean response", got.all.mean_ms, expected, 0.02);
}

#[test]
fn one_event_loop_with_deterministic_bursts_is_md1() {
    // Non-preemptive FCFS bursts and nothing else: the loop is an M/D/1 queue.
    let sim = node(1, 1, Mode::EventLoop { concurrency: 100_000 }, only(1.0, 0.0, 0.0));
    let got = sim.open(0.6, 4, REQUESTS);
    assert_eq!(got.queued_share, 0.0);
    assert_close("mean wait", got.all.mean_ms - 1.0, pk_wait_at_realised_load(&got, 1.0), 0.03);
}

#[test]
fn an_event_loop_with_two_classes_is_mg1_with_the_mixtures_second_moment() {
    // Each class waits the same P–K wait, then its own burst.
    let classes = vec![
        SimClass { share: 0.7, cpu_ms: 1.0, wait_ms: 0.0, cv: 0.5 },
        SimClass { share: 0.3, cpu_ms: 4.0, wait_ms: 0.0, cv: 1.0 },
    ];
    // E[S²] = Σ share · mean² (1 + cv²).
    let second: f64 = classes.iter().map(|k| k.share * k.cpu_ms * k.cpu_ms * (1.0 + k.cv * k.cv)).sum();
    let sim = node(1, 1, Mode::EventLoop { concurrency: 100_000 }, classes.clone());
    let got = sim.open(0.3, 5, REQUESTS);
    let wait = pk_wait_at_realised_load(&got, second);
    for (k, (class, tally)) in classes.iter().zip(&got.classes).enumerate() {
        assert_close(&format!("class {k} response"), tally.mean_ms, wait + class.cpu_ms, 0.04);
        assert_close(&format!("class {k} share"), tally.count as f64 / got.all.count as f64, class.share, 0.02);
    }
}

#[test]
fn threads_of_one_process_share_its_cpu_as_mg1_processor_sharing() {
    // M/G/1-PS: mean response x/(1 − ρ) whatever the service distribution (insensitivity).
    let cpu_ms = 1.0;
    for (cv, seed) in [(1.0, 6), (0.0, 7)] {
        let sim = node(2, 1, Mode::Threads { threads: 100_000 }, only(cpu_ms, 0.0, cv));
        let got = sim.open(0.5, seed, REQUESTS);
        let rho = got.cpu_utilisation * 2.0; // one process uses at most one of the 2 cores
        assert_close(&format!("cv {cv} mean response"), got.all.mean_ms, cpu_ms / (1.0 - rho), 0.03);
        assert_close(&format!("cv {cv} nominal"), got.all.mean_ms, cpu_ms / (1.0 - 0.5), 0.04);
    }
}

#[test]
fn random_dispatch_splits_the_stream_into_independent_processes() {
    // 4 processes on 4 cores, each an M/M/1-PS at a quarter of the rate.
    let sim = node(4, 4, Mode::Threads { threads: 100_000 }, only(2.0, 0.0, 1.0));
    let got = sim.open(1.0, 8, REQUESTS);
    assert_close("mean response", got.all.mean_ms, 2.0 / (1.0 - got.cpu_utilisation), 0.03);
}

/// The `q`-quantile of the Erlang-`k` distribution of mean `mean_ms`, by bisection of its
/// CDF `1 − e^{−x} Σ_{n<k} xⁿ/n!` (x in units of the phase mean).
fn erlang_quantile(k: u32, mean_ms: f64, q: f64) -> f64 {
    let cdf = |x: f64| {
        let (mut term, mut sum) = (1.0, 0.0);
        for n in 0..k {
            sum += term;
            term *= x / f64::from(n + 1);
        }
        1.0 - (-x).exp() * sum
    };
    let (mut lo, mut hi) = (0.0, 100.0 * f64::from(k));
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if cdf(mid) < q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi) * mean_ms / f64::from(k)
}

#[test]
fn a_pure_delay_takes_the_wait_and_its_percentiles() {
    let threads = Mode::Threads { threads: 10_000 };
    let fixed = node(2, 2, threads, only(0.0, 10.0, 0.0)).open(1.0, 9, 20_000);
    assert!((fixed.all.mean_ms - 10.0).abs() < 1e-9 && (fixed.all.p99_ms - 10.0).abs() < 1e-9, "{fixed:?}");
    assert_eq!(fixed.cpu_utilisation, 0.0);
    // cv 0.5: gamma of shape 4, an Erlang-4 of mean 10 ms.
    let got = node(2, 2, threads, only(0.0, 10.0, 0.5)).open(1.0, 10, REQUESTS);
    assert_close("mean", got.all.mean_ms, 10.0, 0.01);
    for (q, sim_ms) in [(0.50, got.all.p50_ms), (0.95, got.all.p95_ms), (0.99, got.all.p99_ms)] {
        assert_close(&format!("p{}", q * 100.0), sim_ms, erlang_quantile(4, 10.0, q), 0.02);
    }
}

#[test]
fn sync_processes_beyond_the_cores_share_them_as_erlang_c_on_the_cores() {
    // n requests in a node of P > c processes complete at min(n, c)/x (the busy processes
    // share the cores): the birth–death chain of M/M/c, so its mean response.
    let (cores, cpu_ms, rate) = (2, 1.0, 1.2);
    let got = node(cores, 5, Mode::Sync, only(cpu_ms, 0.0, 1.0)).open(rate, 15, REQUESTS);
    let service_ms = got.cpu_utilisation * cores as f64 / got.throughput_per_ms;
    let wait = mmc_wait(cores, got.throughput_per_ms, service_ms).unwrap().mean_ms();
    assert_close("mean response", got.all.mean_ms, wait + service_ms, 0.03);
}

#[test]
fn sync_processes_beyond_the_cores_are_bounded_by_the_cores() {
    // 4 processes on 2 cores, 1 ms each: at most 2 requests per ms.
    let sim = node(2, 4, Mode::Sync, only(1.0, 0.0, 1.0));
    let got = sim.open(3.0, 11, 100_000);
    assert!(got.overloaded);
    assert_close("throughput at the bound", got.throughput_per_ms, 2.0, 0.03);
    assert!(got.cpu_utilisation > 0.99, "{got:?}");
    let fine = sim.open(1.0, 11, 50_000);
    assert!(!fine.overloaded);
    assert_close("cpu utilisation below the bound", fine.cpu_utilisation, 0.5, 0.03);
}

#[test]
fn the_response_burst_is_more_work_for_the_loop() {
    // Work is conserved: busy share = λ (cpu + tail) for one loop on one core.
    let sim = NodeSim { tail_cpu_ms: 0.5, ..node(1, 1, Mode::EventLoop { concurrency: 50 }, only(1.0, 5.0, 1.0)) };
    let got = sim.open(0.4, 12, 50_000);
    assert_close("cpu utilisation", got.cpu_utilisation, got.throughput_per_ms * 1.5, 0.01);
    let without = NodeSim { tail_cpu_ms: 0.0, ..sim.clone() }.open(0.4, 12, 50_000);
    assert!(got.all.mean_ms > without.all.mean_ms + 0.5, "{} vs {}", got.all.mean_ms, without.all.mean_ms);
}

#[test]
fn idle_first_dispatch_waits_less_than_random() {
    let loops = |dispatch| NodeSim { dispatch, ..node(4, 4, Mode::EventLoop { concurrency: 10 }, only(2.0, 5.0, 1.0)) };
    let random = loops(Dispatch::Random).open(1.2, 13, 50_000);
    let idle = loops(Dispatch::IdleFirst).open(1.2, 13, 50_000);
    assert!(idle.all.mean_ms < random.all.mean_ms, "{} vs {}", idle.all.mean_ms, random.all.mean_ms);
}

#[test]
fn a_node_without_arrivals_stops_at_once() {
    let got = node(1, 1, Mode::Sync, only(1.0, 0.0, 1.0)).open(0.0, 14, 1_000);
    assert_eq!((got.all.count, got.overloaded), (0, false));
}

#[test]
fn the_same_seed_gives_the_same_result() {
    let classes = vec![
        SimClass { share: 0.5, cpu_ms: 1.0, wait_ms: 3.0, cv: 2.0 },
        SimClass { share: 0.5, cpu_ms: 2.0, wait_ms: 1.0, cv: 0.3 },
    ];
    for mode in [Mode::Sync, Mode::Threads { threads: 4 }, Mode::EventLoop { concurrency: 8 }] {
        let sim = NodeSim { dispatch: Dispatch::IdleFirst, tail_cpu_ms: 0.2, ..node(2, 3, mode, classes.clone()) };
        assert_eq!(sim.open(0.5, 42, 20_000), sim.open(0.5, 42, 20_000));
        assert_ne!(sim.open(0.5, 42, 20_000), sim.open(0.5, 43, 20_000));
    }
}

#[test]
fn the_gil_with_a_short_switch_interval_is_processor_sharing() {
    // Forced switches every 0.02 ms among 1 ms bursts: round robin with a small quantum,
    // M/G/1-PS's mean x/(1 − ρ) (constant bursts: FCFS would give 1 + 0.75 = 1.75 ms).
    let gil = Mode::Gil { threads: 1_000, switch_ms: 0.02, step_ms: 0.0 };
    let got = node(1, 1, gil, only(1.0, 0.0, 0.0)).open(0.6, 22, REQUESTS / 4);
    assert_close("mean response", got.all.mean_ms, 1.0 / (1.0 - got.cpu_utilisation), 0.05);
}

#[test]
fn a_thread_back_from_io_waits_a_switch_interval_behind_a_long_burst() {
    // One process on one core: a 1,000 ms burst every so often beside requests of no CPU
    // but their four takes of the GIL (0.001 ms each, one after a 1 ms wait). Behind the
    // long burst each take waits the interval, so such a request takes 4 × 5 ms + 1 ms.
    let classes = vec![
        SimClass { share: 0.001, cpu_ms: 1_000.0, wait_ms: 0.0, cv: 0.0 },
        SimClass { share: 0.999, cpu_ms: 0.001, wait_ms: 1.0, cv: 0.0 },
    ];
    let sim = node(1, 1, Mode::Gil { threads: 100, switch_ms: 5.0, step_ms: 0.001 }, classes);
    let got = sim.open(0.05, 23, 20_000);
    let light = got.classes[1];
    // The long burst runs 5 % of the time (0.05 per ms × 0.001 × 1,000 ms): the light
    // class's median has no wait, its p99 met the burst.
    assert!((light.p50_ms - 1.0).abs() < 0.1, "{light:?}");
    assert!((light.p99_ms - 21.0).abs() < 0.5, "{light:?}");
}
