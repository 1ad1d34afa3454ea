//! nginx in front of the app (000 "Nginx Performance Optimizations", 003 "Nginx
//! Performance Tuning" and site config).

use super::explained::{ex, Explained, DERIVED, DOCS, G000, G000_003, G003, G004};
use crate::model::plan::Plan;
use crate::model::workers::Workers;
use serde::Serialize;

/// How long nginx keeps an idle upstream (app) connection: nginx's default upstream
/// `keepalive_timeout` 60 s. The app's keep-alive is set longer than this (004).
pub const UPSTREAM_KEEPALIVE_TIMEOUT_S: u32 = 60;

/// The MIME types worth compressing (000's list, plus 003's fonts/SVG); text/html is always on.
pub const GZIP_TYPES: &[&str] = &[
    "text/plain",
    "text/css",
    "text/xml",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/ld+json",
    "application/manifest+json",
    "application/vnd.ms-fontobject",
    "font/opentype",
    "image/svg+xml",
    "image/x-icon",
];

/// nginx values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nginx {
    pub worker_processes: Explained<&'static str>,
    pub worker_connections: Explained<u32>,
    pub worker_rlimit_nofile: Explained<u32>,
    /// `use` in the events block.
    pub event_method: Explained<&'static str>,
    pub multi_accept: Explained<bool>,
    pub keepalive_timeout_s: Explained<u32>,
    pub keepalive_requests: Explained<u32>,
    /// Idle connections to the app each worker keeps (`keepalive` in the upstream block).
    pub upstream_keepalive: Explained<u32>,
    pub upstream_keepalive_timeout_s: Explained<u32>,
    pub gzip_types: Explained<Vec<&'static str>>,
    pub gzip_min_length_bytes: Explained<u32>,
    pub static_expires: Explained<&'static str>,
    pub proxy_cache: ProxyCache,
    pub rate_limits: RateLimits,
    pub proxy_connect_timeout_s: Explained<u32>,
    pub proxy_send_timeout_s: Explained<u32>,
    pub proxy_read_timeout_s: Explained<u32>,
    pub client_max_body_size_mib: Explained<u32>,
}

/// `proxy_cache_path` and the validity of cached responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProxyCache {
    pub keys_zone_mib: Explained<u32>,
    pub max_size_gib: Explained<u32>,
    pub inactive_min: Explained<u32>,
    pub valid_200_s: Explained<u32>,
    pub valid_404_s: Explained<u32>,
}

/// `limit_req_zone` rates per client address (003).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateLimits {
    pub zone_mib: Explained<u32>,
    pub general_per_min: Explained<u32>,
    pub general_burst: Explained<u32>,
    pub auth_per_min: Explained<u32>,
    pub auth_burst: Explained<u32>,
}

/// Requests in progress on one node: the app's slots, or by Little's law the node's share
/// of the target rate × the p95 objective, whichever is larger.
pub fn concurrent_requests_per_node(plan: &Plan, w: &Workers) -> u64 {
    let per_node_rps = plan.target_rps.max(0.0) / plan.replicas.max(1) as f64;
    let little = (per_node_rps * plan.p95_objective_ms.max(0.0) / 1000.0).ceil();
    let little = if little.is_finite() { little.min(1e12) as u64 } else { 0 };
    (w.slots() as u64).max(little)
}

/// worker_connections: each proxied request holds two connections (client and upstream),
/// shared by one worker per core (`worker_processes auto`); rounded up to a multiple of
/// 1024 and kept within 1024 (000) – 4096 (000's events block).
pub fn worker_connections(concurrent_requests: u64, cores: u32) -> u32 {
    let per_worker = (concurrent_requests.saturating_mul(2)).div_ceil(cores.max(1) as u64);
    (per_worker.div_ceil(1024).saturating_mul(1024)).clamp(1024, 4096) as u32
}

/// worker_rlimit_nofile = 2 × worker_connections: each connection may also open a file
/// (static file, cache entry, temp buffer).
pub fn worker_rlimit_nofile(worker_connections: u32) -> u32 {
    worker_connections * 2
}

/// keepalive_requests 1000 (003; nginx's default since 1.19.10; 000's 100 was the old
/// default): a busy client's connection is reused ten times longer.
pub fn keepalive_requests() -> u32 {
    1000
}

