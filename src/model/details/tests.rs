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
fn postgres_sizes_read_as_postgresql_writes_them() {
    let mut plan = Plan::default(); // database host: 16 GiB
    plan.db_ram_gib = 16.0;
    let s = sections(&rules::recommend(&plan));
    let sb = find(&s, "postgres", "shared_buffers");
    assert_eq!((sb.value.as_str(), sb.unit.as_str()), ("4GB", ""));
    assert!(!sb.why.is_empty() && !sb.source.is_empty());
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
    assert_eq!((shown("app.memory_limit"), shown("app.cpu_request"), shown("app.run_as")), ("1472".into(), "2800".into(), "10001:10001".into()));
    assert_eq!((shown("hpa.cpu_average"), shown("liveness.check"), shown("termination_grace")), ("2800".into(), "tcpSocket".into(), "45".into()));
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
