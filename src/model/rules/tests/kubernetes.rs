use super::{codes, rec};
use crate::model::choice::{Cache, Database, Platform, Proxy, Server};
use crate::model::rules::kubernetes::pod::{liveness, readiness, termination_grace_s};
use crate::model::rules::kubernetes::scaling::{hpa_cpu_average_m, min_replicas_over_bounds};
use crate::model::rules::kubernetes::sizing::{nginx_cpu_m, nginx_memory_mib, pgbouncer_memory_mib, round_up_mib};
use crate::model::rules::kubernetes::*;
use crate::model::Switch;

fn k8s(edit: impl FnOnce(&mut crate::model::Plan)) -> crate::model::rules::Recommendation {
    rec(|p| {
        p.platform = Platform::K8s;
        edit(p);
    })
}

fn bound(what: &'static str, limit: u64, per_pod: u64) -> Bound {
    Bound { what, setting: "s".into(), limit, per_pod, per_pod_why: "w".into() }
}

#[test]
fn k8s_sizing_follows_the_002_table() {
    assert_eq!(sizing(Sizing::WebApi), (100, 500, 128, 512));
    assert_eq!(sizing(Sizing::HeavyCompute), (500, 2000, 512, 2048));
    assert_eq!(sizing(Sizing::BackgroundJob), (50, 200, 64, 256));
    assert_eq!(sizing(Sizing::Database), (500, 4000, 1024, 4096));
    assert_eq!(sizing(Sizing::Cache), (100, 1000, 256, 2048));
}

#[test]
fn app_memory_is_processes_times_worker_memory_plus_a_fifth_in_64_mib_steps() {
    assert_eq!([0, 1, 64, 65].map(round_up_mib), [64, 64, 64, 128]);
    // 8 × 150 MiB = 1200, × 1.2 = 1440, rounded up to 1472 (23 × 64).
    assert_eq!(app_memory_mib(8, 150), 1472);
    assert_eq!(app_memory_mib(1, 16), 64);
    let k = k8s(|_| {}).kubernetes.unwrap();
    let r = &k.app.resources;
    assert_eq!((r.memory_request_mib.value, r.memory_limit_mib.value), (1472, 1472));
    // The processes always fit the pod: the old k8s-limit-below-workers cannot arise.
    let big = k8s(|p| p.workers = Some(64)).kubernetes.unwrap();
    assert!(big.app.resources.memory_limit_mib.value as u64 >= 64 * 150);
}

#[test]
fn app_cpu_limit_is_the_cores_and_the_request_is_the_70_percent_target() {
    assert_eq!([1, 3, 4, 256].map(app_cpu_limit_m), [1000, 3000, 4000, 256_000]);
    assert_eq!([1, 3, 4, 256].map(app_cpu_request_m), [700, 2100, 2800, 179_200]);
    let r = k8s(|p| p.cores = 3).kubernetes.unwrap().app.resources;
    assert_eq!((r.cpu_request_m.value, r.cpu_limit_m.value), (2100, 3000));
    assert!(r.cpu_request_m.why.contains("70 %"), "{}", r.cpu_request_m.why);
}

#[test]
fn nginx_sidecar_resources_grow_with_cores_and_requests_in_flight() {
    assert_eq!(nginx_cpu_m(1), (100, 500));
    assert_eq!(nginx_cpu_m(8), (800, 2000));
    // 32 + 4 × 4 + 800 × 64 KiB (50 MiB) = 98 → 128.
    assert_eq!(nginx_memory_mib(4, 800), 128);
    assert_eq!(nginx_memory_mib(1, 1), 64);
    let k = k8s(|_| {}).kubernetes.unwrap();
    assert_eq!(k.nginx.unwrap().run_as.value, [101, 101]);
    assert!(k8s(|p| p.proxy = Proxy::None).kubernetes.unwrap().nginx.is_none());
}

#[test]
fn cache_pod_memory_covers_the_budget() {
    assert_eq!(cache_resources(512).memory_limit_mib.value, 2048);
    let r = cache_resources(4096);
    assert_eq!((r.memory_request_mib.value, r.memory_limit_mib.value), (4096, 4096));
    let k = k8s(|_| {}).kubernetes.unwrap();
    assert_eq!(k.redis.unwrap().run_as.value, [999, 1000]);
}

