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
    assert_eq!(proxy_timeout_shorter_than_app(120, 120).unwrap().code, "proxy-timeout-shorter-than-app");
    assert_eq!(proxy_timeout_shorter_than_app(125, 120), None);
}

#[test]
fn rlimit_below_connections_warns() {
    assert_eq!(rlimit_below_connections("x", 1024, 2048, ("node", "nodes")).unwrap().code, "rlimit-below-connections");
    assert_eq!(rlimit_below_connections("x", 65_536, 2048, ("node", "nodes")), None);
}

#[test]
fn memory_over_80_warns_on_a_tiny_node() {
    assert!(memory_over_80(900.0, 1000.0, "node").is_some());
    assert!(memory_over_80(800.0, 1000.0, "node").is_none());
    let r = rec(|p| {
        p.cores = 1;
        p.ram_gib = 0.5;
    });
    assert!(codes(&r).contains(&"memory-over-node") && !codes(&r).contains(&"memory-over-80"), "{:?}", codes(&r));
    // 1 GiB: 256 OS + 512 cache + 64 proxy + one 150 MiB process = 982 MiB, 96 %.
    let r = rec(|p| p.ram_gib = 1.0);
    assert!(codes(&r).contains(&"memory-over-80"), "{:?}", codes(&r));
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
fn the_default_plan_has_no_warnings_only_the_server_name_note() {
    assert_eq!(codes(&rec(|_| {})), ["server-name-not-set"]);
    assert!(rec(|_| {}).warnings.iter().all(|w| w.severity == Severity::Info));
    assert_eq!(codes(&rec(|p| p.server_name = "example.com".into())), Vec::<&str>::new());
}

#[test]
fn sync_and_gthread_without_a_proxy_are_held_by_slow_clients() {
    let direct = |server| codes(&rec(|p| {
        p.server = server;
        p.proxy = crate::model::Proxy::None;
    }));
    assert!(direct(Server::Sync).contains(&"slow-clients-hold-workers"));
    assert!(direct(Server::Gthread).contains(&"slow-clients-hold-workers"));
    assert!(!direct(Server::Gevent).contains(&"slow-clients-hold-workers"));
    assert!(!direct(Server::Async).contains(&"slow-clients-hold-workers"));
    assert!(!codes(&rec(|p| p.server = Server::Sync)).contains(&"slow-clients-hold-workers"));
    // 2 × 4 + 1 sync workers: nine slow clients stop the node.
    let w = slow_clients_hold_workers(Server::Sync, false, 9, "node").unwrap();
    assert_eq!(w.severity, Severity::Caution);
    assert!(w.message.starts_with("Without a buffering proxy, 9 clients"), "{}", w.message);
    assert!(w.message.contains("every sync worker of a node"), "{}", w.message);
    let pod = slow_clients_hold_workers(Server::Sync, false, 9, "pod").unwrap();
    assert!(pod.message.contains("every sync worker of a pod"), "{}", pod.message);
}

#[test]
fn nginx_in_a_pod_without_the_load_balancers_range_has_no_rate_limits() {
    let k8s = |lb: &str| codes(&rec(|p| {
        p.platform = crate::model::Platform::K8s;
        p.replicas = 2;
        p.lb_cidr = lb.into();
    }));
    assert!(k8s("").contains(&"no-rate-limits"));
    assert!(!k8s("10.0.0.0/8").contains(&"no-rate-limits"));
    assert!(!codes(&rec(|_| {})).contains(&"no-rate-limits"));
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
        W::ServerNameNotSet,
        W::SlowClientsHoldWorkers,
        W::NoRateLimits,
        W::K8sMinReplicasOverConnections,
        W::AsgiAppOnWsgiServer,
        W::WsgiAppOnAsgiServer,
    ];
    let codes: HashSet<&str> = all.iter().map(|k| k.code()).collect();
    assert_eq!(codes.len(), all.len());
    assert!(codes.iter().all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')));
    assert_eq!(W::PgbouncerRequired.code(), "pgbouncer-required");
}

#[test]
fn what_fails_is_an_error_what_is_risky_a_caution() {
    use WarningKind as W;
    for k in [W::PoolExceedsMaxConnections, W::PgbouncerRequired, W::RlimitBelowConnections, W::RedisClientsOverMaxclients, W::MemoryOverNode, W::K8sMinReplicasOverConnections, W::AsgiAppOnWsgiServer, W::WsgiAppOnAsgiServer] {
        assert_eq!(k.severity(), Severity::Error, "{k:?}");
    }
    for k in [W::MemoryOver80, W::CpuOver70, W::SlowClientsHoldWorkers, W::ProxyTimeoutShorterThanApp] {
        assert_eq!(k.severity(), Severity::Caution, "{k:?}");
    }
    assert_eq!(memory_over_node(8193.0, 8192.0, "node").unwrap().severity, Severity::Error);
    assert_eq!(memory_over_node(8192.0, 8192.0, "node"), None);
    assert_eq!((Severity::Error.key(), Severity::Caution.key(), Severity::Info.key()), ("error", "caution", "info"));
}

#[test]
fn a_framework_on_a_server_of_the_other_interface_breaks_the_plan() {
    use crate::model::choice::Framework;
    let fastapi_sync = rec(|p| {
        p.framework = Framework::Fastapi;
        p.server = Server::Sync;
    });
    assert!(codes(&fastapi_sync).contains(&"asgi-app-on-wsgi-server"), "{:?}", codes(&fastapi_sync));
    let flask_async = rec(|p| p.framework = Framework::Flask);
    assert!(codes(&flask_async).contains(&"wsgi-app-on-asgi-server"), "{:?}", codes(&flask_async));
    for fine in [rec(|p| p.framework = Framework::Fastapi), rec(|p| p.framework = Framework::Django), rec(|p| {
        p.framework = Framework::Flask;
        p.server = Server::Gthread;
    })] {
        assert!(!codes(&fine).iter().any(|c| c.ends_with("-server")), "{:?}", codes(&fine));
    }
}
