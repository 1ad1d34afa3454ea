use super::{plan, rec};
use crate::model::choice::{Proxy, Server};
use crate::model::rules::gunicorn::*;
use crate::model::rules::nginx::UPSTREAM_KEEPALIVE_TIMEOUT_S;
use crate::model::workers;

#[test]
fn gunicorn_timeout_is_30_s_up_to_one_second_and_120_s_up_to_ten() {
    assert_eq!(timeout_s(0.0), 30);
    assert_eq!(timeout_s(1000.0), 30);
    assert_eq!(timeout_s(1000.1), 120);
    assert_eq!(timeout_s(10_000.0), 120);
    assert_eq!(timeout_s(60_000.0), 300);
}

#[test]
fn gunicorn_timeout_is_five_times_very_slow_requests() {
    assert_eq!(timeout_s(61_000.0), 360); // 305 s rounded up to 6 min
    assert_eq!(timeout_s(600_000.0), 3000);
}

#[test]
fn slowest_request_ignores_classes_without_share() {
    let p = plan(|p| {
        p.mix_pct = crate::model::plan::three([0, 100, 0]);
        p.cpu_ms = crate::model::plan::three([5000.0, 1.0, 1.0]);
        p.wait_ms = crate::model::plan::three([0.0, 30.0, 0.0]);
    });
    assert_eq!(slowest_request_ms(&p), 31.0);
    assert_eq!(rec(|p| p.wait_ms = crate::model::plan::three([2.0, 5000.0, 12.0])).gunicorn.timeout_s.value, 120);
}

#[test]
fn graceful_timeout_equals_timeout() {
    assert_eq!(graceful_timeout_s(120), 120);
    let g = rec(|_| {}).gunicorn;
    assert_eq!(g.graceful_timeout_s.value, g.timeout_s.value);
}

#[test]
fn keepalive_is_5_s_direct_and_longer_than_the_proxy_behind_nginx() {
    assert_eq!(keepalive_s(false, UPSTREAM_KEEPALIVE_TIMEOUT_S), 5);
    assert_eq!(keepalive_s(true, 60), 65); // 004: KEEPALIVE=65 > proxy timeout
    assert_eq!(rec(|p| p.proxy = Proxy::None).gunicorn.keepalive_s.value, 5);
    assert_eq!(rec(|_| {}).gunicorn.keepalive_s.value, 65);
}

#[test]
fn max_requests_is_1000_with_10_percent_jitter() {
    assert_eq!(max_requests(0.0), 1000);
    assert_eq!(max_requests_jitter(1000), 100);
    let g = rec(|_| {}).gunicorn;
    assert_eq!((g.max_requests.value, g.max_requests_jitter.value), (1000, 100));
}

#[test]
fn max_requests_lets_a_worker_live_an_hour_at_its_share_of_the_target() {
    assert_eq!(max_requests(0.1), 1000); // 360 an hour: 000's 1000 stays
    assert_eq!(max_requests(125.0), 450_000);
    assert_eq!(max_requests(125.01), 451_000);
    assert_eq!(max_requests(f64::INFINITY), 1000);
    assert_eq!(max_requests(1e12), 1_000_000_000);
    // 2000 r/s over 2 nodes of 8 async processes: 125 r/s each.
    let g = rec(|p| {
        p.target_rps = 2000.0;
        p.replicas = 2;
    })
    .gunicorn;
    assert_eq!((g.workers.value, g.max_requests.value, g.max_requests_jitter.value), (8, 450_000, 45_000));
    assert!(g.max_requests.why.contains("125 r/s"), "{}", g.max_requests.why);
}

#[test]
fn gunicorn_never_preloads_and_heartbeats_on_dev_shm() {
    for server in Server::ALL {
        let g = rec(|p| p.server = *server).gunicorn;
        assert!(!g.preload_app.value, "{server:?}");
        assert_eq!(g.worker_tmp_dir.value, "/dev/shm");
    }
}

#[test]
fn gunicorn_workers_come_from_the_worker_rule() {
    for server in [Server::Sync, Server::Gthread, Server::Gevent, Server::Async] {
        let p = plan(|p| p.server = server);
        let w = workers::recommend(&p);
        let g = rec(|p| p.server = server).gunicorn;
        assert_eq!((g.workers.value, g.per_process.value), (w.processes, w.per_process), "{server:?}");
        assert_eq!(g.worker_class.value, worker_class(server));
    }
    assert_eq!(worker_class(Server::Async), "uvicorn_worker.UvicornWorker");
}
