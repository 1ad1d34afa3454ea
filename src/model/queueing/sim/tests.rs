//! Checks of the fleet simulation against exact results: MVA, Erlang C, and the bounds a
//! saturated pool or database puts on the fleet.

use super::*;
use crate::model::queueing::{mmc_wait, mva_exact, response_percentile, Network, Station, Usl};

/// Events of a closed run: enough for about 1 % noise, small enough for a debug build.
const EVENTS: u64 = 200_000;

/// Requests of an open run: the mean wait of M/M/2 at ρ = 0.5 to about 1 % (one standard
/// deviation, measured over 40 seeds).
const OPEN_REQUESTS: u64 = 300_000;

/// A fleet of `replicas` nodes without a database.
fn app(replicas: usize, slots: usize, cores: u64, cpu_ms: f64, wait_ms: f64) -> FleetSim {
    FleetSim {
        replicas,
        slots,
        cpu_servers: cores,
        cpu_ms,
        sigma: 0.0,
        kappa: 0.0,
        wait_ms,
        db_share: 0.0,
        db_hold_ms: 0.0,
        client_conns: u64::MAX,
        server_conns: u64::MAX,
        db_cpu_ms: 0.0,
        db_cores: 1,
        db_sigma: 0.0,
        db_kappa: 0.0,
    }
}

/// The same fleet with a database used by `share` of the requests, each holding its
/// connections for `hold_ms`; pools of `client` per node and `server` for the fleet.
fn with_db(sim: FleetSim, share: f64, hold_ms: f64, client: u64, server: u64) -> FleetSim {
    FleetSim { db_share: share, db_hold_ms: hold_ms, client_conns: client, server_conns: server, ..sim }
}

/// Asserts `actual` within `tol` (relative) of `expected`, printing the margin.
#[track_caller]
fn assert_close(what: &str, actual: f64, expected: f64, tol: f64) {
    let err = (actual - expected).abs() / expected.abs();
    eprintln!("{what}: {actual:.4} vs {expected:.4} ({:+.2} %)", (actual / expected - 1.0) * 100.0);
    assert!(err <= tol, "{what}: {actual} vs {expected}, off by {:.2} % (> {:.1} %)", err * 100.0, tol * 100.0);
}

#[test]
fn one_node_without_database_matches_exact_mva() {
    // (slots, cores, cpu ms, wait ms, σ, κ): below, at and past the knee, and a USL node.
    let cases = [(8, 4, 10.0, 30.0, 0.0, 0.0), (32, 8, 5.0, 45.0, 0.0, 0.0), (16, 4, 5.0, 10.0, 0.05, 0.01)];
    for (k, &(slots, cores, cpu_ms, wait_ms, sigma, kappa)) in cases.iter().enumerate() {
        let sim = FleetSim { sigma, kappa, ..app(1, slots, cores, cpu_ms, wait_ms) };
        let got = sim.closed(k as u64, EVENTS);
        let station = Station { demand_ms: cpu_ms, servers: cores, usl: Usl { sigma, kappa } };
        let exact = mva_exact(&Network { stations: vec![station], delay_ms: wait_ms }, slots as u64);
        assert_close("throughput", got.throughput_rps, exact.throughput_rps, 0.02);
        // Little's law over the cycle: every slot is always busy.
        assert_close("response", got.response_ms, exact.cycle_ms, 0.02);
        if sigma == 0.0 && kappa == 0.0 {
            // Linear cores: mean busy cores / c = X·D/c.
            assert_close("cpu utilisation", got.utilisation.cpu, exact.stations[0].utilisation, 0.02);
        }
    }
}

/// The M/M/c mean wait at the load a run actually saw: its measured throughput and mean
/// service (busy cores / throughput). The wait is steep in the load (at ρ = 0.5 on 2 cores,
/// 1 % more load is 3 % more wait), so comparing at the realised load removes most of the
/// noise of the arrival and service draws and leaves the queue's own behaviour.
// Source: Law, *Simulation Modeling and Analysis* (5th ed. 2015), §11.3 (control variates:
// correcting an output by the observed deviation of an input of known mean).
fn erlang_c_wait_at_realised_load(got: &OpenResult, cores: u64) -> f64 {
    let rate_per_ms = got.throughput_rps / 1000.0;
    let service_ms = got.utilisation.cpu * cores as f64 / rate_per_ms;
    mmc_wait(cores, rate_per_ms, service_ms).unwrap().mean_ms()
}

#[test]
fn open_node_with_processor_sharing_waits_as_long_as_erlang_c() {
    // M/M/c: the CPU alone, slots never short. Processor sharing and FCFS have the same
    // number in system, so the same mean response (Little); the wait is response − service.
    let (cores, cpu_ms, rate_rps) = (2, 10.0, 100.0);
    let got = app(1, 1000, cores, cpu_ms, 0.0).open(rate_rps, 7, OPEN_REQUESTS);
    assert!(!got.overloaded);
    let service_ms = got.utilisation.cpu * cores as f64 / (got.throughput_rps / 1000.0);
    assert_close("mean wait", got.response_ms - service_ms, erlang_c_wait_at_realised_load(&got, cores), 0.03);
    let wait = mmc_wait(cores, rate_rps / 1000.0, cpu_ms).unwrap();
    assert_close("mean wait, nominal load", got.response_ms - cpu_ms, wait.mean_ms(), 0.06);
    assert_close("throughput", got.throughput_rps, rate_rps, 0.02);
    assert_close("cpu utilisation", got.utilisation.cpu, rate_rps / 1000.0 * cpu_ms / cores as f64, 0.02);
}

