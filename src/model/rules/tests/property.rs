//! Random valid plans (a deterministic xorshift generator, no dependencies): every value
//! in range, every value explained, monotone in RAM and cores, and no panic. Plus the two
//! extreme nodes of the plan's ranges.

use crate::model::choice::*;
use crate::model::rules::nginx::UPSTREAM_KEEPALIVE_TIMEOUT_S;
use crate::model::rules::pgtune::{KB_PER_GB, KB_PER_MB};
use crate::model::rules::{kernel::NR_OPEN, recommend, Recommendation};
use crate::model::{workers, Plan};
use serde_json::Value;

pub(crate) use crate::model::rng::Rng;

/// Half of the time, `f`'s value.
fn maybe<T>(r: &mut Rng, f: impl FnOnce(&mut Rng) -> T) -> Option<T> {
    (r.next() % 2 == 0).then(|| f(r))
}

pub(crate) fn random_plan(r: &mut Rng) -> Plan {
    let a = r.int(0, 100);
    let b = r.int(0, 100 - a);
    let ms = |r: &mut Rng, lo: f64| [r.log(lo, 600_000.0), r.log(lo, 600_000.0), r.log(lo, 600_000.0)];
    let mut p = Plan {
        cores: r.log(1.0, 256.0).round() as u32,
        ram_gib: (r.log(0.5, 2048.0) * 2.0).round() / 2.0,
        storage: r.choose(Storage::ALL),
        replicas: r.log(1.0, 1000.0).round() as u32,
        server: r.choose(Server::ALL),
        threads: maybe(r, |r| r.int(1, 64)),
        mix_pct: crate::model::plan::three([a, b, 100 - a - b]),
        target_rps: if r.next() % 3 == 0 { 0.0 } else { r.log(1.0, 10_000_000.0) },
        p95_objective_ms: r.log(1.0, 600_000.0),
        worker_mem_mib: r.log(16.0, 65_536.0).round() as u32,
        db: r.choose(Database::ALL),
        db_host: r.choose(DbHost::ALL),
        db_cores: r.log(1.0, 256.0).round() as u32,
        db_ram_gib: (r.log(0.5, 2048.0) * 2.0).round() / 2.0,
        db_storage: r.choose(Storage::ALL),
        pgbouncer: r.choose(Switch::ALL),
        db_share_pct: r.int(0, 100) as f64,
        db_hold_ms: r.log(1.0, 600_000.0) - 1.0,
        cache: r.choose(Cache::ALL),
        cache_mem_mib: r.log(16.0, 2_097_152.0).round() as u32,
        proxy: r.choose(Proxy::ALL),
        platform: r.choose(Platform::ALL),
        workload: r.choose(Workload::ALL),
        cpu_ms: crate::model::plan::three(ms(r, 0.01)),
        wait_ms: crate::model::plan::three(ms(r, 1.0).map(|x| x - 1.0)),
        overhead_ms: maybe(r, |r| r.log(1.0, 1001.0) - 1.0),
        concurrency: maybe(r, |r| r.log(1.0, 100_000.0).round() as u32),
        workers: maybe(r, |r| r.log(1.0, 4096.0).round() as u32),
        cv: r.int(0, 100) as f64 / 10.0,
        ..Plan::default()
    };
    p.tier = Tier::Custom;
    p
}

/// Every object shaped like an `Explained` has a value, a why and a source.
fn every_value_is_explained(v: &Value, path: &str) {
    match v {
        Value::Object(m) => {
            if m.contains_key("why") && m.contains_key("value") {
                assert!(!m["value"].is_null(), "{path}: null value (NaN?)");
                assert!(m["why"].as_str().is_some_and(|s| !s.is_empty()), "{path}: no why");
                assert!(m["source"].as_str().is_some_and(|s| !s.is_empty()), "{path}: no source");
            }
            for (k, x) in m {
                every_value_is_explained(x, &format!("{path}.{k}"));
            }
        }
        Value::Array(xs) => xs.iter().for_each(|x| every_value_is_explained(x, path)),
        Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "{path}"),
        _ => {}
    }
}