#[test]
fn pgbouncer_memory_counts_its_clients() {
    assert_eq!(pgbouncer_memory_mib(100), 64);
    // 16 + 100 000 × 8 KiB (782 MiB) = 798 → 832.
    assert_eq!(pgbouncer_memory_mib(100_000), 832);
    let k = k8s(|p| p.pgbouncer = Switch::On).kubernetes.unwrap();
    let b = k.pgbouncer.unwrap();
    assert_eq!((b.resources.cpu_limit_m.value, b.run_as.value), (1000, [70, 70]));
    assert!(k8s(|_| {}).kubernetes.unwrap().pgbouncer.is_none());
}

#[test]
fn hpa_min_is_002s_two_or_the_replicas() {
    assert_eq!([1, 2, 15].map(hpa_min_replicas), [2, 2, 15]);
}

#[test]
fn hpa_max_by_002_is_20_or_twice_the_minimum() {
    assert_eq!([2, 10, 15].map(hpa_max_by_002), [20, 20, 30]);
}

#[test]
fn hpa_max_replicas_stays_within_every_connection_bound() {
    assert_eq!(pods_within(197, 160), 1);
    assert_eq!(pods_within(197, 0), u64::MAX);
    assert_eq!(hpa_max_replicas(2, 20, &[]), 20);
    assert_eq!(hpa_max_replicas(2, 20, &[bound("PostgreSQL", 197, 27)]), 7);
    assert_eq!(hpa_max_replicas(2, 20, &[bound("PostgreSQL", 197, 9), bound("Redis", 10_000, 60)]), 20);
    assert_eq!(hpa_max_replicas(2, 20, &[bound("PostgreSQL", 197, 27), bound("Redis", 10_000, 2_000)]), 5);
    // Never below the minimum: a minimum over a bound is warned instead.
    assert_eq!(hpa_max_replicas(3, 20, &[bound("PostgreSQL", 197, 160)]), 3);
    // The plan: sync on 4 cores opens 9 × (1 + 2) = 27 connections per pod; 197 / 27 = 7.
    let h = k8s(|p| {
        p.server = Server::Sync;
        p.cache = Cache::None;
    })
    .kubernetes
    .unwrap()
    .hpa;
    assert_eq!(h.max_replicas.value, 7);
    assert!(h.max_replicas.why.contains("PostgreSQL's 197 connections (max_connections − reserved) hold 7 pods of 27"), "{}", h.max_replicas.why);
}

#[test]
fn connection_bounds_count_postgresql_or_pgbouncer_and_redis() {
    // Async on 4 cores: 8 processes × (10 + 10) = 160 per pod; Redis 8 × 20 = 160.
    let b = k8s(|_| {}).kubernetes.unwrap().bounds;
    let seen: Vec<_> = b.iter().map(|b| (b.what, b.limit, b.per_pod, b.pods())).collect();
    assert_eq!(seen, [("PostgreSQL", 197, 160, 1), ("Redis", 10_000, 160, 62)]);
    // With PgBouncer, its max_client_conn admits the autoscaler's largest fleet, 002's 20 pods
    // × 160 = 3,200: it bounds nothing below that (its server side stays default_pool_size).
    let b = k8s(|p| {
        p.pgbouncer = Switch::On;
        p.replicas = 3;
    })
    .kubernetes
    .unwrap()
    .bounds;
    assert_eq!((b[0].what, b[0].limit, b[0].pods()), ("PgBouncer", 3200, 20));
    let none = k8s(|p| {
        p.db = Database::None;
        p.cache = Cache::None;
    });
    assert!(none.kubernetes.unwrap().bounds.is_empty());
}

#[test]
fn hpa_scales_on_cpu_only_at_the_cpu_request() {
    assert_eq!(hpa_cpu_average_m(2800), 2800);
    let k = k8s(|_| {}).kubernetes.unwrap();
    assert_eq!(k.hpa.cpu_average_m.value, k.app.resources.cpu_request_m.value);
    let (d, u) = (&k.hpa.scale_down, &k.hpa.scale_up);
    assert_eq!((d.stabilization_window_s.value, d.percent.value, d.period_s.value), (300, 50, 60));
    assert_eq!((u.stabilization_window_s.value, u.percent.value, u.period_s.value), (0, 100, 30));
}

