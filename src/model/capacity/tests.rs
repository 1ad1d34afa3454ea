//! One test per rule of the capacity model, and a property test over random valid plans.

use crate::model::Server;
use super::*;
use crate::model::rng::Rng;
use crate::model::choice::{Cache, Database, DbHost, Platform, Proxy, Storage, Switch, Tier, Workload};
use crate::model::queueing::{usl_capacity, usl_peak};

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

#[test]
fn default_overhead_is_higher_for_gunicorn_than_uvicorn() {
    let uvicorn = default_overhead_ms(Server::Async);
    for s in [Server::Sync, Server::Gthread, Server::Gevent] {
        assert!(default_overhead_ms(s) > uvicorn, "{s}");
    }
    let p = Plan { overhead_ms: Some(0.05), ..Plan::default() };
    assert_eq!(overhead_ms(&p), 0.05);
}

#[test]
fn cpu_demand_is_the_mix_weighted_cpu_time_plus_the_server_overhead() {
    let p = Plan::default(); // mix 20/50/30, cpu 6/1/2.5 ms, wait 2/30/12 ms, async
    // the classes, uvicorn's 0.2 ms and the driver's 0.05 ms for the 60 % that use the database
    assert!(close(cpu_demand_ms(&p), 0.2 * 6.0 + 0.5 * 1.0 + 0.3 * 2.5 + 0.2 + 0.6 * 0.05, 1e-12));
    assert!(close(wait_demand_ms(&p), 0.2 * 2.0 + 0.5 * 30.0 + 0.3 * 12.0, 1e-12));
}

#[test]
fn db_demand_is_share_times_hold_and_zero_without_a_database() {
    let mut p = Plan::default();
    assert!(close(db_demand_ms(&p), 0.6 * 4.0, 1e-12));
    p.db = Database::None;
    assert_eq!(db_demand_ms(&p), 0.0);
    assert!(Node::new(&p).db_station().is_none());
}

#[test]
fn a_nodes_connections_are_its_pools_and_the_server_side_is_the_fleets() {
    let mut p = Plan::default();
    let n = Node::new(&p);
    assert_eq!((n.db_connections, n.db_servers), (160, 197)); // 8 × (10 + 10); 200 − 3 reserved
    p.replicas = 4; // the same pools; the server's 197 shared by the fleet, not split
    let n = Node::new(&p);
    assert_eq!((n.db_connections, n.db_servers, n.replicas), (160, 197, 4));
    p.pgbouncer = Switch::On; // PgBouncer's 20 server connections; the reserve's 5 excluded
    assert_eq!(Node::new(&p).db_servers, 20);
    p.pgbouncer_pool = Some(60); // as deployed
    assert_eq!(Node::new(&p).db_servers, 60);
    p.pgbouncer = Switch::Off;
    p.db_max_connections = Some(500);
    assert_eq!(Node::new(&p).db_servers, 497);
    p.server = Server::Sync; // 9 processes, 9 slots, pools of 1 + 2
    assert_eq!(Node::new(&p).db_connections, 9);
}

#[test]
fn db_connections_agree_with_the_pool_and_pgbouncer_rules_over_random_plans() {
    let mut r = Rng(0x00db_c077);
    for _ in 0..2000 {
        let p = random_plan(&mut r);
        let w = workers::recommend(&p);
        let Some(pool) = crate::model::rules::pool::db_pool(&p, &w) else {
            assert_eq!(db_connections(&p, &w), slots(&w));
            continue;
        };
        let server = if p.pgbouncer.is_on() {
            let (_, db_cores, _) = crate::model::rules::postgres::db_node(&p);
            u64::from(crate::model::rules::pgbouncer::pgbouncer(&pool, db_cores, 1, 1, None).default_pool_size.value)
        } else {
            u64::from(pool.server_limit_connections.value)
        };
        assert_eq!(server_connections(&p), server, "{p:?}");
        let want = slots(&w).min(pool.per_node_connections.value.max(1));
        assert_eq!(db_connections(&p, &w), want, "{p:?}");
    }
}

