use super::{codes, rec};
use crate::model::choice::{Platform, Workload};
use crate::model::rules::kubernetes::*;

fn k8s(edit: impl FnOnce(&mut crate::model::Plan)) -> crate::model::rules::Recommendation {
    rec(|p| {
        p.platform = Platform::K8s;
        edit(p);
    })
}

#[test]
fn k8s_sizing_follows_the_002_table() {
    assert_eq!(sizing(Sizing::WebApi), (100, 500, 128, 512));
    assert_eq!(sizing(Sizing::HeavyCompute), (500, 2000, 512, 2048));
    assert_eq!(sizing(Sizing::BackgroundJob), (50, 200, 64, 256));
    assert_eq!(sizing(Sizing::Database), (500, 4000, 1024, 4096));
    assert_eq!(sizing(Sizing::Cache), (100, 1000, 256, 2048));
    let k = k8s(|p| p.workload = Workload::Compute).kubernetes.unwrap();
    assert_eq!(k.app.sizing, Sizing::HeavyCompute);
    assert_eq!(k.database.unwrap().sizing, Sizing::Database);
}

#[test]
fn k8s_warns_when_processes_exceed_the_memory_limit() {
    // 8 async processes × 150 MiB = 1200 MiB > Web API's 512 MiB.
    assert!(codes(&k8s(|_| {})).contains(&"k8s-limit-below-workers"));
    let fits = k8s(|p| {
        p.workers = Some(3);
        p.cores = 1;
    });
    assert!(!codes(&fits).contains(&"k8s-limit-below-workers"), "{:?}", codes(&fits));
}

#[test]
fn k8s_warns_when_the_cpu_limit_is_below_the_cores() {
    assert!(codes(&k8s(|_| {})).contains(&"k8s-cpu-limit-below-cores"));
    assert!(!codes(&k8s(|p| {
        p.cores = 2;
        p.workload = Workload::Compute;
    }))
    .contains(&"k8s-cpu-limit-below-cores"));
}

#[test]
fn hpa_is_2_to_20_at_70_cpu_80_memory_with_002_behaviour() {
    assert_eq!(hpa_replicas(1), (2, 20));
    assert_eq!(hpa_replicas(15), (15, 30));
    let h = k8s(|_| {}).kubernetes.unwrap().hpa;
    assert_eq!((h.cpu_utilization_pct.value, h.memory_utilization_pct.value), (70, 80));
    let (d, u) = (&h.scale_down, &h.scale_up);
    assert_eq!((d.stabilization_window_s.value, d.percent.value, d.period_s.value), (300, 50, 60));
    assert_eq!((u.stabilization_window_s.value, u.percent.value, u.period_s.value), (0, 100, 30));
}

#[test]
fn pdb_needs_two_replicas() {
    assert_eq!([1, 2, 3, 10].map(pdb_min_available), [None, Some(1), Some(2), Some(2)]);
    let one = k8s(|p| p.replicas = 1);
    assert!(one.kubernetes.as_ref().unwrap().pdb_min_available.is_none());
    assert!(codes(&one).contains(&"pdb-needs-two-replicas"));
    let three = k8s(|p| p.replicas = 3);
    assert_eq!(three.kubernetes.unwrap().pdb_min_available.unwrap().value, 2);
}

#[test]
fn probes_follow_002() {
    let k = k8s(|_| {}).kubernetes.unwrap();
    let (r, l) = (&k.readiness, &k.liveness);
    assert_eq!((r.path.value, r.initial_delay_s.value, r.period_s.value), ("/health/ready", 10, 5));
    assert_eq!((l.path.value, l.initial_delay_s.value, l.period_s.value), ("/health/live", 30, 10));
    assert_eq!(r.port.value, APP_PORT);
}

#[test]
fn pods_per_node_by_requests_and_limits() {
    assert_eq!(pods_per_node(4000, 7782, 100, 128), 40);
    assert_eq!(pods_per_node(4000, 7782, 500, 512), 8);
    assert_eq!(pods_per_node(256_000, 2_000_000, 100, 128), MAX_PODS_PER_NODE);
    let k = k8s(|_| {}).kubernetes.unwrap();
    assert_eq!((k.pods_per_node_by_requests.value, k.pods_per_node_by_limits.value), (40, 8));
}

#[test]
fn cache_pod_memory_covers_the_budget() {
    assert_eq!(cache_resources(512).memory_limit_mib.value, 2048);
    let r = cache_resources(4096);
    assert_eq!((r.memory_request_mib.value, r.memory_limit_mib.value), (4096, 4096));
}

#[test]
fn hosts_have_no_kubernetes_objects() {
    let r = rec(|_| {});
    assert!(r.kubernetes.is_none());
    assert!(!codes(&r).iter().any(|c| c.starts_with("k8s") || c.starts_with("pdb")));
}
