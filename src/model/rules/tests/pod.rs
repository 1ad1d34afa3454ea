//! The pod as the unit (issue 22): `pod_cpu` and `pod_mem` on Kubernetes.

use super::codes;
use crate::model::query::decode_strict;
use crate::model::rules::kubernetes::quota::{cpu_limit_m, cpu_request_from_use_m, memory_mib};
use crate::model::rules::recommend;
use crate::model::{capacity, evaluate, Plan};

#[track_caller]
fn plan(q: &str) -> Plan {
    decode_strict(q).unwrap_or_else(|e| panic!("{q}: {e:?}"))
}

#[test]
fn a_pod_of_half_a_core_on_a_16_core_node_runs_2_workers_limited_to_500m_and_1gi() {
    let p = plan("platform=k8s&cores=16&ram=64&server=sync&pod_cpu=0.5&pod_mem=1");
    let r = recommend(&p);
    let w = &r.gunicorn.workers;
    assert_eq!(w.value, 2, "2 × 0.5 + 1, not 2 × 16 + 1 = 33: {}", w.why);
    assert!(w.why.contains("not the node's 16 cores"), "{}", w.why);
    let k = r.kubernetes.as_ref().expect("k8s");
    let app = &k.app.resources;
    assert_eq!((app.cpu_limit_m.value, app.memory_request_mib.value, app.memory_limit_mib.value), (500, 1024, 1024));
    assert!(app.cpu_request_m.value <= 500 && app.cpu_request_m.value >= 10);
    assert!(app.cpu_limit_m.why.contains("pod_cpu"), "{}", app.cpu_limit_m.why);
    // Many such pods fit the node: by its allocatable memory and CPU, not one node-sized pod.
    assert!(k.pods_per_node_by_requests.value > 1, "{}", k.pods_per_node_by_requests.why);
    assert!(!codes(&r).contains(&"pod-over-allocatable"), "{:?}", codes(&r));
    assert!(k.hpa.cpu_average_m.why.contains("each pod's app container"), "{}", k.hpa.cpu_average_m.why);
}

#[test]
fn a_quota_gives_the_pods_cores_of_capacity_not_the_nodes() {
    let node = plan("platform=k8s&cores=16&ram=64&server=sync&workers=2");
    let pod = plan("platform=k8s&cores=16&ram=64&server=sync&pod_cpu=0.5");
    let (cn, cp) = (capacity::Node::new(&node), capacity::Node::new(&pod));
    // A quota is a budget of CPU time, not a slower CPU: the pod's 2 workers run on the
    // node's cores at full speed (README, "Pod CPU quota, measured").
    assert_eq!((cn.cpu_servers, cp.cpu_servers), (2, 2));
    assert_eq!(cp.cpu_ms, cn.cpu_ms, "no stretch of the CPU demand");
    assert_eq!((cn.quota, cp.quota), (None, Some(0.5)));
    // Its throughput is the quota's: 0.5 core of CPU time, half of what a 1-core quota lets through.
    let one = plan("platform=k8s&cores=16&ram=64&server=sync&pod_cpu=1");
    let c1 = capacity::Node::new(&one);
    assert!((cp.quota_limit_rps() / c1.quota_limit_rps() - 0.5).abs() < 1e-9);
    assert!((cp.quota_limit_rps() - 500.0 / cp.cpu_ms).abs() < 1e-9);
    let (cap, cap1) = (capacity::capacity(&pod), capacity::capacity(&one));
    assert!((cap.cpu_limit_rps - 0.7 * cp.quota_limit_rps()).abs() < 1e-9 * cap.cpu_limit_rps, "{} against {}", cap.cpu_limit_rps, cp.quota_limit_rps());
    assert!(cap.node_rps <= cap.cpu_limit_rps && cap.node_max_rps <= cp.quota_limit_rps() && cap.rps <= cap1.rps);
    // A CPU-bound pod: the quota is its bottleneck, at 70 % of it.
    let bound = plan("platform=k8s&cores=16&ram=64&server=sync&pod_cpu=0.5&mix=100&cpu_ms=5&wait_ms=0");
    let b = capacity::capacity(&bound);
    assert_eq!(b.bottleneck, capacity::Bottleneck::Cpu);
    assert!((b.node_rps - 0.7 * capacity::Node::new(&bound).quota_limit_rps()).abs() < 1e-9 * b.node_rps, "{}", b.node_rps);
    // Well below the quota the pod's latency is the same 2 workers' without one.
    let at = |p: &crate::model::Plan| capacity::latency(&crate::model::Plan { target_rps: 20.0, ..p.clone() }).p95_ms;
    assert_eq!(at(&pod), at(&node));
    // At the quota's rate the pod is over capacity, both in its latency and in its capacity.
    let over = capacity::evaluate(&crate::model::Plan { target_rps: cp.quota_limit_rps() * 1.01, ..pod.clone() });
    assert!(over.latency.over_capacity && over.capacity.node_max_rps < cp.quota_limit_rps() * 1.01);
    // Past the CPU-bound pod's quota, the quota is all used, and each slot is held slots ÷
    // the quota's throughput (Little's law), not the shorter cycle of the node's CPUs
    // without the quota.
    let nb = capacity::Node::new(&bound);
    let over = capacity::evaluate(&crate::model::Plan { target_rps: nb.quota_limit_rps() * 1.5, ..bound.clone() });
    assert_eq!((over.latency.over_capacity, over.latency.cpu_utilisation), (true, 1.0));
    assert!((over.capacity.node_max_rps - nb.quota_limit_rps()).abs() < 1e-9 * nb.quota_limit_rps());
    let held = nb.slots as f64 * 1000.0 / nb.quota_limit_rps();
    assert!((over.latency.p95_ms - held).abs() < 1e-9 * held && held > over.capacity.saturation.cycle_ms, "{} against {held}", over.latency.p95_ms);
}

