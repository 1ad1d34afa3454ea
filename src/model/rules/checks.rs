//! Consistency checks: each one a small function returning a [`Warning`] with a stable
//! code (for tests, the UI and share links) and a sentence saying what to change.

use crate::model::figure::{count, noun, whole};
use crate::model::sources::guide;
use serde::Serialize;

/// What a warning is about. `code()` is a public contract: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum WarningKind {
    PoolExceedsMaxConnections,
    PgbouncerRequired,
    MemoryOver80,
    KeepaliveNotLongerThanProxy,
    ProxyTimeoutShorterThanApp,
    RlimitBelowConnections,
    WorkersCappedByMemory,
    /// No longer raised: the pod's memory follows its workers (kept: codes are a contract).
    K8sLimitBelowWorkers,
    /// No longer raised: the pod's CPU limit is its cores (kept: codes are a contract).
    K8sCpuLimitBelowCores,
    /// No longer raised: the HPA keeps at least 2 pods (kept: codes are a contract).
    PdbNeedsTwoReplicas,
    RedisClientsOverMaxclients,
    CpuOver70,
    ServerNameNotSet,
    SlowClientsHoldWorkers,
    NoRateLimits,
    MemoryOverNode,
    K8sMinReplicasOverConnections,
    AsgiAppOnWsgiServer,
    WsgiAppOnAsgiServer,
    PgbouncerPoolOverMaxConnections,
    LongBurstOnEventLoop,
    GilConvoy,
    PodOverAllocatable,
}

/// How much a warning matters. `Error`: the configuration fails as written (memory over
/// the node, connections the server refuses, descriptors the limit refuses), and the
/// verdict says the plan is broken; `Caution`: it works but is risky; `Info`: an
/// adjustment the planner made, or a placeholder the person must fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Severity {
    Info,
    Caution,
    Error,
}

impl Severity {
    /// The stable spelling (JSON, CSS): "info", "caution", "error".
    pub fn key(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Caution => "caution",
            Severity::Error => "error",
        }
    }
}

impl WarningKind {
    /// The stable code of the warning.
    pub fn code(self) -> &'static str {
        use WarningKind as W;
        match self {
            W::PoolExceedsMaxConnections => "pool-exceeds-max-connections",
            W::PgbouncerRequired => "pgbouncer-required",
            W::MemoryOver80 => "memory-over-80",
            W::KeepaliveNotLongerThanProxy => "keepalive-not-longer-than-proxy",
            W::ProxyTimeoutShorterThanApp => "proxy-timeout-shorter-than-app",
            W::RlimitBelowConnections => "rlimit-below-connections",
            W::WorkersCappedByMemory => "workers-capped-by-memory",
            W::K8sLimitBelowWorkers => "k8s-limit-below-workers",
            W::K8sCpuLimitBelowCores => "k8s-cpu-limit-below-cores",
            W::PdbNeedsTwoReplicas => "pdb-needs-two-replicas",
            W::RedisClientsOverMaxclients => "redis-clients-over-maxclients",
            W::CpuOver70 => "cpu-over-70",
            W::ServerNameNotSet => "server-name-not-set",
            W::SlowClientsHoldWorkers => "slow-clients-hold-workers",
            W::NoRateLimits => "no-rate-limits",
            W::MemoryOverNode => "memory-over-node",
            W::K8sMinReplicasOverConnections => "k8s-min-replicas-over-connections",
            W::AsgiAppOnWsgiServer => "asgi-app-on-wsgi-server",
            W::WsgiAppOnAsgiServer => "wsgi-app-on-asgi-server",
            W::PgbouncerPoolOverMaxConnections => "pgbouncer-pool-over-max-connections",
            W::LongBurstOnEventLoop => "long-burst-on-event-loop",
            W::GilConvoy => "gil-convoy",
            W::PodOverAllocatable => "pod-over-allocatable",
        }
    }

    pub fn severity(self) -> Severity {
        use WarningKind as W;
        match self {
            W::WorkersCappedByMemory | W::PdbNeedsTwoReplicas | W::ServerNameNotSet | W::NoRateLimits => Severity::Info,
            W::PoolExceedsMaxConnections
            | W::PgbouncerRequired
            | W::RlimitBelowConnections
            | W::RedisClientsOverMaxclients
            | W::K8sLimitBelowWorkers
            | W::K8sMinReplicasOverConnections
            | W::MemoryOverNode
            | W::AsgiAppOnWsgiServer
            | W::WsgiAppOnAsgiServer
            | W::PgbouncerPoolOverMaxConnections
            | W::PodOverAllocatable => Severity::Error,
            W::MemoryOver80
            | W::KeepaliveNotLongerThanProxy
            | W::ProxyTimeoutShorterThanApp
            | W::K8sCpuLimitBelowCores
            | W::CpuOver70
            | W::SlowClientsHoldWorkers
            | W::LongBurstOnEventLoop
            | W::GilConvoy => Severity::Caution,
        }
    }
}