#[test]
fn min_replicas_over_bounds_warns_only_what_the_other_checks_miss() {
    let pg = [bound("PostgreSQL", 197, 160)];
    assert_eq!(min_replicas_over_bounds(2, 1, &pg).len(), 1);
    assert!(min_replicas_over_bounds(3, 3, &pg).is_empty(), "the pool check warns it");
    assert!(min_replicas_over_bounds(2, 1, &[bound("PostgreSQL", 197, 27)]).is_empty());
    // The plan of one replica: 160 connections fit PostgreSQL, the HPA's two pods do not.
    let one = k8s(|_| {});
    assert!(codes(&one).contains(&"k8s-min-replicas-over-connections"), "{:?}", codes(&one));
    assert!(!codes(&one).contains(&"pool-exceeds-max-connections"));
    // Three replicas: the pool check warns (pool-exceeds-max-connections, pgbouncer-required).
    let three = k8s(|p| p.replicas = 3);
    assert!(codes(&three).contains(&"pool-exceeds-max-connections") && codes(&three).contains(&"pgbouncer-required"));
    assert!(!codes(&three).contains(&"k8s-min-replicas-over-connections"));
    // PgBouncer admits the HPA's pods (max_client_conn sized for 20 of 160): nothing to warn.
    let bouncer = k8s(|p| p.pgbouncer = Switch::On);
    assert_eq!(bouncer.pgbouncer.as_ref().unwrap().max_client_conn.value, 3200);
    assert!(!codes(&bouncer).contains(&"k8s-min-replicas-over-connections"), "{:?}", codes(&bouncer));
    // Redis: 300 processes × 20 = 6 000 clients per pod; 10 000 maxclients hold one pod.
    let redis = |replicas| {
        k8s(move |p| {
            p.db = Database::None;
            p.workers = Some(300);
            p.worker_mem_mib = 16;
            p.ram_gib = 64.0;
            p.replicas = replicas;
        })
    };
    assert!(codes(&redis(1)).contains(&"k8s-min-replicas-over-connections"), "{:?}", codes(&redis(1)));
    let two = redis(2);
    assert!(codes(&two).contains(&"redis-clients-over-maxclients") && !codes(&two).contains(&"k8s-min-replicas-over-connections"));
}

#[test]
fn the_retired_k8s_warnings_no_longer_fire() {
    for edit in [
        (|p: &mut crate::model::Plan| p.workers = Some(64)) as fn(&mut crate::model::Plan),
        |p| p.cores = 256,
        |p| p.replicas = 1,
        |p| {
            p.cores = 1;
            p.ram_gib = 0.5;
        },
    ] {
        let c = codes(&k8s(edit));
        for retired in ["k8s-limit-below-workers", "k8s-cpu-limit-below-cores", "pdb-needs-two-replicas"] {
            assert!(!c.contains(&retired), "{retired} in {c:?}");
        }
    }
}

#[test]
fn pdb_min_available_keeps_one_of_two_and_two_of_three() {
    assert_eq!([1, 2, 3, 10].map(pdb_min_available), [None, Some(1), Some(2), Some(2)]);
    // One replica: the HPA keeps two pods, so the PDB keeps one.
    assert_eq!(k8s(|p| p.replicas = 1).kubernetes.unwrap().pdb_min_available.unwrap().value, 1);
    assert_eq!(k8s(|p| p.replicas = 3).kubernetes.unwrap().pdb_min_available.unwrap().value, 2);
}

#[test]
fn readiness_is_an_http_get_with_a_5_s_timeout() {
    let r = readiness();
    assert_eq!((r.check.value, r.path.map(|p| p.value)), ("httpGet", Some("/health/ready")));
    assert_eq!((r.port.value, r.initial_delay_s.value, r.period_s.value, r.timeout_s.value), (APP_PORT, 10, 5, 5));
}

#[test]
fn liveness_is_a_tcp_connect_that_load_cannot_fail() {
    let l = liveness();
    assert_eq!((l.check.value, l.path), ("tcpSocket", None));
    assert_eq!((l.port.value, l.period_s.value, l.failure_threshold.value), (APP_PORT, 10, 6));
    assert!(l.check.why.contains("busy"), "{}", l.check.why);
}

#[test]
fn termination_grace_is_the_pause_plus_graceful_timeout_plus_5() {
    assert_eq!(termination_grace_s(30, 10), 45);
    assert_eq!(termination_grace_s(300, 10), 315);
    assert_eq!(termination_grace_s(u32::MAX, 10), u32::MAX);
    let s = k8s(|_| {}).kubernetes.unwrap().shutdown;
    assert_eq!((s.pre_stop_sleep_s.value, s.termination_grace_s.value), (10, 45));
}

#[test]
fn pods_per_node_by_requests_and_limits() {
    assert_eq!(pods_per_node(4000, 7782, 100, 128), 40);
    assert_eq!(pods_per_node(4000, 7782, 500, 512), 8);
    assert_eq!(pods_per_node(256_000, 2_000_000, 100, 128), MAX_PODS_PER_NODE);
    // The pod is sized as the plan's node: one fits it by its requests (2 800m + nginx's 400m).
    let k = k8s(|_| {}).kubernetes.unwrap();
    assert_eq!((k.pods_per_node_by_requests.value, k.pods_per_node_by_limits.value), (1, 0));
}

