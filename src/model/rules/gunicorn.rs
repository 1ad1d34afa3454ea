//! The app server: the process count of `workers::recommend`, and gunicorn's lifecycle
//! settings (000 "gunicorn.conf.py", 003 "systemd unit", 004 KEEPALIVE).

use crate::model::Within;
use super::explained::{ex, Explained, DOCS, G000, G000_003, G003, G004};
use crate::model::figure::whole;
use crate::model::sources::guide;
use super::nginx::UPSTREAM_KEEPALIVE_TIMEOUT_S;
use crate::model::choice::Server;
use crate::model::plan::Plan;
use crate::model::workers::Workers;
use serde::Serialize;

/// gunicorn's settings for the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gunicorn {
    /// `worker_class` ("sync", "gthread", "gevent", "uvicorn.workers.UvicornWorker").
    pub worker_class: Explained<&'static str>,
    /// `workers` per node.
    pub workers: Explained<u32>,
    /// `threads` (gthread), `worker_connections` (gevent), concurrency limit (async); 1 for sync.
    pub per_process: Explained<u32>,
    pub timeout_s: Explained<u32>,
    pub graceful_timeout_s: Explained<u32>,
    pub keepalive_s: Explained<u32>,
    pub max_requests: Explained<u32>,
    pub max_requests_jitter: Explained<u32>,
    pub preload_app: Explained<bool>,
    pub worker_tmp_dir: Explained<&'static str>,
}

/// The worker class gunicorn is started with; async runs uvicorn's worker class under
/// gunicorn so the lifecycle settings below apply to it too (004 is an ASGI app). The
/// class comes from the `uvicorn-worker` package: uvicorn's own `uvicorn.workers` warns
/// on import that it is deprecated for that package.
pub fn worker_class(server: Server) -> &'static str {
    match server {
        Server::Sync => "sync",
        Server::Gthread => "gthread",
        Server::Gevent => "gevent",
        Server::Async => "uvicorn_worker.UvicornWorker",
    }
}

/// The longest request of the classes the mix uses, ms: CPU time plus off-CPU wait.
pub fn slowest_request_ms(plan: &Plan) -> f64 {
    (0..plan.class_count)
        .filter(|&i| plan.mix_pct[i] > 0)
        .map(|i| plan.cpu_ms[i] + plan.wait_ms[i])
        .fold(0.0, f64::max)
}

/// Worker timeout, s: 30 (000) while every request finishes within 1 s; 120 (003) up to
/// 10 s; 300 (004's upper bound for "data processing") up to 60 s; beyond that 5 × the
/// slowest request rounded up to a minute. The timeout kills a stuck worker, so it must
/// stay far above a normal request (30× at 1 s, 12× at 10 s, 5× beyond) yet short enough
/// to free a hung one.
pub fn timeout_s(slowest_ms: f64) -> u32 {
    let s = slowest_ms.max(0.0) / 1000.0;
    if s <= 1.0 {
        30
    } else if s <= 10.0 {
        120
    } else if s <= 60.0 {
        300
    } else {
        let five_times = (s * 5.0 / 60.0).ceil() * 60.0;
        five_times.min(86_400.0) as u32
    }
}

/// graceful_timeout = timeout (000 sets both to 30): a worker being restarted may finish
/// the longest request it is allowed to run.
pub fn graceful_timeout_s(timeout_s: u32) -> u32 {
    timeout_s
}

/// keepalive, s: 5 facing clients directly (003 `--keep-alive 5`, 004 KEEPALIVE=5, within
/// gunicorn's 2–5 advice); behind nginx 5 s longer than nginx's upstream idle timeout,
/// 60 + 5 = 65 (004 "KEEPALIVE=65 should be > proxy timeout"), so the proxy, not the
/// app, closes idle connections and never reuses one the app is closing.
pub fn keepalive_s(behind_proxy: bool, proxy_idle_s: u32) -> u32 {
    if behind_proxy {
        proxy_idle_s + 5
    } else {
        5
    }
}

/// How long a worker should live at least between recycles, s: an hour, so restarting
/// workers (each imports the app again) costs a negligible share of their time.
pub const MIN_WORKER_LIFE_S: f64 = 3600.0;

/// max_requests: 1000 (000, 003) recycles a worker so slow leaks stay bounded, but at a
/// process's share of the target rate it must not be reached within an hour: 1000 at 125
/// r/s per process restarts every worker every 8 s. So the requests a process serves in
/// [`MIN_WORKER_LIFE_S`] at its share of the target, rounded up to 1000, at least 1000
/// and at most 10⁹.
pub fn max_requests(per_process_rps: f64) -> u32 {
    let hour = (per_process_rps.max(0.0) * MIN_WORKER_LIFE_S / 1000.0).ceil() * 1000.0;
    if hour.is_finite() {
        hour.within(1000.0, 1e9) as u32
    } else {
        1000
    }
}

