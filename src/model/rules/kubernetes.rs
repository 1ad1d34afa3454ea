//! Kubernetes: the app pods' resources from their workers, the HPA within what the
//! database and cache accept, the PDB, probes, graceful stop and the users each container
//! runs as (002 "Right-sizing Containers", "Horizontal Pod Autoscaling", "Best
//! Practices"; the "restricted" Pod Security Standard). Redis and PgBouncer get their own
//! pods when the plan has them; nginx runs beside the app in its pod.

pub mod allocatable;
pub mod pod;
pub mod quota;
pub mod scaling;
pub mod sizing;

pub use pod::{APP_PORT, APP_UID};
pub use scaling::{connection_bounds, hpa_max_by_002, hpa_max_replicas, hpa_min_replicas, pdb_min_available, pods_per_node, pods_within, Bound, MAX_PODS_PER_NODE};
pub use sizing::{app_cpu_limit_m, app_cpu_request_m, app_memory_mib, cache_resources, nginx_resources, pgbouncer_resources, sizing, Sizing};

use super::checks::Warning;
use super::explained::{ex, Explained, DERIVED};
use super::{nginx, DbPool, Gunicorn, PgBouncer, Redis};
use crate::model::choice::Platform;
use crate::model::figure::{count, whole};
use crate::model::plan::Plan;
use crate::model::text::{cat, digits};
use crate::model::workers::Workers;
use serde::Serialize;

/// Requests and limits of one container.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resources {
    pub cpu_request_m: Explained<u32>,
    pub cpu_limit_m: Explained<u32>,
    pub memory_request_mib: Explained<u32>,
    pub memory_limit_mib: Explained<u32>,
}

/// One container: its resources and the user and group it runs as.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Container {
    pub resources: Resources,
    /// `runAsUser`, `runAsGroup`.
    pub run_as: Explained<[u32; 2]>,
}

/// One HPA scaling direction (002 `behavior`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScalePolicy {
    pub stabilization_window_s: Explained<u32>,
    pub percent: Explained<u32>,
    pub period_s: Explained<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hpa {
    pub min_replicas: Explained<u32>,
    pub max_replicas: Explained<u32>,
    /// The CPU each pod's app container uses on average (`type: AverageValue`).
    pub cpu_average_m: Explained<u32>,
    pub scale_down: ScalePolicy,
    pub scale_up: ScalePolicy,
}

/// A probe of the app's port.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probe {
    /// "httpGet" or "tcpSocket".
    pub check: Explained<&'static str>,
    /// The HTTP path of an httpGet check; None for tcpSocket.
    pub path: Option<Explained<&'static str>>,
    pub port: Explained<u32>,
    pub initial_delay_s: Explained<u32>,
    pub period_s: Explained<u32>,
    pub timeout_s: Explained<u32>,
    pub failure_threshold: Explained<u32>,
}

/// How the app pod stops: a pause while its endpoint goes, then gunicorn's graceful stop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shutdown {
    pub pre_stop_sleep_s: Explained<u32>,
    pub termination_grace_s: Explained<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kubernetes {
    pub app: Container,
    /// The nginx sidecar, when the plan has a proxy.
    pub nginx: Option<Container>,
    /// The Redis pod, when the plan has a cache.
    pub redis: Option<Container>,
    /// The PgBouncer pod, when the plan has PgBouncer.
    pub pgbouncer: Option<Container>,
    pub hpa: Hpa,
    /// The connection limits the HPA's maximum keeps within (its why names them).
    #[serde(skip)]
    pub bounds: Vec<Bound>,
    /// None below two pods (the HPA keeps at least two).
    pub pdb_min_available: Option<Explained<u32>>,
    pub readiness: Probe,
    pub liveness: Probe,
    pub shutdown: Shutdown,
    /// What a node like the plan's leaves to pods ([`allocatable`]): CPU in millicores,
    /// memory in MiB.
    pub allocatable_cpu_m: Explained<u32>,
    pub allocatable_mem_mib: Explained<u32>,
    pub pods_per_node_by_requests: Explained<u32>,
    pub pods_per_node_by_limits: Explained<u32>,
}

