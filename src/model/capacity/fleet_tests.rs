//! The fleet against its reference: the model's capacity and latency for small fleets
//! sharing one database, beside a discrete-event simulation of the same fleet
//! ([`crate::model::queueing::sim`]), and the properties a fleet's capacity must have.

use super::*;
use crate::model::choice::{Server, Switch};
use crate::model::queueing::sim::FleetSim;

/// The simulation of the plan's fleet: the model's own node, every time exponential.
fn sim_of(node: &Node) -> FleetSim {
    FleetSim {
        replicas: node.replicas as usize,
        slots: node.slots as usize,
        cpu_servers: node.cpu_servers,
        cpu_ms: node.cpu_ms,
        sigma: node.usl.sigma,
        kappa: node.usl.kappa,
        wait_ms: node.wait_ms,
        db_share: node.db_share,
        db_hold_ms: node.db_hold_ms,
        client_conns: node.db_connections,
        server_conns: node.db_servers.max(1),
        db_cpu_ms: node.db_cpu_ms,
        db_cores: node.db_cores,
        db_sigma: DB_USL.sigma,
        db_kappa: DB_USL.kappa,
    }
}

/// A small sync or gthread fleet with one class of request (CPU `cpu`, wait `wait` ms),
/// every request using the database for `hold` ms of which `db_cpu` on its host.
#[allow(clippy::too_many_arguments)]
fn fleet(server: Server, workers: u32, threads: u32, cores: u32, replicas: u32, cpu: f64, wait: f64, hold: f64, db_cpu: f64, servers: u32, db_cores: u32) -> Plan {
    Plan {
        server,
        workers: Some(workers),
        threads: (server == Server::Gthread).then_some(threads),
        cores,
        replicas,
        mix_pct: [100, 0, 0],
        cpu_ms: [cpu; 3],
        wait_ms: [wait; 3],
        overhead_ms: Some(0.0),
        proxy: crate::model::choice::Proxy::None,
        cache: crate::model::choice::Cache::None,
        db_share_pct: 100.0,
        db_hold_ms: hold,
        db_cpu_ms: Some(db_cpu),
        db_cores,
        pgbouncer: Switch::On,
        pgbouncer_pool: Some(servers),
        cv: 1.0,
        ..Plan::default()
    }
}

/// Model against simulation: (replicas, server, workers, threads, servers, cpu, wait,
/// hold, db cpu, db cores) → fleet throughput with every slot busy, relative error.
fn errors(cases: &[(u32, Server, u32, u32, u32, f64, f64, f64, f64, u32)]) -> Vec<(String, f64)> {
    cases
        .iter()
        .enumerate()
        .map(|(k, &(replicas, server, workers, threads, servers, cpu, wait, hold, db_cpu, db_cores))| {
            let plan = fleet(server, workers, threads, 2, replicas, cpu, wait, hold, db_cpu, servers, db_cores);
            assert!(plan.validate().is_empty(), "{:?}", plan.validate());
            let node = Node::new(&plan);
            let cap = capacity_of(&node);
            let sim = sim_of(&node).closed(k as u64 + 1, 200_000);
            let err = cap.max_rps / sim.throughput_rps - 1.0;
            let name = format!("{replicas} × {server} {workers}×{threads}, {servers} server connections, cpu {cpu} wait {wait} hold {hold} (db cpu {db_cpu} on {db_cores})");
            eprintln!("{name}: model {:.1} r/s ({:?}), simulation {:.1} r/s: {:+.2} %", cap.max_rps, cap.bottleneck, sim.throughput_rps, err * 100.0);
            (name, err)
        })
        .collect()
}

#[test]
fn small_fleets_whose_nodes_share_no_bottleneck_match_the_simulation_within_3_percent() {
    use Server::{Gthread, Sync};
    // The database is ample (connections for every slot, cores to spare): each node is
    // its own closed network, and the model's MVA is exact up to the simulation's noise.
    let cases = [
        (1, Sync, 4, 1, 16, 2.0, 3.0, 5.0, 0.5, 8),
        (2, Sync, 4, 1, 16, 2.0, 3.0, 5.0, 0.5, 8),
        (3, Gthread, 2, 3, 24, 3.0, 5.0, 3.0, 0.5, 8),
        (2, Gthread, 2, 4, 32, 1.0, 8.0, 10.0, 1.0, 16),
    ];
    for (name, err) in errors(&cases) {
        assert!(err.abs() <= 0.03, "{name}: {:+.2} %", err * 100.0);
    }
}