#[test]
fn cpu_servers_are_the_cores_a_python_process_count_can_use() {
    assert_eq!(cpu_servers(8, 16), 8);
    assert_eq!(cpu_servers(8, 3), 3);
    let mut p = Plan::for_tier(Tier::Large);
    p.workers = Some(2);
    // Two processes use two cores, whatever runs beside them (nginx and Redis add their
    // CPU to those cores' demand, not cores of their own to the app).
    assert_eq!(Node::new(&p).cpu_servers, 2);
    p.proxy = crate::model::Proxy::None;
    p.cache = crate::model::Cache::None;
    assert_eq!(Node::new(&p).cpu_servers, 2);
}

#[test]
fn slots_are_processes_times_per_process_concurrency() {
    let mut p = Plan::default();
    assert_eq!(Node::new(&p).slots, 8 * 100); // async: 4 cores × 2, 100 each
    p.server = Server::Sync;
    assert_eq!(Node::new(&p).slots, 9);
    p.server = Server::Gthread;
    p.threads = Some(4);
    assert_eq!(Node::new(&p).slots, 36);
}

#[test]
fn usl_defaults_keep_capacity_rising_up_to_the_largest_node() {
    assert!(usl_peak(USL_SIGMA, USL_KAPPA) > 256.0);
    let mut last = 0.0;
    for c in 1..=256 {
        let x = usl_capacity(c as f64, USL_SIGMA, USL_KAPPA);
        assert!(x > last);
        last = x;
    }
}

#[test]
fn tiers_land_within_ten_percent_of_guide_004() {
    let rows = tiers(&Plan::default());
    let expected = [(Tier::Small, 2, 4, 500.0), (Tier::Medium, 4, 8, 1000.0), (Tier::Large, 8, 16, 2000.0)];
    assert_eq!(rows.len(), 3);
    for (row, (tier, cores, processes, rps)) in rows.iter().zip(expected) {
        assert_eq!((row.tier, row.cores, row.processes), (tier, cores, processes));
        assert!(close(row.rps, rps, 0.10), "{tier:?}: {} r/s vs {rps}", row.rps);
        assert_eq!(row.bottleneck, Bottleneck::Cpu);
    }
}

#[test]
fn tiers_meet_the_latency_bounds_of_guide_004() {
    let bounds = [(50.0, 200.0), (40.0, 150.0), (30.0, 100.0)];
    for (row, (p50, p95)) in tiers(&Plan::default()).iter().zip(bounds) {
        assert!(row.p50_ms < p50 && row.p95_ms < p95, "{row:?}");
        assert!(row.p50_ms < row.p95_ms && row.p95_ms < row.p99_ms);
    }
}

#[test]
fn capacity_rps_is_where_the_busiest_resource_reaches_seventy_percent() {
    let p = Plan::default();
    let e = evaluate(&p);
    assert_eq!(e.capacity.bottleneck, Bottleneck::Cpu);
    assert!(close(e.latency.cpu_utilisation, UTILISATION_TARGET, 1e-9));
    assert!(e.latency.db_utilisation < 0.7 && e.latency.slot_utilisation < 0.7);
    let cpu = e.node.cpu_station();
    assert!(close(e.capacity.rps, 0.7 * usl_capacity(4.0, USL_SIGMA, USL_KAPPA) / cpu.demand_ms * 1000.0, 1e-12));
}

#[test]
fn max_rps_is_mva_with_every_slot_busy_and_below_the_smallest_bound() {
    let e = evaluate(&Plan::default());
    let c = &e.capacity;
    assert!(c.max_rps > c.rps);
    assert!(c.max_rps <= e.node.station_limit_rps() * (1.0 + 1e-12));
    // Two busy resources (9 sync slots and 4 cores, CPU-heavy requests): the queueing
    // between them keeps MVA well under the smallest per-resource bound.
    let mut p = Plan { server: Server::Sync, mix_pct: crate::model::plan::three([100, 0, 0]), ..Plan::default() };
    p.wait_ms[0] = 6.0;
    let n = Node::new(&p);
    let slot_bound = n.slots as f64 / (n.cpu_ms + n.wait_ms + n.db_share * n.db_hold_ms) * 1000.0;
    let bound = slot_bound.min(n.station_limit_rps());
    let cap = capacity_of(&n);
    assert!(cap.max_rps < 0.9 * bound, "{} vs {bound}", cap.max_rps);
}

