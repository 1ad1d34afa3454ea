//! nginx in front of the app (000 "Nginx Performance Optimizations", 003 "Nginx
//! Performance Tuning" and site config).

use super::explained::{ex, Explained, DERIVED, DOCS, G000, G000_003, G003, G004};
use super::kernel::SOMAXCONN;
use crate::model::choice::Platform;
use crate::model::figure::{count, replica_noun, whole};
use crate::model::sources::guide;
use crate::model::text::{cat, digits};
use crate::model::lists;
use crate::model::plan::Plan;
use crate::model::workers::Workers;
use serde::Serialize;

/// How long nginx keeps an idle upstream (app) connection: nginx's default upstream
/// `keepalive_timeout` 60 s. The app's keep-alive is set longer than this (004).
pub const UPSTREAM_KEEPALIVE_TIMEOUT_S: u32 = 60;

/// keepalive_timeout 65 s (000, 003): how long an idle client connection stays open.
pub const KEEPALIVE_TIMEOUT_S: u32 = 65;
/// Upstream `keepalive 32` (003): idle app connections each worker keeps, saving a connect per request.
pub const UPSTREAM_KEEPALIVE: u32 = 32;
/// gzip_min_length 1024 bytes (003): smaller responses gain nothing from compression.
pub const GZIP_MIN_LENGTH_BYTES: u32 = 1024;
/// Static files expire after a year (000, 003), sent `Cache-Control: public, immutable`.
pub const STATIC_EXPIRES: &str = "1y";
/// proxy_cache_path `keys_zone=…:10m` (000, 002, 003): about 80 000 keys.
pub const CACHE_KEYS_ZONE_MIB: u32 = 10;
/// proxy_cache_path `max_size=1g` (002, 003; 000's 10g suits large files).
pub const CACHE_MAX_SIZE_GIB: u32 = 1;
/// proxy_cache_path `inactive=60m` (000, 002, 003): entries unused for an hour are dropped.
pub const CACHE_INACTIVE_MIN: u32 = 60;
/// proxy_cache_valid 200 30s (000's API cache): short, since responses are dynamic.
pub const CACHE_VALID_200_S: u32 = 30;
/// proxy_cache_valid 404 1m (000, 002, 003).
pub const CACHE_VALID_404_S: u32 = 60;
/// limit_req_zone size 10m (003): about 160 000 client addresses.
pub const RATE_ZONE_MIB: u32 = 10;
/// General rate limit per client address: 600 r/min (10 r/s), burst 50 nodelay. 003's
/// 100 r/min is a link server's: a browser loading one page of an app fires tens of API
/// calls at once (HTTP/1.1 opens up to 6 connections per host), which 003's burst of 20
/// turns into 429s. Static files are not limited.
pub const RATE_GENERAL: (u32, u32) = (600, 50);
/// Auth rate limit 5 r/min per client address, burst 10 nodelay (003): slows password guessing.
pub const RATE_AUTH: (u32, u32) = (5, 10);
/// proxy_connect_timeout 30 s (003).
pub const PROXY_CONNECT_TIMEOUT_S: u32 = 30;
/// How much longer nginx waits for the app than the app's own timeout, s: gunicorn's
/// arbiter checks its workers about once a second, and the app's deadline must act first.
pub const PROXY_TIMEOUT_MARGIN_S: u32 = 5;
/// The server name written while the plan has none: `.invalid` never resolves (RFC 2606),
/// so nginx answers no request until the real names are set (fails closed).
pub const PLACEHOLDER_SERVER_NAME: &str = "set-server-name.invalid";
/// The port nginx listens on in a pod: an unprivileged port, since the restricted Pod
/// Security level drops the capability to bind below 1024.
pub const POD_LISTEN_PORT: u32 = 8080;
/// The accept queue nginx asks for in a pod: Linux's default net.core.somaxconn since 5.4,
/// which caps it (the pod's sysctls are not exported).
pub const POD_LISTEN_BACKLOG: u32 = 4096;

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
    /// The user the workers run as; None in a pod (nginx runs unprivileged there).
    pub user: Option<Explained<&'static str>>,
    /// `auto` on a host; in a pod the plan's cores (`auto` counts the node's CPUs).
    pub worker_processes: Explained<String>,
    pub worker_connections: Explained<u32>,
    pub worker_rlimit_nofile: Explained<u32>,
    /// `use` in the events block.
    pub event_method: Explained<&'static str>,
    pub multi_accept: Explained<bool>,
    pub listen_port: Explained<u32>,
    /// `listen … backlog=`: the accept queue, matching the kernel's somaxconn.
    pub listen_backlog: Explained<u32>,
    /// The host names served, space-separated (or [`PLACEHOLDER_SERVER_NAME`]); any other
    /// Host header is closed without an answer.
    pub server_name: Explained<String>,
    /// The load balancers whose X-Forwarded-For gives the client's address (space-separated
    /// ranges); None: clients connect directly.
    pub real_ip_from: Option<Explained<String>>,
    pub keepalive_timeout_s: Explained<u32>,
    pub keepalive_requests: Explained<u32>,
    /// Idle connections to the app each worker keeps (`keepalive` in the upstream block).
    pub upstream_keepalive: Explained<u32>,
    pub upstream_keepalive_timeout_s: Explained<u32>,
    pub gzip_types: Explained<Vec<&'static str>>,
    pub gzip_min_length_bytes: Explained<u32>,
    /// None in a pod: the sidecar has no static files (the app or a CDN serves them).
    pub static_expires: Option<Explained<&'static str>>,
    /// None unless the plan names paths that may be cached.
    pub proxy_cache: Option<ProxyCache>,
    /// None in a pod without a load balancer range: every request would share one address.
    pub rate_limits: Option<RateLimits>,
    pub proxy_connect_timeout_s: Explained<u32>,
    pub proxy_send_timeout_s: Explained<u32>,
    pub proxy_read_timeout_s: Explained<u32>,
    pub client_max_body_size_mib: Explained<u32>,
}

