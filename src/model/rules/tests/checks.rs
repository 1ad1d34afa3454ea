use super::{codes, rec};
use crate::model::choice::Server;
use crate::model::rules::checks::*;
use std::collections::HashSet;

#[test]
fn keepalive_not_longer_than_proxy_warns() {
    let w = keepalive_not_longer_than_proxy(5, 60).unwrap();
    assert_eq!(w.code, "keepalive-not-longer-than-proxy");
    assert!(w.message.contains("65 s"));
    assert_eq!(keepalive_not_longer_than_proxy(65, 60), None);
}

#[test]
fn proxy_timeout_shorter_than_app_warns() {
    // 003's own files: proxy_read_timeout 30s under gunicorn --timeout 120.
    assert_eq!(proxy_timeout_shorter_than_app(30, 120).unwrap().code, "proxy-timeout-shorter-than-app");
    assert_eq!(proxy_timeout_shorter_than_app(120, 120), None);
}

#[test]
fn rlimit_below_connections_warns() {
    assert_eq!(rlimit_below_connections("x", 1024, 2048).unwrap().code, "rlimit-below-connections");
    assert_eq!(rlimit_below_connections("x", 65_536, 2048), None);
}

#[test]
fn memory_over_80_warns_on_a_tiny_node() {
    assert!(memory_over_80(900.0, 1000.0).is_some());
    assert!(memory_over_80(800.0, 1000.0).is_none());
    let r = rec(|p| {
        p.cores = 1;
        p.ram_gib = 0.5;
    });
    assert!(codes(&r).contains(&"memory-over-80"));
}

#[test]
fn workers_capped_by_memory_is_reported() {
    let r = rec(|p| {
        p.server = Server::Sync;
        p.cores = 16;
        p.ram_gib = 2.0;
        p.cache_mem_mib = 16;
    });
    let w = r.warnings.iter().find(|w| w.code == "workers-capped-by-memory").unwrap();
    assert_eq!(w.severity, Severity::Info);
    assert!(!codes(&rec(|_| {})).contains(&"workers-capped-by-memory"));
}

#[test]
fn cpu_over_target_hook_warns_above_70_percent() {
    assert_eq!(cpu_over_target(0.71, 1000.0).unwrap().code, "cpu-over-70");
    assert_eq!(cpu_over_target(0.70, 1000.0), None);
    assert_eq!(cpu_over_target(f64::NAN, 1000.0), None);
}

#[test]
fn the_default_plan_has_no_warnings() {
    assert_eq!(codes(&rec(|_| {})), Vec::<&str>::new());
}

#[test]
fn warning_codes_are_stable_and_unique() {
    use WarningKind as W;
    let all = [
        W::PoolExceedsMaxConnections,
        W::PgbouncerRequired,
        W::MemoryOver80,
        W::KeepaliveNotLongerThanProxy,
        W::ProxyTimeoutShorterThanApp,
        W::RlimitBelowConnections,
        W::WorkersCappedByMemory,
        W::K8sLimitBelowWorkers,
        W::K8sCpuLimitBelowCores,
        W::PdbNeedsTwoReplicas,
        W::RedisClientsOverMaxclients,
        W::CpuOver70,
    ];
    let codes: HashSet<&str> = all.iter().map(|k| k.code()).collect();
    assert_eq!(codes.len(), all.len());
    assert!(codes.iter().all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')));
    assert_eq!(W::PgbouncerRequired.code(), "pgbouncer-required");
}