#[test]
fn open_node_with_one_slot_per_core_is_fcfs_erlang_c_with_its_percentiles() {
    // Slots = cores: the slot queue is the M/M/c FCFS line, the CPU never shares a core.
    let (cores, cpu_ms, rate_rps) = (2, 10.0, 100.0);
    let got = app(1, cores as usize, cores, cpu_ms, 0.0).open(rate_rps, 11, OPEN_REQUESTS);
    assert_close("slot wait", got.slot_wait_ms, erlang_c_wait_at_realised_load(&got, cores), 0.03);
    // Little's law on the slots: the time a request holds one is its response less its wait.
    let held_ms = got.response_ms - got.slot_wait_ms;
    assert_close("slots busy", got.slots_busy, got.throughput_rps / 1000.0 * held_ms, 0.01);
    let wait = mmc_wait(cores, rate_rps / 1000.0, cpu_ms).unwrap();
    for (q, sim_ms) in [(0.50, got.p50_ms), (0.95, got.p95_ms), (0.99, got.p99_ms)] {
        assert_close(&format!("p{}", q * 100.0), sim_ms, response_percentile(q, cpu_ms, &wait), 0.03);
    }
}

#[test]
fn two_nodes_with_a_huge_shared_pool_double_the_throughput() {
    let node = |replicas| with_db(app(replicas, 8, 2, 2.0, 10.0), 0.5, 3.0, 1_000, 1_000);
    let one = node(1).closed(1, EVENTS);
    let two = node(2).closed(2, 2 * EVENTS);
    assert_close("2 nodes / 1 node", two.throughput_rps / one.throughput_rps, 2.0, 0.03);
    assert_close("cpu utilisation", two.utilisation.cpu, one.utilisation.cpu, 0.03);
}

#[test]
fn one_server_connection_caps_the_fleet_at_one_hold_at_a_time() {
    // Every request holds the only server connection for 5 ms: 200 r/s, whatever the fleet.
    for replicas in [1, 2, 4] {
        let sim = with_db(app(replicas, 16, 4, 0.5, 1.0), 1.0, 5.0, 4, 1);
        let got = sim.closed(replicas as u64, EVENTS);
        assert_close(&format!("R={replicas} throughput"), got.throughput_rps, 1000.0 / 5.0, 0.03);
        assert!(got.utilisation.server_conns > 0.97, "{:?}", got.utilisation);
    }
}

#[test]
fn one_pool_connection_per_node_caps_each_node() {
    // The per-node pool, not the fleet's, is the bound: R holds at a time.
    for replicas in [1, 3] {
        let sim = with_db(app(replicas, 16, 4, 0.5, 1.0), 1.0, 5.0, 1, 1_000);
        let got = sim.closed(replicas as u64, EVENTS);
        assert_close(&format!("R={replicas} throughput"), got.throughput_rps, replicas as f64 * 1000.0 / 5.0, 0.03);
        assert!(got.utilisation.client_conns > 0.97, "{:?}", got.utilisation);
    }
}

#[test]
fn database_cpu_bound_fleet_runs_at_the_database_cores_usl_capacity() {
    // 2 ms of the 3 ms hold on 2 database cores with σ = 0.1: C(2)/2 ms = 909 r/s.
    let base = with_db(app(2, 32, 8, 0.2, 1.0), 1.0, 3.0, 1_000, 1_000);
    let sim = FleetSim { db_cpu_ms: 2.0, db_cores: 2, db_sigma: 0.1, ..base };
    let got = sim.closed(3, EVENTS);
    let capacity = Station { demand_ms: 2.0, servers: 2, usl: Usl { sigma: 0.1, kappa: 0.0 } }.max_rate_per_ms();
    assert_close("throughput", got.throughput_rps, capacity * 1000.0, 0.03);
    assert!(got.utilisation.db_cpu > 0.97, "{:?}", got.utilisation);
}

#[test]
fn an_open_fleet_past_its_capacity_is_overloaded() {
    // One node of 2 cores × 10 ms: 200 r/s at most; 400 r/s arrive.
    let got = app(1, 4, 2, 10.0, 0.0).open(400.0, 5, 1_000_000);
    assert!(got.overloaded);
    assert_close("throughput at the bound", got.throughput_rps, 200.0, 0.05);
    let fine = app(1, 4, 2, 10.0, 0.0).open(100.0, 5, 20_000);
    assert!(!fine.overloaded);
}

#[test]
fn the_same_seed_gives_the_same_result() {
    let sim = with_db(app(3, 8, 2, 2.0, 10.0), 0.5, 3.0, 4, 6);
    assert_eq!(sim.closed(42, 50_000), sim.closed(42, 50_000));
    assert_ne!(sim.closed(42, 50_000), sim.closed(43, 50_000));
    assert_eq!(sim.open(500.0, 42, 20_000), sim.open(500.0, 42, 20_000));
    assert_ne!(sim.open(500.0, 42, 20_000), sim.open(500.0, 43, 20_000));
}