/// `proxy_cache_path`, the cached paths and the validity of cached responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProxyCache {
    /// The path prefixes cached, space-separated.
    pub paths: Explained<String>,
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

/// proxy_read/send_timeout = the app's timeout + [`PROXY_TIMEOUT_MARGIN_S`]: the app's own
/// deadline (gunicorn's timeout kills the worker, which logs it and stops the work) acts
/// first. Equal, nginx answers 504 while the app goes on and may complete a request the
/// client then retries.
pub fn proxy_read_timeout_s(app_timeout_s: u32) -> u32 {
    app_timeout_s.saturating_add(PROXY_TIMEOUT_MARGIN_S)
}

/// client_max_body_size = 004's MAX_REQUEST_SIZE, 10 MiB ("JSON APIs: 1–10MB").
pub fn client_max_body_size_mib() -> u32 {
    10
}

/// server_name: the plan's host names, or [`PLACEHOLDER_SERVER_NAME`] while it has none.
/// Never `_` or a bare default server: a cache keyed without the Host, behind a server
/// answering any Host, stores a page for a forged host and serves it to the real one.
pub fn server_name(plan: &Plan) -> Explained<String> {
    if plan.server_name.is_empty() {
        ex(PLACEHOLDER_SERVER_NAME.to_string(), "", DERIVED, "PLACEHOLDER: set the host names nginx serves (server_name); until then it answers no request, and any other Host header is closed without an answer (444)")
    } else {
        let names: Vec<&str> = lists::items(&plan.server_name).collect();
        ex(names.join(" "), "", DERIVED, "the plan's host names; any other Host header is closed without an answer (444), so a forged Host never reaches the app or the cache")
    }
}

/// The trusted load balancers: X-Forwarded-For from these ranges gives the client's
/// address (`real_ip_recursive`), which the rate limits and the logs then use.
pub fn real_ip_from(plan: &Plan) -> Option<Explained<String>> {
    (!plan.lb_cidr.is_empty()).then(|| {
        let ranges: Vec<&str> = lists::items(&plan.lb_cidr).collect();
        ex(ranges.join(" "), "", DOCS, "the load balancers in front: the client's address is the last X-Forwarded-For entry they did not add; any other sender's header is ignored")
    })
}