#[test]
fn sync_workers_make_the_slots_the_bottleneck() {
    let p = Plan { server: Server::Sync, ..Plan::default() };
    let e = evaluate(&p);
    assert_eq!(e.capacity.bottleneck, Bottleneck::Workers);
    assert!(close(e.latency.slot_utilisation, UTILISATION_TARGET, 1e-6));
    assert!(e.latency.p_slot_wait > 0.0 && e.latency.slot_wait_ms > 0.0);
}

#[test]
fn a_slow_database_is_the_bottleneck() {
    let p = Plan { db_hold_ms: 200.0, ..Plan::default() };
    let c = capacity(&p);
    assert_eq!(c.bottleneck, Bottleneck::DbConnections);
    assert!(close(c.node_rps, 0.7 * 160.0 / (0.6 * 200.0) * 1000.0, 1e-12));
}

#[test]
fn pgbouncer_server_connections_shared_by_replicas_can_make_the_database_the_bottleneck() {
    // a 16-core database: its CPU stays under 70 % for 12 nodes
    let mut p = Plan { replicas: 12, db_cores: 16, ..Plan::default() };
    assert_eq!(capacity(&p).bottleneck, Bottleneck::Cpu);
    p.pgbouncer = Switch::On; // 33 server connections (2 × 16 + 1) for the whole fleet
    let c = capacity(&p);
    assert_eq!(c.bottleneck, Bottleneck::DbConnections);
    assert!(close(c.rps, 0.7 * 33.0 / (0.6 * 4.0) * 1000.0, 1e-12), "{}", c.rps);
}

#[test]
fn bottleneck_displays_as_its_key() {
    let keys: Vec<String> = [Bottleneck::Cpu, Bottleneck::Workers, Bottleneck::DbConnections, Bottleneck::DbCpu].iter().map(|b| b.to_string()).collect();
    assert_eq!(keys, ["cpu", "workers", "db_connections", "db_cpu"]);
}

#[test]
fn replicas_multiply_the_fleet_rate_and_split_the_target() {
    // Nothing shared: no database CPU, so each replica is a copy of the first.
    let mut p = Plan { db_cpu_ms: Some(0.0), ..Plan::default() };
    let one = capacity(&p);
    p.replicas = 3;
    let three = capacity(&p);
    assert!(close(three.rps, 3.0 * one.rps, 1e-12) && close(three.max_rps, 3.0 * one.max_rps, 1e-12));
    p.target_rps = 1500.0;
    let l = latency(&p);
    assert!(close(l.node_rate_rps, 500.0, 1e-12) && close(l.rate_rps, 1500.0, 1e-12));
}

#[test]
fn over_capacity_is_flagged_with_finite_numbers() {
    let mut p = Plan { target_rps: 5000.0, ..Plan::default() }; // above the node's 1465 r/s
    let l = latency(&p);
    assert!(l.over_capacity);
    assert!(l.p95_ms.is_finite() && l.p95_ms > 0.0 && l.slot_utilisation == 1.0);
    p.target_rps = 10_000_000.0;
    p.replicas = 1;
    assert!(latency(&p).over_capacity);
    p.target_rps = 100.0;
    assert!(!latency(&p).over_capacity);
}

#[test]
fn users_follow_littles_law() {
    let e = evaluate(&Plan::default());
    assert!(close(e.latency.users, e.latency.rate_rps * e.latency.mean_ms / 1000.0, 1e-12));
    assert!(close(latency::users_with_think(100.0, 50.0, 950.0), 100.0, 1e-12));
}