/// The invariants every recommendation keeps.
#[track_caller]
fn sane(p: &Plan, r: &Recommendation) {
    let g = &r.gunicorn;
    assert!(g.workers.value >= 1 && g.per_process.value >= 1);
    assert!(g.timeout_s.value >= 30 && g.graceful_timeout_s.value == g.timeout_s.value);
    assert!((2..=UPSTREAM_KEEPALIVE_TIMEOUT_S + 5).contains(&g.keepalive_s.value));
    if let Some(pool) = &r.db_pool {
        assert!((1..=64).contains(&pool.pool_size.value) && pool.max_overflow.value <= 10);
        let per = (pool.pool_size.value + pool.max_overflow.value) as u64;
        assert_eq!(pool.fleet_connections.value, p.replicas as u64 * g.workers.value as u64 * per);
        assert_eq!(pool.pgbouncer_required.value, pool.fleet_connections.value > 197);
    }
    if let Some(b) = &r.pgbouncer {
        let pool = r.db_pool.as_ref().unwrap();
        assert!(b.max_client_conn.value >= pool.fleet_connections.value && b.max_client_conn.value % 100 == 0);
        assert!(b.server_connections.value <= pool.server_limit_connections.value);
        assert!((20..=50).contains(&b.default_pool_size.value));
    }
    if let Some(pg) = &r.postgres {
        let sb = pg.shared_buffers_kb.value;
        assert!((128 * KB_PER_MB..=512 * KB_PER_GB).contains(&sb));
        assert!(pg.effective_cache_size_kb.value == 3 * sb);
        assert!((32..=16 * KB_PER_MB).contains(&pg.wal_buffers_kb.value));
        assert!(pg.work_mem_kb.value >= 4 * KB_PER_MB && pg.work_mem_kb.value < sb);
        assert!(pg.maintenance_work_mem_kb.value <= 8 * KB_PER_GB);
        assert!(pg.parallel.as_ref().is_none_or(|x| x.max_parallel_workers_per_gather.value <= 4));
    }
    if let Some(n) = &r.nginx {
        let wc = n.worker_connections.value;
        assert!((1024..=4096).contains(&wc) && wc % 1024 == 0);
        assert!(n.worker_rlimit_nofile.value >= 2 * wc);
        assert!(n.proxy_read_timeout_s.value >= g.timeout_s.value);
        assert!(g.keepalive_s.value > n.upstream_keepalive_timeout_s.value);
    }
    if let Some(x) = &r.redis {
        assert!(x.maxmemory_mib.value >= 12 && x.maxmemory_mib.value < p.cache_mem_mib);
    }
    for k in std::iter::once(&r.kernel).chain(r.db_kernel.as_ref()) {
        assert!((65_536..=NR_OPEN).contains(&k.nofile.value));
        assert!([1, 10].contains(&k.swappiness.value));
    }
    if let Some(k) = &r.kubernetes {
        assert!(k.hpa.min_replicas.value >= 2 && k.hpa.min_replicas.value <= k.hpa.max_replicas.value);
        let (min, max) = (k.hpa.min_replicas.value, k.hpa.max_replicas.value);
        assert!(k.pdb_min_available.as_ref().is_some_and(|m| m.value < min));
        assert!(k.pods_per_node_by_limits.value <= k.pods_per_node_by_requests.value);
        // The pod holds its processes and may use the cores they were sized for.
        let app = &k.app.resources;
        assert!(app.memory_request_mib.value == app.memory_limit_mib.value);
        assert!(app.memory_limit_mib.value as u64 >= g.workers.value as u64 * p.worker_mem_mib as u64);
        assert!(app.cpu_request_m.value < app.cpu_limit_m.value && app.cpu_limit_m.value == p.cores * 1000);
        // The HPA never opens more connections than a server takes, above its minimum.
        assert!(k.bounds.iter().all(|b| max == min || max as u64 <= b.pods()), "{max} over {:?}", k.bounds);
        assert!(k.shutdown.termination_grace_s.value > g.graceful_timeout_s.value + k.shutdown.pre_stop_sleep_s.value);
    }
    let codes: Vec<_> = r.warnings.iter().map(|w| w.code).collect();
    assert!(!codes.contains(&"keepalive-not-longer-than-proxy") && !codes.contains(&"proxy-timeout-shorter-than-app"));
    assert!(r.warnings.iter().all(|w| !w.message.is_empty()));
    every_value_is_explained(&serde_json::to_value(r).expect("serializes"), "recommendation");
}

#[test]
fn random_plans_give_values_in_range() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..10_000 {
        let p = random_plan(&mut rng);
        assert_eq!(p.validate(), vec![], "plan {i} must be valid: {p:?}");
        let r = recommend(&p);
        sane(&p, &r);

        // More RAM on the database host never gives smaller shared_buffers.
        let mut more = p.clone();
        more.db_ram_gib = (p.db_ram_gib * 1.5).min(2048.0);
        more.ram_gib = (p.ram_gib * 1.5).min(2048.0);
        if let (Some(a), Some(b)) = (&r.postgres, &recommend(&more).postgres) {
            assert!(b.shared_buffers_kb.value >= a.shared_buffers_kb.value, "plan {i}");
        }

        // More cores never give fewer workers.
        let mut cores = p.clone();
        cores.cores = (p.cores + 1).min(256);
        assert!(workers::recommend(&cores).processes >= workers::recommend(&p).processes, "plan {i}");
    }
}

#[test]
fn the_smallest_node_gets_sane_values() {
    let p = Plan { cores: 1, ram_gib: 0.5, db_host: DbHost::App, platform: Platform::K8s, ..Plan::default() };
    let r = recommend(&p);
    sane(&p, &r);
    assert_eq!(r.gunicorn.workers.value, 1);
    let pg = r.postgres.as_ref().unwrap();
    assert_eq!((pg.shared_buffers_kb.value, pg.work_mem_kb.value), (128 * KB_PER_MB, 4 * KB_PER_MB));
    assert!(pg.parallel.is_none());
    assert_eq!(r.nginx.as_ref().unwrap().worker_connections.value, 1024);
    // Its processes, cache and OS need more than its 512 MiB: it fails, not only risks.
    assert!(r.warnings.iter().any(|w| w.code == "memory-over-node"));
}

#[test]
fn the_largest_node_gets_sane_values() {
    let p = Plan { cores: 256, ram_gib: 2048.0, db_host: DbHost::App, replicas: 1000, ..Plan::default() };
    let r = recommend(&p);
    sane(&p, &r);
    let pg = r.postgres.as_ref().unwrap();
    assert_eq!(pg.shared_buffers_kb.value, 512 * KB_PER_GB);
    assert_eq!(pg.maintenance_work_mem_kb.value, 8 * KB_PER_GB);
    assert_eq!(pg.parallel.as_ref().unwrap().max_parallel_workers_per_gather.value, 4);
    assert_eq!(r.db_pool.as_ref().unwrap().pool_size.value, 20);
    assert!(r.warnings.iter().any(|w| w.code == "pgbouncer-required"));
}