/// The proxy cache, only for the paths the plan names (000 caches `/api/status`; a whole
/// site cached by default serves one user's page to the next).
pub fn proxy_cache(plan: &Plan) -> Option<ProxyCache> {
    if plan.cache_paths.is_empty() {
        return None;
    }
    let paths: Vec<&str> = lists::items(&plan.cache_paths).collect();
    Some(ProxyCache {
        paths: ex(paths.join(" "), "", G000, "only these prefixes, keyed by scheme, host and URI; never a request with a Cookie or Authorization header, nor a response with Set-Cookie or Cache-Control private/no-store"),
        keys_zone_mib: ex(CACHE_KEYS_ZONE_MIB, "MiB", G000_003, "10 MB of keys holds about 80,000 entries"),
        max_size_gib: ex(CACHE_MAX_SIZE_GIB, "GiB", G003, concat!("1 GB on disk, as in the ", guide!(003, 002), " (the ", guide!(000), "'s 10 GB suits large files)")),
        inactive_min: ex(CACHE_INACTIVE_MIN, "min", G000_003, "drop entries unused for an hour"),
        valid_200_s: ex(CACHE_VALID_200_S, "s", G000, concat!("30 s (the ", guide!(000), "'s API status cache): short, since responses are dynamic")),
        valid_404_s: ex(CACHE_VALID_404_S, "s", G000_003, concat!("1 m (", guide!(000, 002, 003), ")")),
    })
}

/// Rate limits per client address, or None in a pod with no load balancer range: there
/// every request arrives from the ingress or the node, so one address would carry all.
pub fn rate_limits(plan: &Plan) -> Option<RateLimits> {
    if !rate_limited(plan) {
        return None;
    }
    let by = if !plan.lb_cidr.is_empty() {
        "per client address (from the load balancers' X-Forwarded-For)"
    } else {
        "per client address as nginx sees it: clients connect directly (behind a load balancer, set its range or every client shares one limit)"
    };
    Some(RateLimits {
        zone_mib: ex(RATE_ZONE_MIB, "MiB", G003, "10 MB of client addresses (~160,000)"),
        general_per_min: ex(RATE_GENERAL.0, "r/min", DERIVED, cat(&["10 r/s ", by, ": a page's burst of API calls passes, one client cannot take the ", replica_noun(plan).0, concat!(" (the ", guide!(003), "'s 100 r/min is for a link server)")])),
        general_burst: ex(RATE_GENERAL.1, "requests", DERIVED, "nodelay: a page's burst of calls passes at once"),
        auth_per_min: ex(RATE_AUTH.0, "r/min", G003, cat(&["login attempts ", by, ": slows password guessing"])),
        auth_burst: ex(RATE_AUTH.1, "requests", G003, "nodelay"),
    })
}

/// Whether nginx limits rates ([`rate_limits`]): with the load balancers' range, or on
/// plain hosts where clients connect directly.
pub fn rate_limited(plan: &Plan) -> bool {
    !plan.lb_cidr.is_empty() || plan.platform == Platform::Hosts
}

/// What the warnings read of nginx ([`nginx`]'s values, without their whys): its
/// descriptors and connections, its idle and read timeouts, whether it limits rates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub worker_connections: u32,
    pub worker_rlimit_nofile: u32,
    pub upstream_keepalive_timeout_s: u32,
    pub proxy_read_timeout_s: u32,
    pub rate_limited: bool,
}

/// nginx's [`Limits`] for the plan; None without a proxy.
pub fn limits(plan: &Plan, w: &Workers, app_timeout_s: u32) -> Option<Limits> {
    plan.has_proxy().then(|| {
        // The node's cores, not a pod's CPUs as `nginx` counts them: the checks that read
        // this (rlimit = 2 × worker_connections) hold either way, and the page's first
        // load stays smaller.
        let wc = worker_connections(concurrent_requests_per_node(plan, w), plan.cores);
        Limits {
            worker_connections: wc,
            worker_rlimit_nofile: worker_rlimit_nofile(wc),
            upstream_keepalive_timeout_s: UPSTREAM_KEEPALIVE_TIMEOUT_S,
            proxy_read_timeout_s: proxy_read_timeout_s(app_timeout_s),
            rate_limited: rate_limited(plan),
        }
    })
}