#[test]
fn latency_at_no_load_is_the_unloaded_time_in_a_slot() {
    let p = Plan::default();
    let node = Node::new(&p);
    let cap = capacity_of(&node);
    let l = latency_at(&node, &cap, 0.0);
    assert!(close(l.mean_ms, node.cpu_ms + node.wait_ms + node.db_share * node.db_hold_ms, 1e-12));
    assert_eq!((l.users, l.slot_wait_ms), (0.0, 0.0));
    // Each class's mean is its own unloaded time; the overall median lies among theirs.
    for (c, cl) in node.classes.iter().zip(&l.classes) {
        let own = c.cpu_ms + (node.cpu_ms - node.classes.iter().map(|c| c.share * c.cpu_ms).sum::<f64>()) + c.wait_ms + node.db_share * node.db_hold_ms;
        assert!(close(cl.mean_ms, own, 1e-9), "{cl:?} vs {own}");
    }
    let p50s = l.classes.iter().map(|c| c.p50_ms);
    assert!(l.p50_ms > p50s.clone().fold(f64::MAX, f64::min) && l.p50_ms < p50s.fold(0.0, f64::max));
    // One class of exponential CPU and nothing else: an exponential, median ln 2 of the mean.
    let q = "mix=100,0,0&cpu_ms=3,1,1&wait_ms=0,0,0&db=none&cache=none&proxy=none&cv=1";
    let one = crate::model::query::decode_strict(q).expect("plan");
    let node = Node::new(&one);
    let l = latency_at(&node, &capacity_of(&node), 0.0);
    assert!(close(l.p50_ms, l.mean_ms * std::f64::consts::LN_2, 1e-6), "{l:?}");
    assert!(close(l.p99_ms, l.mean_ms * 100f64.ln(), 1e-6), "{l:?}");
}

/// One time in three.
fn maybe(r: &mut Rng) -> bool {
    r.next() % 3 == 0
}

pub(super) fn random_plan(r: &mut Rng) -> Plan {
    let a = r.int(0, 100);
    let b = r.int(0, 100 - a);
    let mut p = Plan {
        cores: r.int(1, 256),
        ram_gib: r.log(0.5, 2048.0),
        storage: r.choose(Storage::ALL),
        replicas: r.log(1.0, 1000.0) as u32,
        server: r.choose(Server::ALL),
        threads: maybe(r).then(|| r.int(1, 64)),
        mix_pct: crate::model::plan::three([a, b, 100 - a - b]),
        target_rps: if maybe(r) { 0.0 } else { r.log(0.01, 1e7) },
        worker_mem_mib: r.log(16.0, 65536.0) as u32,
        db: r.choose(&[Database::None, Database::Postgres]),
        db_host: r.choose(&[DbHost::Own, DbHost::App]),
        db_share_pct: r.unit() * 100.0,
        db_hold_ms: if maybe(r) { 0.0 } else { r.log(0.01, 600_000.0) },
        cache: r.choose(&[Cache::None, Cache::Redis]),
        cache_mem_mib: r.log(16.0, 2_097_152.0) as u32,
        proxy: r.choose(&[Proxy::Nginx, Proxy::None]),
        platform: r.choose(&[Platform::Hosts, Platform::K8s]),
        workload: r.choose(Workload::ALL),
        pgbouncer: r.choose(&[Switch::On, Switch::Off]),
        cpu_ms: crate::model::plan::three([r.log(0.01, 600_000.0), r.log(0.01, 600_000.0), r.log(0.01, 600_000.0)]),
        wait_ms: crate::model::plan::three([0.0, 0.0, 0.0].map(|_: f64| if maybe(r) { 0.0 } else { r.log(0.01, 600_000.0) })),
        overhead_ms: maybe(r).then(|| r.unit() * 1000.0),
        concurrency: maybe(r).then(|| r.log(1.0, 100_000.0) as u32),
        workers: maybe(r).then(|| r.log(1.0, 4096.0) as u32),
        cv: r.unit() * 10.0,
        ..Plan::default()
    };
    p.tier = Tier::Custom;
    p
}

