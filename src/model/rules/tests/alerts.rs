use super::rec;
use crate::model::choice::{Platform, Switch};

fn names(r: &crate::model::rules::Recommendation) -> Vec<&'static str> {
    r.alerts.iter().map(|a| a.name).collect()
}

#[test]
fn alerts_cover_004_targets_and_002_rules() {
    let r = rec(|_| {});
    assert_eq!(
        names(&r),
        ["AppDown", "AppAbsent", "HighLatencyP95", "HighErrorRate", "HighCpuUsage", "HighMemoryUsage", "MemoryCritical", "DatabasePoolExhausted"]
    );
    let a = |n: &str| r.alerts.iter().find(|a| a.name == n).unwrap().clone();
    assert_eq!((a("HighLatencyP95").threshold, a("HighLatencyP95").for_s), (0.2, 300));
    assert!(a("HighLatencyP95").expr.ends_with("> 0.2"));
    assert_eq!(a("HighErrorRate").threshold, 0.01);
    assert_eq!((a("HighCpuUsage").threshold, a("HighCpuUsage").for_s), (80.0, 300));
    assert_eq!((a("HighMemoryUsage").threshold, a("MemoryCritical").threshold), (85.0, 90.0));
    assert!(r.alerts.iter().all(|a| a.severity == "warning" || a.severity == "critical"));
}

#[test]
fn pod_restarts_only_on_kubernetes() {
    let r = rec(|p| p.platform = Platform::K8s);
    let restarts = r.alerts.iter().find(|a| a.name == "PodRestarts").unwrap();
    assert_eq!(restarts.threshold, 3.0);
    assert!(restarts.expr.contains("[1h]"));
    assert!(!names(&rec(|_| {})).contains(&"PodRestarts"));
}

#[test]
fn pool_exhaustion_alert_uses_pool_plus_overflow() {
    let r = rec(|_| {});
    let a = r.alerts.iter().find(|a| a.name == "DatabasePoolExhausted").unwrap();
    assert_eq!(a.threshold, 20.0); // 10 + 10
    assert!(names(&rec(|p| p.pgbouncer = Switch::On)).contains(&"PgBouncerClientsWaiting"));
}

#[test]
fn an_app_that_is_down_or_gone_alerts() {
    let r = rec(|p| p.name = "shop".into());
    let a = |n: &str| r.alerts.iter().find(|a| a.name == n).unwrap().clone();
    assert_eq!((a("AppDown").expr.as_str(), a("AppDown").for_s, a("AppDown").severity), ("up{job=\"shop\"} == 0", 60, "critical"));
    assert_eq!((a("AppAbsent").expr.as_str(), a("AppAbsent").for_s), ("absent(up{job=\"shop\"})", 300));
}