/// What the Kubernetes objects are made from: the plan's other rules.
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    pub workers: &'a Workers,
    pub gunicorn: &'a Gunicorn,
    pub pool: Option<&'a DbPool>,
    pub pgbouncer: Option<&'a PgBouncer>,
    pub redis: Option<&'a Redis>,
}

/// A CPU quantity in millicores as the settings list writes it: "3,200 m".
fn millicores(m: u32) -> String {
    cat(&[&whole(f64::from(m)), " m"])
}

/// The sum of the requests (or limits) of a pod's containers: (CPU m, memory MiB).
fn pod_total(containers: &[&Resources], limits: bool) -> (u32, u32) {
    containers.iter().fold((0u32, 0u32), |(c, m), r| {
        let (rc, rm) = if limits { (&r.cpu_limit_m, &r.memory_limit_mib) } else { (&r.cpu_request_m, &r.memory_request_mib) };
        (c.saturating_add(rc.value), m.saturating_add(rm.value))
    })
}

/// With a target rate: the pods the fleet needs at its peak (`peak` × the target), spare
/// pods included; None without a target or when no count carries it (the HPA then
/// follows 002's rule).
fn needs(plan: &Plan) -> Option<scaling::Need> {
    if !(plan.target_rps > 0.0) {
        return None;
    }
    let peak = crate::model::outcome::replicas_to_fit(plan, &crate::model::evaluate(plan))?;
    Some(scaling::Need { peak, spare: plan.spare })
}

/// With the pod's CPU limit set and a target: each pod's rate at the peak over the pods
/// that carry it (spares excluded) and its CPU per request in the app's container, which
/// the CPU request follows ([`quota::app_resources`]).
fn pod_use(plan: &Plan, need: scaling::Need) -> Option<quota::Use> {
    crate::model::pod::cpu_quota(plan)?;
    let pods = need.peak.saturating_sub(need.spare).max(1);
    Some(quota::Use { pod_rps: crate::model::outcome::peak_rps(plan) / f64::from(pods), cpu_ms: crate::model::capacity::cpu_demand_ms(plan) })
}