fn assert_finite(e: &Evaluation, what: &str) {
    let c = &e.capacity;
    let l = &e.latency;
    let numbers = [
        c.rps, c.max_rps, c.node_rps, c.node_max_rps, c.cpu_limit_rps, c.slots_limit_rps, l.node_rate_rps, l.rate_rps,
        l.mean_ms, l.p50_ms, l.p95_ms, l.p99_ms, l.cpu_ms, l.off_cpu_ms, l.db_ms, l.time_in_slot_ms, l.slot_wait_ms,
        l.p_slot_wait, l.cpu_utilisation, l.db_utilisation, l.slot_utilisation, l.users, c.saturation.cycle_ms,
    ];
    for (i, x) in numbers.iter().enumerate() {
        assert!(x.is_finite() && *x >= 0.0, "{what}: number {i} is {x}");
    }
    for s in &c.saturation.stations {
        assert!([s.utilisation, s.queue, s.residence_ms].iter().all(|x| x.is_finite() && *x >= 0.0), "{what}: {s:?}");
    }
    assert!(c.rps <= c.max_rps * (1.0 + 1e-12), "{what}: {} > {}", c.rps, c.max_rps);
    assert!(l.p50_ms <= l.p95_ms && l.p95_ms <= l.p99_ms, "{what}");
}

#[test]
fn capacity_is_finite_and_never_falls_with_more_cores_over_random_plans() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..10_000 {
        let p = random_plan(&mut r);
        assert_eq!(p.validate(), vec![], "plan {i}");
        let e = evaluate(&p);
        assert_finite(&e, &format!("plan {i}"));
        if p.cores < 256 {
            let mut more = p.clone();
            more.cores += 1;
            let m = capacity(&more);
            let tol = 1.0 - 1e-9;
            assert!(m.rps >= e.capacity.rps * tol, "plan {i}: rps {} → {}", e.capacity.rps, m.rps);
            assert!(m.max_rps >= e.capacity.max_rps * tol, "plan {i}: max {} → {}", e.capacity.max_rps, m.max_rps);
        }
    }
}

#[test]
fn the_largest_plan_the_ranges_allow_is_finite() {
    let slow = largest_plan(true);
    assert_eq!(slow.validate(), vec![]);
    assert_finite(&evaluate(&slow), "largest");
    let fast = largest_plan(false);
    assert_eq!(fast.validate(), vec![]);
    assert_finite(&evaluate(&fast), "largest, fastest");
}

#[test]
fn the_slots_limit_is_where_little_fills_seventy_percent_of_the_slots_over_random_plans() {
    // λ·T(λ) = 0.7 · slots (Little's law on the slot pool), or the stations' limit when the
    // slots never fill that far before it.
    let mut r = Rng(0x2545_F491_4F6C_DD1D);
    let mut solved = 0;
    for i in 0..3_000 {
        let node = Node::new(&random_plan(&mut r));
        let rps = slots_limit_rps(&node);
        let (hi, target) = (node.station_limit_rps(), UTILISATION_TARGET * node.slots as f64);
        if !hi.is_finite() {
            assert_eq!(rps, f64::MAX, "plan {i}");
            continue;
        }
        assert!(rps > 0.0 && rps <= hi, "plan {i}: {rps} outside (0, {hi}]");
        let busy = |rps: f64| node.time_in_slot_ms(rps).map_or(f64::INFINITY, |t| rps / 1000.0 * t.total_ms());
        if rps < hi * (1.0 - 1e-9) {
            // The root, to 1e-11 of the rate (busy grows with the rate).
            let (below, above) = (busy(rps), busy(rps * (1.0 + 1e-11)));
            assert!(below <= target && target <= above, "plan {i}: {below}..{above} slots busy about {rps} r/s, not {target}");
            solved += 1;
        }
        // The closer bracket finds the root the search from 0 finds, to its tolerance.
        let from_zero = crate::model::queueing::solve_increasing(|x| -1.0 / busy(x), 0.0, hi, -1.0 / target, 1e-12);
        assert!(close(rps, from_zero, 1e-11), "plan {i}: {rps} vs {from_zero} from 0");
    }
    assert!(solved > 1_000, "only {solved} plans solved below the stations' limit");
}