#[test]
fn small_fleets_bound_by_the_shared_database_match_the_simulation_within_3_percent() {
    use Server::{Gthread, Sync};
    // The fleet's few server connections, or the database host's one core, carry it: the
    // shared station runs full and the fleet's rate is its capacity.
    let cases = [
        (2, Sync, 4, 1, 4, 1.0, 2.0, 10.0, 0.5, 4),
        (3, Sync, 4, 1, 5, 1.0, 2.0, 10.0, 0.5, 4),
        (3, Sync, 4, 1, 2, 2.0, 3.0, 5.0, 1.0, 2),
        (3, Gthread, 2, 3, 1, 3.0, 1.0, 3.0, 1.5, 1),
        (2, Sync, 4, 1, 16, 1.0, 2.0, 4.0, 2.0, 1),
        (2, Sync, 4, 1, 8, 1.0, 1.0, 3.0, 2.5, 1),
    ];
    for (name, err) in errors(&cases) {
        assert!(err.abs() <= 0.03, "{name}: {:+.2} %", err * 100.0);
    }
}

/// Where the model is still off (issue 19's closing note): a fleet sharing a few server
/// connections near their knee. Each node is given its share (S/R) of the connections;
/// the real fleet pools them, so the model under-reads by up to about 28 % (2–3 nodes of
/// 2 slots sharing 1–2 connections) — on the safe side. With the database host's CPU a
/// large part of the hold on a node that can keep every connection busy, the hold
/// stretched at the mean number of busy connections over-reads by up to about 11 %. This
/// test holds the model to those bounds over a grid, so it cannot get worse unseen.
#[test]
fn the_model_stays_within_its_known_error_over_a_grid_of_small_fleets() {
    let mut cases = vec![];
    for replicas in 1..=3 {
        for (server, workers, threads) in [(Server::Sync, 2, 1), (Server::Sync, 4, 1), (Server::Gthread, 2, 3)] {
            for servers in [1, 2, 3, 5, 8] {
                for (cpu, wait, hold, db_cpu, db_cores) in [(1.0, 2.0, 10.0, 0.5, 4), (2.0, 3.0, 5.0, 1.0, 2), (3.0, 1.0, 3.0, 1.5, 1)] {
                    cases.push((replicas, server, workers, threads, servers, cpu, wait, hold, db_cpu, db_cores));
                }
            }
        }
    }
    let errs = errors(&cases);
    let within_3 = errs.iter().filter(|e| e.1.abs() <= 0.03).count();
    eprintln!("{within_3} of {} small fleets within ±3 %", errs.len());
    for (name, err) in errs {
        assert!((-0.30..=0.12).contains(&err), "{name}: {:+.2} %", err * 100.0);
    }
}

/// The fleet's rate never falls when a node is added, and never passes the shared
/// database's bounds: its server connections (each held the hold entered at least) and
/// its host's cores. Over random plans from 1 to 48 nodes, and the counts where the
/// pool split per node by integer division once made it fall (12 → 13) or grow past its
/// connections (26 and 100 nodes on 25).
#[test]
fn the_fleets_rate_never_falls_with_a_node_more_nor_passes_the_shared_database() {
    let mut r = crate::model::rng::Rng(0x51F1_EE7B_D00D_5EED);
    let mut plans: Vec<Plan> = (0..120).map(|_| super::tests::random_plan(&mut r)).collect();
    plans.push(crate::model::query::decode_strict("server=async&db=postgres&pgbouncer=on").expect("the issue's plan"));
    for (i, base) in plans.iter().enumerate() {
        let mut last = (0.0, 0.0);
        for replicas in 1..=48 {
            let p = Plan { replicas, spare: 0, ..base.clone() };
            if !p.validate().is_empty() {
                continue;
            }
            let c = capacity(&p);
            let node = Node::new(&p);
            // The hold is solved to 0.01 %: a node more may move the rate by as little.
            let tol = 1.0 - 1e-3;
            assert!(c.rps >= last.0 * tol && c.max_rps >= last.1 * tol, "plan {i}, {replicas} nodes: {last:?} → ({}, {})", c.rps, c.max_rps);
            last = (c.rps, c.max_rps);
            if let Some(s) = node.server_station() {
                assert!(c.max_rps <= s.max_rate_per_ms() * 1000.0 * (1.0 + 1e-9), "plan {i}, {replicas} nodes: past the server connections");
            }
            if let Some(s) = node.db_cpu_station() {
                assert!(c.max_rps <= s.max_rate_per_ms() * 1000.0 * (1.0 + 1e-9), "plan {i}, {replicas} nodes: past the database's cores");
            }
        }
    }
}