/// Kubernetes objects for the plan; None on plain hosts (systemd units are their counterpart).
pub fn kubernetes(plan: &Plan, parts: Parts) -> Option<Kubernetes> {
    if plan.platform != Platform::K8s {
        return None;
    }
    let w = parts.workers;
    let need = needs(plan);
    let app = Container {
        resources: quota::app_resources(plan, w.processes, need.and_then(|n| pod_use(plan, n))),
        run_as: pod::run_as([APP_UID; 2], "a numeric non-root user outside the images' system (< 1000) and regular (1000–9999) ranges"),
    };
    let nginx = plan.has_proxy().then(|| Container {
        resources: nginx_resources(crate::model::pod::app_cores(plan), nginx::concurrent_requests_per_node(plan, w)),
        run_as: pod::run_as(pod::NGINX_UID_GID, "nginxinc/nginx-unprivileged's nginx user (101:101)"),
    });
    let redis = parts.redis.map(|_| Container {
        resources: cache_resources(plan.cache_mem_mib),
        run_as: pod::run_as(pod::REDIS_UID_GID, "the redis user of redis:7.2-alpine (uid 999, group 1000)"),
    });
    let pgbouncer = parts.pgbouncer.map(|b| Container {
        resources: pgbouncer_resources(b.max_client_conn.value),
        run_as: pod::run_as(pod::PGBOUNCER_UID_GID, "the postgres user (70:70) of Alpine-based PostgreSQL and PgBouncer images; PgBouncer refuses to run as root, and any other non-root uid works (it only reads its mounted files and writes its socket to /tmp)"),
    });
    let bounds = connection_bounds(w.processes, parts.pool, parts.pgbouncer, parts.redis);
    let mut hpa = scaling::hpa(plan.replicas, app.resources.cpu_request_m.value, nginx.is_some(), &bounds, need);
    if crate::model::pod::cpu_quota(plan).is_some() {
        // The request is the pod's: its use at the peak, or 70 % of its CPU limit.
        hpa.cpu_average_m.why = "keeps each pod's app container at its CPU request on average (AverageValue): the pods then follow the load as the request assumed; CPU only, as memory does not fall when the load does".into();
    }
    let in_pod: Vec<&Resources> = std::iter::once(&app.resources).chain(nginx.as_ref().map(|n| &n.resources)).collect();
    let (req_cpu, req_mem) = pod_total(&in_pod, false);
    let (lim_cpu, lim_mem) = pod_total(&in_pod, true);
    let node = allocatable::of_plan(plan);
    let (alloc_cpu, alloc_mem) = node.whole();
    // maxPods counts the DaemonSets' pods too.
    let app_pods = plan.max_pods.saturating_sub(allocatable::DAEMONSET_PODS);
    let by_req = pods_per_node(alloc_cpu, alloc_mem, req_cpu, req_mem).min(app_pods);
    let by_lim = pods_per_node(alloc_cpu, alloc_mem, lim_cpu, lim_mem).min(app_pods);
    Some(Kubernetes {
        pdb_min_available: match need {
            Some(n) => scaling::pdb_from_spares(hpa.min_replicas.value, n.spare),
            None => scaling::pdb(hpa.min_replicas.value),
        },
        readiness: pod::readiness(),
        liveness: pod::liveness(),
        shutdown: pod::shutdown(parts.gunicorn.graceful_timeout_s.value),
        allocatable_cpu_m: ex(alloc_cpu as u32, "m", DERIVED, cat(&[
            &count(plan.cores, "core", "cores"),
            ": its ",
            &whole(f64::from(plan.cores) * 1000.0),
            " m less ",
            &whole(node.reserved_cpu_m),
            " m the kubelet and system reserve (GKE's and EKS's tiers) and ",
            &whole(f64::from(plan.daemonset_cpu_m)),
            " m of DaemonSets (kube-proxy, a CNI and a log agent)",
        ])),
        allocatable_mem_mib: ex(alloc_mem as u32, "MiB", DERIVED, cat(&[
            &whole(plan.ram_mib()),
            " MiB less ",
            &whole(node.reserved_mem_mib),
            " MiB reserved (the larger of GKE's tiers and EKS's 11 MiB × ",
            &digits(plan.max_pods),
            " pods + 255 MiB), ",
            &whole(allocatable::EVICTION_MIB),
            " MiB kept free before eviction and ",
            &whole(f64::from(plan.daemonset_mem_mib)),
            " MiB of DaemonSets",
        ])),
        pods_per_node_by_requests: ex(by_req, "pods", DERIVED, cat(&["a node like the plan's (", &whole(alloc_cpu as f64), " m, ", &whole(alloc_mem as f64), " MiB allocatable) / the pod's requests (", &millicores(req_cpu), ", ", &whole(f64::from(req_mem)), " MiB), at most maxPods ", &digits(plan.max_pods), " less ", &digits(allocatable::DAEMONSET_PODS), " DaemonSet pods"])),
        pods_per_node_by_limits: ex(by_lim, "pods", DERIVED, if by_lim == 0 {
            cat(&["none by the pod's limits (", &millicores(lim_cpu), ", ", &whole(f64::from(lim_mem)), " MiB): they may use more than such a node, as limits may (the scheduler reserves the requests)"])
        } else {
            cat(&["the same by the pod's limits (", &millicores(lim_cpu), ", ", &whole(f64::from(lim_mem)), " MiB): no overcommit"])
        }),
        app,
        nginx,
        redis,
        pgbouncer,
        hpa,
        bounds,
    })
}

/// The warnings of the Kubernetes objects: an HPA minimum the connection limits do not
/// hold, when the plan's own replicas fit them (else the pool, PgBouncer and Redis checks
/// say it). An app pod larger than a node's allocatable resources is refused with the
/// objects ([`quota::over_allocatable`], in [`super::recommend`]: off the page's first load). The app's resources follow its workers and cores, so the former
/// `k8s-limit-below-workers` and `k8s-cpu-limit-below-cores` can no longer arise, and the
/// HPA's minimum of 2 always gets a PodDisruptionBudget (`pdb-needs-two-replicas`).
pub fn checks(plan: &Plan, w: &Workers, pool: Option<&DbPool>, pgbouncer: Option<&PgBouncer>, redis: Option<&Redis>) -> Vec<Warning> {
    let bounds = connection_bounds(w.processes, pool, pgbouncer, redis);
    scaling::min_replicas_over_bounds(hpa_min_replicas(plan.replicas), plan.replicas, &bounds)
}