/// A process's share of the fleet's target rate, r/s.
pub fn per_process_rps(plan: &Plan, processes: u32) -> f64 {
    plan.target_rps.max(0.0) / plan.replicas.max(1) as f64 / processes.max(1) as f64
}

/// preload_app = False, against 000's True: with preload the app is imported once in the
/// master before the workers fork, and then (gunicorn docs, "preload_app") a reload (HUP,
/// `systemctl reload`) restarts the workers on the old code; whatever the app opened at
/// import (a database connection, a client socket) is shared by every worker, whose
/// replies then cross; and under gevent the app is imported before the worker patches the
/// standard library, so an SSL context built at import recurses forever (gevent's
/// "monkey-patching ssl after ssl has already been imported" warning). The memory of one
/// process already counts the whole app, so the budget does not rely on sharing.
pub fn preload_app() -> bool {
    false
}

/// max_requests_jitter: 10 % of max_requests = 100 (003; 000 uses 50). The wider spread
/// keeps many workers that started together from restarting together.
pub fn max_requests_jitter(max_requests: u32) -> u32 {
    max_requests / 10
}

/// The settings for the plan's node, with the worker count of [`crate::model::workers::recommend`].
pub fn gunicorn(plan: &Plan, w: &Workers) -> Gunicorn {
    let slowest = slowest_request_ms(plan);
    let timeout = timeout_s(slowest);
    let keepalive = keepalive_s(plan.has_proxy(), UPSTREAM_KEEPALIVE_TIMEOUT_S);
    let rate = per_process_rps(plan, w.processes);
    let max_req = max_requests(rate);
    let (per_unit, per_why, per_src) = match plan.server {
        Server::Sync => ("threads", "sync workers serve one request at a time".to_string(), G000_003),
        Server::Gthread => ("threads", "threads per process: 2–4, more for I/O-heavy mixes".to_string(), G003),
        Server::Gevent => ("greenlets", "greenlets per process (worker_connections: 1,000 by default)".to_string(), G000_003),
        Server::Async => (
            "requests",
            format!("concurrent requests a process admits (uvicorn --limit-concurrency {})", w.per_process),
            G004,
        ),
    };
    let keep_why = if plan.has_proxy() {
        format!(concat!("{} s nginx upstream idle timeout + 5 s: the app must keep idle connections longer than the proxy (the ", guide!(004), ": \"KEEPALIVE=65 should be > proxy timeout\")"), UPSTREAM_KEEPALIVE_TIMEOUT_S)
    } else {
        concat!("clients connect directly: 2–5 s frees idle connections quickly (--keep-alive 5 in the ", guide!(003), ", KEEPALIVE=5 in the ", guide!(004), ")").to_string()
    };
    let keep_why = if plan.server == Server::Sync {
        format!("{keep_why}; note that gunicorn's sync worker ignores keep-alive and closes after each response")
    } else {
        keep_why
    };
    Gunicorn {
        worker_class: ex(worker_class(plan.server), "", G000_003, format!("the app server of the plan ({})", plan.server.label())),
        workers: ex(w.processes, "processes", if plan.server == Server::Async { G004 } else { G000_003 }, crate::model::workers::why(plan, w)),
        per_process: ex(w.per_process, per_unit, per_src, per_why),
        timeout_s: ex(timeout, "s", G000_003, format!(concat!("the slowest request class takes {} ms; 30 s up to 1 s (", guide!(000), "), 120 s up to 10 s (", guide!(003), "), 300 s up to 60 s (", guide!(004), "), else 5 × the slowest"), whole(slowest))),
        graceful_timeout_s: ex(graceful_timeout_s(timeout), "s", G000, "equal to timeout: a restarting worker may finish its longest allowed request"),
        keepalive_s: ex(keepalive, "s", G004, keep_why),
        max_requests: ex(max_req, "requests", G000_003, if rate > 0.0 {
            format!(concat!("recycle a worker so slow leaks stay bounded, but at most once an hour at its {} r/s share of the target (1,000 in the ", guide!(000, 003), ")"), whole(rate))
        } else {
            "recycle a worker after 1,000 requests so slow memory leaks stay bounded".to_string()
        }),
        max_requests_jitter: ex(max_requests_jitter(max_req), "requests", G003, concat!("10 % of max_requests (the ", guide!(003), " uses 100, the ", guide!(000), " 50) so workers started together do not restart together")),
        preload_app: ex(preload_app(), "", DOCS, concat!("each worker imports the app itself: a reload (HUP) deploys new code, nothing opened at import is shared by the workers, and gevent patches before the app loads (the ", guide!(000), "'s True breaks all three)")),
        worker_tmp_dir: ex("/dev/shm", "", G000, "the worker heartbeat file on tmpfs never blocks on a slow or overlay disk"),
    }
}