#[test]
fn hosts_have_no_kubernetes_objects() {
    let r = rec(|_| {});
    assert!(r.kubernetes.is_none());
    assert!(!codes(&r).iter().any(|c| c.starts_with("k8s") || c.starts_with("pdb")));
}

#[test]
fn with_a_target_the_hpa_reaches_the_peaks_pods_and_the_pdb_lets_only_the_spares_go() {
    use crate::model::outcome::outcome;
    let plan = |q: &str| crate::model::query::decode_strict(&format!("platform=k8s&pgbouncer=on&{q}")).unwrap();
    // 1,500 r/s average, twice that at the peak, 4 pods of which 2 spare.
    let p = plan("rps=1500&peak=2&replicas=4&spare=2");
    let k = crate::model::rules::recommend(&p).kubernetes.unwrap();
    let peak = outcome(&p).verdict.replicas_needed.unwrap();
    assert!(peak > 4, "the peak needs more than the plan's 4: {peak}");
    // Room for the peak's pods, with 002's margin above them (20) for a load not foreseen.
    assert_eq!((k.hpa.min_replicas.value, k.hpa.max_replicas.value), (4, 20));
    assert!(k.hpa.max_replicas.why.contains(&format!("room above the {peak} pods (2 spare) the peak needs")), "{}", k.hpa.max_replicas.why);
    let pdb = k.pdb_min_available.unwrap();
    assert_eq!(pdb.value, 2, "4 less the 2 spares");
    assert!(pdb.why.contains("less 2 spare pods"), "{}", pdb.why);
    // No spare: one pod may still go, or a drain blocks.
    let none = crate::model::rules::recommend(&plan("rps=100&replicas=3")).kubernetes.unwrap();
    assert_eq!(none.pdb_min_available.unwrap().value, 2);
    // Without PgBouncer the database's connections stop the HPA below the peak, and its why says so.
    let bound = crate::model::rules::recommend(&crate::model::query::decode_strict("platform=k8s&rps=3000&replicas=2").unwrap()).kubernetes.unwrap();
    assert!(bound.hpa.max_replicas.why.contains("the peak needs") && bound.hpa.max_replicas.why.contains("PostgreSQL's"), "{}", bound.hpa.max_replicas.why);
    // Without a target: 002's rule, as before.
    let plain = crate::model::rules::recommend(&plan("replicas=2")).kubernetes.unwrap();
    assert_eq!(plain.hpa.max_replicas.value, 20);
    assert!(plain.hpa.max_replicas.why.starts_with("the Kubernetes guide's 20"), "{}", plain.hpa.max_replicas.why);
}

#[test]
fn the_clusters_daemonsets_and_max_pods_shape_the_node() {
    let rec = |q: &str| crate::model::rules::recommend(&crate::model::query::decode_strict(&format!("platform=k8s&cores=16&ram=64&{q}")).unwrap()).kubernetes.unwrap();
    let default = rec("");
    let heavy = rec("daemonset_cpu=1200&daemonset_mem=2048");
    assert_eq!(default.allocatable_cpu_m.value - heavy.allocatable_cpu_m.value, 1000);
    assert_eq!(default.allocatable_mem_mib.value - heavy.allocatable_mem_mib.value, 1792);
    assert!(heavy.allocatable_cpu_m.why.contains("1,200 m of DaemonSets"), "{}", heavy.allocatable_cpu_m.why);
    // maxPods bounds the pods a node takes, the DaemonSets' pods counted (a pod sized as its
    // node fits once whatever the bound: the bound bites once pods are sized apart).
    let eks = rec("max_pods=29");
    assert_eq!(eks.pods_per_node_by_requests.value, 1);
    // EKS reserves 11 MiB a pod: fewer pods, less reserved, when that is the larger.
    let small_node = |q: &str| crate::model::rules::recommend(&crate::model::query::decode_strict(&format!("platform=k8s&cores=2&ram=4&{q}")).unwrap()).kubernetes.unwrap();
    assert_eq!(small_node("max_pods=29").allocatable_mem_mib.value - small_node("").allocatable_mem_mib.value, 1465 - 1024);
    assert!(eks.pods_per_node_by_requests.why.contains("at most maxPods 29 less 3 DaemonSet pods"), "{}", eks.pods_per_node_by_requests.why);
}
