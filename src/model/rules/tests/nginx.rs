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
fn nginx_waits_5_s_longer_than_the_app_timeout() {
    let r = rec(|p| p.wait_ms = crate::model::plan::three([2.0, 5000.0, 12.0]));
    let n = r.nginx.as_ref().unwrap();
    assert_eq!((n.proxy_read_timeout_s.value, n.proxy_send_timeout_s.value, r.gunicorn.timeout_s.value), (125, 125, 120));
    assert_eq!(proxy_read_timeout_s(30), 35);
    assert_eq!(proxy_read_timeout_s(u32::MAX), u32::MAX);
    assert!(!codes(&r).contains(&"proxy-timeout-shorter-than-app"));
}

#[test]
fn nginx_keeps_003_auth_limit_and_lets_a_page_burst_through() {
    let n = rec(|_| {}).nginx.unwrap();
    let r = n.rate_limits.unwrap();
    assert_eq!((r.general_per_min.value, r.general_burst.value), (600, 50));
    assert_eq!((r.auth_per_min.value, r.auth_burst.value), (5, 10));
    assert_eq!((n.keepalive_timeout_s.value, n.keepalive_requests.value, n.upstream_keepalive.value), (65, 1000, 32));
    assert_eq!((n.event_method.value, n.multi_accept.value, n.worker_processes.value.as_str()), ("epoll", true, "auto"));
    assert_eq!(n.static_expires.unwrap().value, "1y");
    assert!(n.gzip_types.value.contains(&"application/json"));
}

#[test]
fn nginx_caches_nothing_unless_the_plan_names_paths() {
    assert_eq!(rec(|_| {}).nginx.unwrap().proxy_cache, None);
    let c = rec(|p| p.cache_paths = "/api/status,/catalog/".into()).nginx.unwrap().proxy_cache.unwrap();
    assert_eq!(c.paths.value, "/api/status /catalog/");
    assert_eq!((c.keys_zone_mib.value, c.valid_200_s.value), (10, 30));
}

#[test]
fn nginx_serves_only_the_plans_host_names_or_a_placeholder_that_answers_none() {
    assert_eq!(rec(|_| {}).nginx.unwrap().server_name.value, PLACEHOLDER_SERVER_NAME);
    assert!(PLACEHOLDER_SERVER_NAME.ends_with(".invalid"));
    let n = rec(|p| p.server_name = "shop.example.com,www.shop.example.com".into()).nginx.unwrap();
    assert_eq!(n.server_name.value, "shop.example.com www.shop.example.com");
}

#[test]
fn nginx_trusts_forwarded_addresses_only_from_the_load_balancers() {
    assert_eq!(rec(|_| {}).nginx.unwrap().real_ip_from, None);
    let n = rec(|p| p.lb_cidr = "10.0.0.0/8,2001:db8::/32".into()).nginx.unwrap();
    assert_eq!(n.real_ip_from.unwrap().value, "10.0.0.0/8 2001:db8::/32");
}

#[test]
fn nginx_in_a_pod_runs_unprivileged_and_limits_clients_only_behind_known_balancers() {
    let pod = |lb: &str| rec(|p| {
        p.platform = crate::model::Platform::K8s;
        p.replicas = 2;
        p.lb_cidr = lb.into();
    });
    let n = pod("").nginx.unwrap();
    assert_eq!((n.user, n.listen_port.value, n.listen_backlog.value), (None, 8080, 4096));
    assert_eq!(n.worker_processes.value, "4", "the pod's cores, not the node's");
    assert!(n.rate_limits.is_none() && n.static_expires.is_none());
    assert!(pod("10.0.0.0/8").nginx.unwrap().rate_limits.is_some());
    let host = rec(|_| {}).nginx.unwrap();
    assert_eq!((host.user.unwrap().value, host.listen_port.value, host.listen_backlog.value), ("www-data", 80, 65_535));
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