/// One finding: its kind (with the stable code) and what to change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub kind: WarningKind,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
}

impl Warning {
    pub fn new(kind: WarningKind, message: impl Into<String>) -> Warning {
        Warning { kind, code: kind.code(), severity: kind.severity(), message: message.into() }
    }
}

/// The CPU utilisation target at the target rate (003 "CPU Usage: Target < 70 % average").
pub const CPU_TARGET: f64 = 0.70;

/// The hook for the capacity model: given the CPU utilisation (0–1) it computes at the
/// plan's target rate, warns above 70 % (003). Not called by [`super::recommend`],
/// which computes no throughput.
pub fn cpu_over_target(utilisation: f64, target_rps: f64) -> Option<Warning> {
    (utilisation.is_finite() && utilisation > CPU_TARGET).then(|| {
        Warning::new(
            WarningKind::CpuOver70,
            format!(
                concat!("CPU is {} % busy at {} r/s, above the 70 % target (", guide!(003), "): add cores or replicas, or lower the target rate."),
                whole(utilisation * 100.0),
                whole(target_rps)
            ),
        )
    })
}

/// Behind a proxy, the app must keep idle upstream connections open longer than the
/// proxy does, or the proxy reuses a connection the app is closing and answers 502
/// (004 "KEEPALIVE=65 should be > proxy timeout").
pub fn keepalive_not_longer_than_proxy(app_keepalive_s: u32, proxy_idle_s: u32) -> Option<Warning> {
    (app_keepalive_s <= proxy_idle_s).then(|| {
        Warning::new(
            WarningKind::KeepaliveNotLongerThanProxy,
            format!(
                "The app's keep-alive ({app_keepalive_s} s) is not longer than nginx's upstream keepalive_timeout ({proxy_idle_s} s): raise the app's keepalive to {} s.",
                proxy_idle_s + 5
            ),
        )
    })
}

/// The proxy must wait longer than the app's own timeout, so the app's deadline (which
/// logs, stops the work and recycles the worker) acts first: with equal timeouts nginx
/// answers 504 while the app goes on, and a client retries a request that completed.
pub fn proxy_timeout_shorter_than_app(proxy_read_s: u32, app_timeout_s: u32) -> Option<Warning> {
    (proxy_read_s <= app_timeout_s).then(|| {
        Warning::new(
            WarningKind::ProxyTimeoutShorterThanApp,
            format!(
                "nginx proxy_read_timeout ({proxy_read_s} s) is not longer than the app timeout ({app_timeout_s} s): raise proxy_read_timeout to {} s.",
                app_timeout_s + 5
            ),
        )
    })
}

/// nginx's placeholder server name answers no request until the plan names its hosts.
pub fn server_name_not_set(has_proxy: bool, server_name: &str) -> Option<Warning> {
    (has_proxy && server_name.is_empty()).then(|| {
        Warning::new(
            WarningKind::ServerNameNotSet,
            "nginx answers no request until you set the host names it serves (server_name): its placeholder set-server-name.invalid fails closed, and any other Host header is closed without an answer.",
        )
    })
}

