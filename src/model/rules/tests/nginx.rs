use super::{codes, rec};
use crate::model::choice::{Proxy, Server};
use crate::model::rules::nginx::*;

#[test]
fn nginx_worker_connections_are_clamped_to_1024_4096() {
    assert_eq!(worker_connections(0, 4), 1024);
    assert_eq!(worker_connections(100_000_000, 1), 4096);
}

#[test]
fn nginx_worker_connections_follow_concurrent_connections() {
    // 3000 requests × 2 connections / 2 workers = 3000 → 3072.
    assert_eq!(worker_connections(3000, 2), 3072);
    // gevent: 9 × 1000 greenlets on 4 cores → 4500 per worker → 4096.
    assert_eq!(rec(|p| p.server = Server::Gevent).nginx.unwrap().worker_connections.value, 4096);
    // The target rate by Little's law: 20 000 r/s × 0.2 s = 4000 in progress on 4 cores.
    let n = rec(|p| p.target_rps = 20_000.0).nginx.unwrap();
    assert_eq!(n.worker_connections.value, 2048);
}

#[test]
fn nginx_rlimit_is_twice_worker_connections() {
    assert_eq!(worker_rlimit_nofile(2048), 4096);
    let n = rec(|_| {}).nginx.unwrap();
    assert!(n.worker_rlimit_nofile.value >= 2 * n.worker_connections.value);
}

#[test]
fn nginx_proxy_read_timeout_is_the_app_timeout() {
    let r = rec(|p| p.wait_ms = [2.0, 5000.0, 12.0]);
    let n = r.nginx.as_ref().unwrap();
    assert_eq!((n.proxy_read_timeout_s.value, r.gunicorn.timeout_s.value), (120, 120));
    assert!(!codes(&r).contains(&"proxy-timeout-shorter-than-app"));
}

#[test]
fn nginx_keeps_003_rate_limits_and_000_cache_zone() {
    let n = rec(|_| {}).nginx.unwrap();
    assert_eq!((n.rate_limits.general_per_min.value, n.rate_limits.auth_per_min.value), (100, 5));
    assert_eq!(n.proxy_cache.keys_zone_mib.value, 10);
    assert_eq!((n.keepalive_timeout_s.value, n.keepalive_requests.value, n.upstream_keepalive.value), (65, 1000, 32));
    assert_eq!((n.event_method.value, n.multi_accept.value, n.worker_processes.value), ("epoll", true, "auto"));
    assert_eq!(n.static_expires.value, "1y");
    assert!(n.gzip_types.value.contains(&"application/json"));
}

#[test]
fn nginx_client_max_body_size_is_10_mib() {
    assert_eq!(rec(|_| {}).nginx.unwrap().client_max_body_size_mib.value, 10);
}

#[test]
fn no_proxy_means_no_nginx() {
    let r = rec(|p| p.proxy = Proxy::None);
    assert!(r.nginx.is_none());
    assert!(!codes(&r).contains(&"keepalive-not-longer-than-proxy"));
}