/// nginx for the plan; None without a proxy.
pub fn nginx(plan: &Plan, w: &Workers, app_timeout_s: u32) -> Option<Nginx> {
    if !plan.has_proxy() {
        return None;
    }
    let pod = plan.platform == Platform::K8s;
    let concurrent = concurrent_requests_per_node(plan, w);
    let cores = crate::model::pod::app_cores(plan);
    let wc = worker_connections(concurrent, cores);
    let read = proxy_read_timeout_s(app_timeout_s);
    Some(Nginx {
        user: (!pod).then(|| ex("www-data", "", DOCS, "Debian's and Ubuntu's nginx user (nginx on RHEL, Fedora and Alpine): the workers never run as nobody")),
        worker_processes: if pod {
            ex(cores.to_string(), "", DERIVED, "one worker per core of the pod's CPU limit: auto would count every CPU of the node")
        } else {
            ex("auto".to_string(), "", G000_003, "one worker per core")
        },
        worker_connections: ex(wc, "connections", G000, cat(&[&whole(concurrent as f64), " requests in progress × 2 connections / ", &count(cores, "worker", "workers"), ", rounded up to a multiple of 1,024 within 1,024–4,096"])),
        worker_rlimit_nofile: ex(worker_rlimit_nofile(wc), "files", G000_003, "2 × worker_connections: a connection may also hold a file"),
        event_method: ex("epoll", "", G000_003, "Linux's scalable event interface"),
        multi_accept: ex(true, "", G000_003, "accept every pending connection per wake-up"),
        listen_port: if pod {
            ex(POD_LISTEN_PORT, "", DOCS, "an unprivileged port: the restricted Pod Security level drops the capability to bind below 1024")
        } else {
            ex(80, "", G000_003, "HTTP; TLS ends at the load balancer or in a server block of your own")
        },
        listen_backlog: if pod {
            ex(POD_LISTEN_BACKLOG, "connections", DOCS, "the pod's net.core.somaxconn (Linux's default 4,096) caps it")
        } else {
            ex(SOMAXCONN, "connections", G000, "net.core.somaxconn of sysctl.conf: without it nginx asks for 511 and the kernel's larger queue is never used")
        },
        server_name: server_name(plan),
        real_ip_from: real_ip_from(plan),
        keepalive_timeout_s: ex(KEEPALIVE_TIMEOUT_S, "s", G000_003, "keep an idle client connection 65 s"),
        keepalive_requests: ex(keepalive_requests(), "requests", G003, concat!("the ", guide!(003), "'s 1,000 (nginx's current default) over the ", guide!(000), "'s 100")),
        upstream_keepalive: ex(UPSTREAM_KEEPALIVE, "connections", G003, "idle connections to the app each worker keeps, saving a connect per request"),
        upstream_keepalive_timeout_s: ex(UPSTREAM_KEEPALIVE_TIMEOUT_S, "s", DOCS, "nginx's default; the app's keep-alive is 5 s longer"),
        gzip_types: ex(GZIP_TYPES.to_vec(), "", G000_003, "text, JSON, JS, XML, SVG and fonts; images and archives are compressed already"),
        gzip_min_length_bytes: ex(GZIP_MIN_LENGTH_BYTES, "bytes", G003, concat!("smaller responses gain nothing (the ", guide!(004), "'s app compresses from 1,000 bytes)")),
        static_expires: (!pod).then(|| ex(STATIC_EXPIRES, "", G000_003, "fingerprinted static files: Cache-Control \"public, immutable\" for a year")),
        proxy_cache: proxy_cache(plan),
        rate_limits: rate_limits(plan),
        proxy_connect_timeout_s: ex(PROXY_CONNECT_TIMEOUT_S, "s", G003, concat!("the ", guide!(003), "'s 30 s")),
        proxy_send_timeout_s: ex(read, "s", DERIVED, "as proxy_read_timeout"),
        proxy_read_timeout_s: ex(read, "s", DERIVED, cat(&["the app's timeout (", &digits(app_timeout_s), " s) + ", &digits(PROXY_TIMEOUT_MARGIN_S), " s: the app's deadline acts first; equal, nginx answers 504 while the app may still complete the request a client then retries"])),
        client_max_body_size_mib: ex(client_max_body_size_mib(), "MiB", G004, concat!("MAX_REQUEST_SIZE 10 MiB of the ", guide!(004), " (the ", guide!(003), "'s 50m is for file uploads)")),
    })
}