/// proxy_read/send_timeout = the app's timeout: the app's own timeout (which logs and
/// recycles the worker) acts first, never a bare 504 from nginx while the app still works.
pub fn proxy_read_timeout_s(app_timeout_s: u32) -> u32 {
    app_timeout_s
}

/// client_max_body_size = 004's MAX_REQUEST_SIZE, 10 MiB ("JSON APIs: 1–10MB").
pub fn client_max_body_size_mib() -> u32 {
    10
}

/// nginx for the plan; None without a proxy.
pub fn nginx(plan: &Plan, w: &Workers, app_timeout_s: u32) -> Option<Nginx> {
    if !plan.has_proxy() {
        return None;
    }
    let concurrent = concurrent_requests_per_node(plan, w);
    let wc = worker_connections(concurrent, plan.cores);
    let read = proxy_read_timeout_s(app_timeout_s);
    Some(Nginx {
        worker_processes: ex("auto", "", G000_003, "one worker per core"),
        worker_connections: ex(wc, "connections", G000, format!("{concurrent} requests in progress × 2 connections / {} workers, rounded up to 1024s within 1024–4096", plan.cores)),
        worker_rlimit_nofile: ex(worker_rlimit_nofile(wc), "files", G000_003, "2 × worker_connections: a connection may also hold a file"),
        event_method: ex("epoll", "", G000_003, "Linux's scalable event interface"),
        multi_accept: ex(true, "", G000_003, "accept every pending connection per wake-up"),
        keepalive_timeout_s: ex(65, "s", G000_003, "keep an idle client connection 65 s (000, 003)"),
        keepalive_requests: ex(keepalive_requests(), "requests", G003, "003's 1000 (nginx's current default) over 000's 100"),
        upstream_keepalive: ex(32, "connections", G003, "idle connections to the app each worker keeps, saving a connect per request"),
        upstream_keepalive_timeout_s: ex(UPSTREAM_KEEPALIVE_TIMEOUT_S, "s", DOCS, "nginx's default; the app's keep-alive is 5 s longer"),
        gzip_types: ex(GZIP_TYPES.to_vec(), "", G000_003, "text, JSON, JS, XML, SVG and fonts; images and archives are compressed already"),
        gzip_min_length_bytes: ex(1024, "bytes", G003, "smaller responses gain nothing (004's app compresses from 1000 bytes)"),
        static_expires: ex("1y", "", G000_003, "fingerprinted static files: Cache-Control \"public, immutable\" for a year"),
        proxy_cache: ProxyCache {
            keys_zone_mib: ex(10, "MiB", G000_003, "10 MB of keys holds about 80 000 entries"),
            max_size_gib: ex(1, "GiB", G003, "003 and 002's 1 GB on disk (000's 10 GB suits large files)"),
            inactive_min: ex(60, "min", G000_003, "drop entries unused for an hour"),
            valid_200_s: ex(30, "s", G000, "30 s (000's API status cache): short, since responses are dynamic; bypassed for authenticated requests"),
            valid_404_s: ex(60, "s", G000_003, "1 m (000, 002, 003)"),
        },
        rate_limits: RateLimits {
            zone_mib: ex(10, "MiB", G003, "10 MB of client addresses (~160 000)"),
            general_per_min: ex(100, "r/min", G003, "per client address"),
            general_burst: ex(20, "requests", G003, "nodelay: short bursts pass at once"),
            auth_per_min: ex(5, "r/min", G003, "login attempts per client address: slows password guessing"),
            auth_burst: ex(10, "requests", G003, "nodelay"),
        },
        proxy_connect_timeout_s: ex(30, "s", G003, "003's 30 s"),
        proxy_send_timeout_s: ex(read, "s", DERIVED, "equal to the app's timeout"),
        proxy_read_timeout_s: ex(read, "s", DERIVED, format!("the app's timeout ({app_timeout_s} s), so the app's timeout acts first (003's 30 s under a 120 s app timeout would cut requests)")),
        client_max_body_size_mib: ex(client_max_body_size_mib(), "MiB", G004, "004 MAX_REQUEST_SIZE 10 MiB (003's 50m is for file uploads)"),
    })
}