/// gunicorn's sync and gthread workers read a request themselves, so clients that send
/// it slowly hold them: "If you choose another proxy server you need to make sure that it
/// buffers slow clients when you use default Gunicorn workers. Without this buffering
/// Gunicorn will be easily susceptible to denial-of-service attacks" (gunicorn docs,
/// "Deploying Gunicorn"). gevent and async workers wait for such clients without a thread.
pub fn slow_clients_hold_workers(server: crate::model::Server, has_proxy: bool, slots: u32, node: &str) -> Option<Warning> {
    use crate::model::Server;
    let what = match server {
        Server::Sync => "sync worker",
        Server::Gthread => "gthread thread",
        Server::Gevent | Server::Async => return None,
    };
    (!has_proxy).then(|| {
        Warning::new(
            WarningKind::SlowClientsHoldWorkers,
            format!(
                "Without a buffering proxy, {} sending headers slowly {} every {what} of a {node} and it answers no one (gunicorn's docs: its default workers need a proxy that buffers slow clients): put nginx in front (proxy=nginx), or use gevent or async workers.",
                count(slots, "client", "clients"),
                noun(slots, "holds", "hold")
            ),
        )
    })
}

/// nginx in a pod without the load balancers' range sets no per-client rate limit.
pub fn no_rate_limits(has_proxy: bool, limits: bool) -> Option<Warning> {
    (has_proxy && !limits).then(|| {
        Warning::new(
            WarningKind::NoRateLimits,
            "nginx sets no per-client rate limits: in a pod every request arrives from the ingress or a node, so one address would carry them all. Set the load balancers' range (lb_cidr) to limit each client.",
        )
    })
}

/// The open-file limit must cover every connection a process holds (one descriptor each).
/// `replica`: what an app replica is called, singular and plural ([`replica_noun`]).
///
/// [`replica_noun`]: crate::model::figure::replica_noun
pub fn rlimit_below_connections(what: &str, limit: u64, connections: u64, replica: (&str, &str)) -> Option<Warning> {
    (limit < connections).then(|| {
        Warning::new(
            WarningKind::RlimitBelowConnections,
            format!(
                "{what}: the open-file limit ({}) is below the {} connections it must hold: run fewer concurrent requests per {} or more {}.",
                whole(limit as f64),
                whole(connections as f64),
                replica.0,
                replica.1
            ),
        )
    })
}

/// The node's processes need more memory than it has: the OOM killer ends them. `node`:
/// what an app replica is called ("node", or "pod" on Kubernetes).
pub fn memory_over_node(used_mib: f64, ram_mib: f64, node: &str) -> Option<Warning> {
    (used_mib > ram_mib).then(|| {
        Warning::new(
            WarningKind::MemoryOverNode,
            format!(
                "The {node} needs {} MiB but has {} MiB: the kernel's OOM killer ends processes. Run fewer processes, lower memory per process, or add RAM.",
                whole(used_mib),
                whole(ram_mib)
            ),
        )
    })
}

/// The node's memory use must stay under 80 % of its RAM (003 "Memory Usage: < 80 %").
pub fn memory_over_80(used_mib: f64, ram_mib: f64, node: &str) -> Option<Warning> {
    (used_mib > 0.8 * ram_mib).then(|| {
        Warning::new(
            WarningKind::MemoryOver80,
            format!(
                concat!("The {} uses {} MiB of {} MiB ({} %), above the 80 % target (", guide!(003), "): run fewer processes, lower memory per process, or add RAM."),
                node,
                whole(used_mib),
                whole(ram_mib),
                whole(100.0 * used_mib / ram_mib.max(1.0))
            ),
        )
    })
}

/// The memory budget, not the CPU rule, set the process count (000 `max_worker_memory`).
pub fn workers_capped_by_memory(by_cpu: u32, processes: u32, worker_mem_mib: u32) -> Option<Warning> {
    (processes < by_cpu).then(|| {
        Warning::new(
            WarningKind::WorkersCappedByMemory,
            format!(
                "The CPU rule gives {}, but only {} of {} MiB {} under the 80 % memory target: add RAM or lower memory per process to use every core.",
                count(by_cpu, "process", "processes"),
                whole(f64::from(processes)),
                whole(f64::from(worker_mem_mib)),
                if processes == 1 { "fits" } else { "fit" }
            ),
        )
    })
}

/// Redis refuses clients beyond `maxclients` (10000 by default).
pub fn redis_clients_over_maxclients(clients: u64, maxclients: u32) -> Option<Warning> {
    (clients > maxclients as u64).then(|| {
        Warning::new(
            WarningKind::RedisClientsOverMaxclients,
            format!(
                "The fleet may open {} Redis connections, above maxclients {}: lower the client pool per process or raise maxclients (and the Redis host's nofile).",
                whole(clients as f64),
                whole(f64::from(maxclients))
            ),
        )
    })
}
