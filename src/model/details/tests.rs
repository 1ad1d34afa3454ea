//! The settings list: labels, units, every value explained, sections by component.

use super::*;
use crate::model::{rules, Plan};

fn find<'a>(sections: &'a [Section], id: &str, name: &str) -> &'a Line {
    sections
        .iter()
        .find(|s| s.id == id)
        .and_then(|s| s.lines.iter().find(|l| l.name == name))
        .unwrap_or_else(|| panic!("{id}.{name} missing"))
}

#[test]
fn postgres_sizes_read_as_pgtune_writes_them_with_a_space() {
    let mut plan = Plan::default(); // database host: 16 GiB
    plan.db_ram_gib = 16.0;
    let s = sections(&rules::recommend(&plan));
    let sb = find(&s, "postgres", "shared_buffers");
    assert_eq!((sb.value.as_str(), sb.unit.as_str()), ("4", "GB"));
    assert!(sb.why.starts_with("4 GB — 25 % of 16 GB") && !sb.source.is_empty(), "{}", sb.why);
    let work_mem = find(&s, "postgres", "work_mem");
    assert_eq!((work_mem.value.as_str(), work_mem.unit.as_str()), ("20,560", "kB"));
}

#[test]
fn quantities_are_grouped_by_thousands_and_singular_for_one() {
    let plan = Plan { server: crate::model::Server::Sync, ..Plan::default() };
    let s = sections(&rules::recommend(&plan));
    let per_process = find(&s, "gunicorn", "per_process");
    assert_eq!((per_process.value.as_str(), per_process.unit.as_str()), ("1", "thread"));
    let rmem = find(&s, "kernel", "tcp_rmem");
    assert_eq!((rmem.value.as_str(), rmem.unit.as_str()), ("4,096 87,380 134,217,728", "bytes"));
    assert_eq!(find(&s, "kernel", "somaxconn").value, "65,535");
    // A port is a name, not a quantity: as the program reads it.
    let k8s = sections(&rules::recommend(&Plan { platform: crate::model::Platform::K8s, ..Plan::default() }));
    assert_eq!(find(&k8s, "kubernetes", "readiness.port").value, "8000");
    let latency = find(&s, "alerts", "HighLatencyP95");
    assert_eq!(latency.value, "0.2 s for 300 s");
}

#[test]
fn labels_drop_the_unit_suffix_and_keep_the_unit() {
    let s = sections(&rules::recommend(&Plan::default()));
    let t = find(&s, "gunicorn", "timeout");
    assert_eq!(t.unit, "s");
    assert_eq!(find(&s, "nginx", "limit_req.general_per_min").unit, "r/min");
    let mut cached = Plan::default();
    cached.cache_paths = "/api/status".into();
    let s = sections(&rules::recommend(&cached));
    assert_eq!(find(&s, "nginx", "proxy_cache.inactive").unit, "min");
}

#[test]
fn every_explained_value_has_a_why_and_a_source() {
    let mut plan = Plan::default();
    plan.platform = crate::model::Platform::K8s;
    plan.pgbouncer = crate::model::Switch::On;
    let s = sections(&rules::recommend(&plan));
    assert!(s.iter().map(|x| x.lines.len()).sum::<usize>() > 100);
    for l in s.iter().flat_map(|x| &x.lines) {
        assert!(!l.why.is_empty() && !l.source.is_empty() && !l.value.is_empty(), "{l:?}");
    }
}

#[test]
fn the_kubernetes_section_lists_the_pods_values() {
    let plan = Plan { platform: crate::model::Platform::K8s, pgbouncer: crate::model::Switch::On, ..Plan::default() };
    let s = sections(&rules::recommend(&plan));
    let shown = |name: &str| find(&s, "kubernetes", name).value.clone();
    assert_eq!((shown("app.memory_limit"), shown("app.cpu_request"), shown("app.run_as")), ("1,472".into(), "2,800".into(), "10001:10001".into()));
    assert_eq!((shown("hpa.cpu_average"), shown("liveness.check"), shown("termination_grace")), ("2,800".into(), "tcpSocket".into(), "45".into()));
    assert_eq!((shown("nginx.run_as"), shown("redis.run_as"), shown("pgbouncer.run_as")), ("101:101".into(), "999:1000".into(), "70:70".into()));
    assert_eq!(find(&s, "kubernetes", "app.run_as").unit, "uid:gid");
    assert!(s.iter().flat_map(|x| &x.lines).all(|l| l.name != "replicas" && l.name != "liveness.path"));
}

#[test]
fn components_the_plan_lacks_have_no_section() {
    let mut plan = Plan::default();
    plan.db = crate::model::Database::None;
    plan.cache = crate::model::Cache::None;
    plan.proxy = crate::model::Proxy::None;
    let ids: Vec<_> = sections(&rules::recommend(&plan)).iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids, ["gunicorn", "kernel", "alerts"]);
}

#[test]
fn a_count_unit_is_singular_for_one_and_other_units_stay() {
    let pairs = [("processes", "process"), ("connections", "connection"), ("pods", "pod"), ("bytes", "byte"), ("restarts", "restart")];
    for (many, one) in pairs {
        assert_eq!(singular(many), one);
    }
    for unit in ["s", "ms", "r/s", "r/min", "MiB", "min", "%", "uid:gid", "m"] {
        assert_eq!(singular(unit), unit);
    }
}