#[test]
fn the_cpu_request_follows_the_models_use_at_the_target() {
    assert_eq!([0.0, 3.0, 10.0, 10.1, 234.5].map(cpu_request_from_use_m), [10, 10, 10, 20, 240]);
    assert_eq!((cpu_limit_m(0.5), cpu_limit_m(1.5), cpu_limit_m(0.1)), (500, 1500, 100));
    assert_eq!(memory_mib(1024.0), 1024);
    let p = plan("platform=k8s&cores=16&ram=64&server=sync&pod_cpu=1&rps=100&replicas=4");
    let k = recommend(&p).kubernetes.expect("k8s");
    let req = &k.app.resources.cpu_request_m;
    // The pods carrying 100 r/s, each at its share × the CPU per request.
    let pods = crate::model::outcome::replicas_to_fit(&p, &evaluate(&p)).expect("fits");
    let want = cpu_request_from_use_m(100.0 / f64::from(pods) * capacity::cpu_demand_ms(&p));
    assert_eq!(req.value, want.min(1000), "{}", req.why);
    assert!(req.why.contains("r/s per pod"), "{}", req.why);
    // Without a target: 70 % of the limit.
    let p = plan("platform=k8s&cores=16&ram=64&pod_cpu=1.5");
    assert_eq!(recommend(&p).kubernetes.expect("k8s").app.resources.cpu_request_m.value, 1050);
}

#[test]
fn a_pod_larger_than_the_nodes_allocatable_resources_is_refused() {
    let r = recommend(&plan("platform=k8s&cores=4&ram=8&pod_cpu=4&pod_mem=8"));
    let refused: Vec<&str> = r.warnings.iter().filter(|w| w.code == "pod-over-allocatable").map(|w| w.message.as_str()).collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused[0].starts_with("pod_cpu 4 cores is more than the 3,720 m a node of 4 cores leaves to pods (allocatable)"), "{}", refused[0]);
    assert!(refused[1].starts_with("pod_mem 8 GiB is more than the ") && refused[1].contains("MiB a node of 8 GiB leaves to pods (allocatable)"), "{}", refused[1]);
    let report = crate::model::report::report(&plan("platform=k8s&cores=4&ram=8&pod_cpu=4"));
    assert_eq!((report.verdict.fit, report.warnings[0].code), ("broken", "pod-over-allocatable"), "{}", report.verdict.message);
    // The page's verdict (rules::checked, outcome) is broken with it too.
    let page = crate::model::outcome::outcome(&plan("platform=k8s&cores=4&ram=8&pod_cpu=4"));
    assert_eq!(page.verdict.fit, crate::model::Fit::Broken, "{}", page.verdict.message);
    assert!(crate::model::rules::checked(&plan("platform=k8s&cores=4&ram=8&pod_mem=8")).warnings.iter().any(|w| w.code == "pod-over-allocatable"));
    // Within it: no refusal.
    assert!(!codes(&recommend(&plan("platform=k8s&cores=4&ram=8&pod_cpu=3.5&pod_mem=4"))).contains(&"pod-over-allocatable"));
}

#[test]
fn the_pod_keys_change_nothing_unset_or_off_kubernetes() {
    // Unset (None) the model takes the node's cores and RAM: every existing test holds.
    // On plain hosts the keys are ignored.
    for q in ["", "cores=16&ram=64&server=sync&rps=500", "server=gthread&cores=8&ram=16&db=postgres&rps=300"] {
        let (base, with) = (plan(q), Plan { pod_cpu: 0.5, pod_mem_gib: 1.0, ..plan(q) });
        assert_eq!(recommend(&with), recommend(&base), "{q}");
        assert_eq!(evaluate(&with), evaluate(&base), "{q}");
    }
}