#[test]
fn the_latency_curve_rises_with_the_rate_and_keeps_its_percentiles_apart_over_random_plans() {
    // The response time has a density once anything varies: p50 < p95 < p99 strictly, and
    // each rises with the rate (only the waits grow with it, classes::class_parts). Near saturation a wait far slower than the service once overflowed
    // the CDF and left p95 = p99 (529 s where they are 693 s and 1,070 s).
    let mut r = Rng(0x0007_1A7E);
    let mut points = 0;
    for i in 0..3_000 {
        let p = crate::model::rules::tests::property::random_plan(&mut r);
        let curve = crate::model::curves::latency(&p);
        for (k, l) in curve.points.iter().enumerate() {
            // Strictly apart unless every time is constant (cv = 0: then only the queue's
            // waits spread them, by less than the quantiles' precision at low rates; they
            // are found to 1e-6 of t or better, so equal ones may swap by as much).
            let strict = p.cv > 0.0;
            let le = |a: f64, b: f64| a <= b * (1.0 + 1e-6);
            let apart = if strict { l.p50_ms < l.p95_ms && l.p95_ms < l.p99_ms } else { le(l.p50_ms, l.p95_ms) && le(l.p95_ms, l.p99_ms) };
            assert!(apart && l.p99_ms.is_finite(), "plan {i}, point {k}: {l:?}");
            points += 1;
        }
        for w in curve.points.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            // Each quantile is found to 1e-6 of t or better: where the root sits on a kink of
            // S (a 1 % class whose every request takes minutes), Newton's steps shrink only
            // by half and the last one taken may be 2e-7 of t short (plan 976's p99).
            let tol = 1.0 - 1e-6;
            assert!(b.rps > a.rps, "plan {i}: {a:?} then {b:?}");
            assert!(b.p50_ms >= a.p50_ms * tol && b.p95_ms >= a.p95_ms * tol && b.p99_ms >= a.p99_ms * tol, "plan {i}: {a:?} then {b:?}");
        }
    }
    assert!(points > 50_000, "only {points} points");
}

/// The measured setup of README "Measured against real servers": R sync replicas of 4
/// workers behind PgBouncer's 4 server connections.
fn measured_fleet(replicas: u32, rate: f64) -> Plan {
    let q = format!("cores=2&server=sync&workers=4&replicas={replicas}&db=postgres&db_host=own&db_cores=2&pgbouncer=on&pgbouncer_pool=4&db_share=100&db_hold_ms=11.23&db_cpu_ms=0.33&mix=100,0,0&cpu_ms=1,1,1&wait_ms=0,0,0&overhead_ms=1.59&proxy=none&cache=none&rps={rate}");
    crate::model::query::decode_strict(&q).expect("the measured plan")
}

#[test]
fn no_wait_for_a_server_connection_while_the_fleets_clients_cannot_outnumber_them() {
    // One replica: 4 workers, 4 server connections. PgBouncer measured 0.0 ms of wait; the
    // model adds none, so 250 r/s (below max_rps 285) is not over capacity.
    let one = measured_fleet(1, 250.0);
    let node = Node::new(&one);
    assert!(!node.clients_can_outnumber_servers());
    let l = latency(&one);
    assert!(!l.over_capacity && l.rate_rps < capacity(&one).max_rps, "{l:?}");
    let slot = node.time_in_slot_ms(250.0).expect("stable");
    // The hold, stretched only by the database's CPU: no M/M/c wait stacked on it.
    assert!(slot.db_ms < 11.23 * 1.05, "{slot:?}");
    // Two replicas: 8 workers can want the 4 connections at once, and they wait.
    let two = measured_fleet(2, 250.0);
    let n2 = Node::new(&two);
    assert!(n2.clients_can_outnumber_servers());
    assert!(n2.time_in_slot_ms(125.0).expect("stable").db_ms > slot.db_ms);
}





