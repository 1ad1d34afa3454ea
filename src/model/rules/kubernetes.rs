//! Kubernetes: requests/limits per workload type, replicas, HPA, PDB, probes and pod
//! density (002 "Right-sizing Containers", "Horizontal Pod Autoscaling", "Best Practices").

use super::checks::{Warning, WarningKind};
use super::explained::{ex, Explained, DERIVED, DOCS, G002, G004};
use crate::model::choice::{Platform, Workload};
use crate::model::memory;
use crate::model::plan::Plan;
use crate::model::workers::Workers;
use serde::Serialize;

/// The rows of 002's sizing table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Sizing {
    WebApi,
    HeavyCompute,
    BackgroundJob,
    Database,
    Cache,
}

/// Requests and limits of one container.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resources {
    pub sizing: Sizing,
    pub cpu_request_m: Explained<u32>,
    pub cpu_limit_m: Explained<u32>,
    pub memory_request_mib: Explained<u32>,
    pub memory_limit_mib: Explained<u32>,
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
    pub cpu_utilization_pct: Explained<u32>,
    pub memory_utilization_pct: Explained<u32>,
    pub scale_down: ScalePolicy,
    pub scale_up: ScalePolicy,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probe {
    pub path: Explained<&'static str>,
    pub port: Explained<u32>,
    pub initial_delay_s: Explained<u32>,
    pub period_s: Explained<u32>,
    pub timeout_s: Explained<u32>,
    pub failure_threshold: Explained<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kubernetes {
    pub app: Resources,
    pub database: Option<Resources>,
    pub cache: Option<Resources>,
    pub replicas: Explained<u32>,
    pub hpa: Hpa,
    /// None with one replica (see the `pdb-needs-two-replicas` warning).
    pub pdb_min_available: Option<Explained<u32>>,
    pub readiness: Probe,
    pub liveness: Probe,
    pub pods_per_node_by_requests: Explained<u32>,
    pub pods_per_node_by_limits: Explained<u32>,
}

/// The app's port (004 SERVER_PORT 8000; 002's examples use 8080).
pub const APP_PORT: u32 = 8000;
/// kubelet's default `maxPods`.
pub const MAX_PODS_PER_NODE: u32 = 110;

/// 002's sizing table: (CPU request m, CPU limit m, memory request MiB, memory limit MiB).
pub fn sizing(s: Sizing) -> (u32, u32, u32, u32) {
    match s {
        Sizing::WebApi => (100, 500, 128, 512),
        Sizing::HeavyCompute => (500, 2000, 512, 2048),
        Sizing::BackgroundJob => (50, 200, 64, 256),
        Sizing::Database => (500, 4000, 1024, 4096),
        Sizing::Cache => (100, 1000, 256, 2048),
    }
}

/// The table row of the plan's workload type.
pub fn app_sizing(workload: Workload) -> Sizing {
    match workload {
        Workload::Web => Sizing::WebApi,
        Workload::Compute => Sizing::HeavyCompute,
        Workload::Job => Sizing::BackgroundJob,
    }
}

fn resources(s: Sizing, label: &str) -> Resources {
    let (cr, cl, mr, ml) = sizing(s);
    Resources {
        sizing: s,
        cpu_request_m: ex(cr, "m", G002, format!("{label}: what the scheduler reserves")),
        cpu_limit_m: ex(cl, "m", G002, format!("{label}: throttled above this")),
        memory_request_mib: ex(mr, "MiB", G002, format!("{label}: what the scheduler reserves")),
        memory_limit_mib: ex(ml, "MiB", G002, format!("{label}: OOM-killed above this")),
    }
}

/// The Redis pod: 002's Cache row, its memory raised to the plan's cache budget, since
/// Redis's memory is not reclaimable and the budget must be both reserved and allowed.
pub fn cache_resources(budget_mib: u32) -> Resources {
    let mut r = resources(Sizing::Cache, "Cache (Redis)");
    if budget_mib > r.memory_request_mib.value {
        r.memory_request_mib = ex(budget_mib, "MiB", DERIVED, "the cache budget: Redis keeps what it holds");
    }
    if budget_mib > r.memory_limit_mib.value {
        r.memory_limit_mib = ex(budget_mib, "MiB", DERIVED, "the cache budget (002's 2Gi is below it)");
    }
    r
}

/// HPA replicas: at least 002's 2 for availability, at least the plan's replicas; at most
/// 002's 20, or twice the minimum for larger fleets.
pub fn hpa_replicas(replicas: u32) -> (u32, u32) {
    let min = replicas.max(2);
    (min, min.saturating_mul(2).max(20))
}

/// PDB minAvailable: 002's 2 from 3 replicas; 1 with 2 replicas (2 of 2 would block every
/// node drain); none with 1 replica (it would block drains or protect nothing).
pub fn pdb_min_available(replicas: u32) -> Option<u32> {
    match replicas {
        0 | 1 => None,
        2 => Some(1),
        _ => Some(2),
    }
}

/// Pods that fit a node whose allocatable CPU and memory are given.
pub fn pods_per_node(alloc_cpu_m: u64, alloc_mem_mib: u64, cpu_m: u32, mem_mib: u32) -> u32 {
    let by_cpu = alloc_cpu_m / cpu_m.max(1) as u64;
    let by_mem = alloc_mem_mib / mem_mib.max(1) as u64;
    by_cpu.min(by_mem).min(MAX_PODS_PER_NODE as u64) as u32
}

fn policy(window: u32, pct: u32, period: u32, dir: &str) -> ScalePolicy {
    ScalePolicy {
        stabilization_window_s: ex(window, "s", G002, format!("scale {dir}: look back {window} s before acting")),
        percent: ex(pct, "%", G002, format!("scale {dir} by at most {pct} % of the pods")),
        period_s: ex(period, "s", G002, format!("per {period} s")),
    }
}

fn probe(path: &'static str, delay: u32, period: u32, timeout: u32, why: &str) -> Probe {
    Probe {
        path: ex(path, "", G002, why.to_string()),
        port: ex(APP_PORT, "", G004, "the app's port (004 SERVER_PORT 8000)"),
        initial_delay_s: ex(delay, "s", G002, "002"),
        period_s: ex(period, "s", G002, "002"),
        timeout_s: ex(timeout, "s", DOCS, if timeout > 1 { "a probe queued behind busy workers must not restart a pod that is only loaded" } else { "Kubernetes's default" }),
        failure_threshold: ex(3, "probes", DOCS, "Kubernetes's default"),
    }
}

/// Kubernetes objects for the plan; None on plain hosts (systemd units are their counterpart).
pub fn kubernetes(plan: &Plan) -> Option<Kubernetes> {
    if plan.platform != Platform::K8s {
        return None;
    }
    let app = resources(app_sizing(plan.workload), plan.workload.label());
    let (min, max) = hpa_replicas(plan.replicas);
    let alloc_cpu = plan.cores as u64 * 1000;
    let alloc_mem = (plan.ram_mib() - memory::os_reserve_mib(plan.ram_mib())).max(0.0) as u64;
    let by_req = pods_per_node(alloc_cpu, alloc_mem, app.cpu_request_m.value, app.memory_request_mib.value);
    let by_lim = pods_per_node(alloc_cpu, alloc_mem, app.cpu_limit_m.value, app.memory_limit_mib.value);
    Some(Kubernetes {
        database: plan.has_db().then(|| resources(Sizing::Database, "Database")),
        cache: plan.has_cache().then(|| cache_resources(plan.cache_mem_mib)),
        replicas: ex(plan.replicas, "pods", DERIVED, "the plan's replicas"),
        hpa: Hpa {
            min_replicas: ex(min, "pods", G002, "002's 2 for availability, or the plan's replicas if more"),
            max_replicas: ex(max, "pods", G002, "002's 20, or twice the minimum"),
            cpu_utilization_pct: ex(70, "%", G002, "of the CPU request (not the limit): matches 003's 70 % CPU target"),
            memory_utilization_pct: ex(80, "%", G002, "of the memory request: 003's 80 % memory target"),
            scale_down: policy(300, 50, 60, "down"),
            scale_up: policy(0, 100, 30, "up"),
        },
        pdb_min_available: pdb_min_available(plan.replicas).map(|v| {
            ex(v, "pods", G002, if v == 2 { "002: keep 2 pods through voluntary disruptions" } else { "1 of 2: 002's 2 of 2 would block every node drain; run 3 replicas for 2" })
        }),
        readiness: probe("/health/ready", 10, 5, 1, "can the pod take traffic?"),
        liveness: probe("/health/live", 30, 10, 5, "is the pod alive? (restarted after 3 failures)"),
        pods_per_node_by_requests: ex(by_req, "pods", DERIVED, format!("{} cores and {alloc_mem} MiB allocatable / requests, at most {MAX_PODS_PER_NODE}", plan.cores)),
        pods_per_node_by_limits: ex(by_lim, "pods", DERIVED, "the same by limits: no overcommit"),
        app,
    })
}

/// The app pod's memory limit must hold its processes (else the OOM killer ends it), and
/// its CPU limit the cores its worker count was sized for.
pub fn limit_checks(plan: &Plan, w: &Workers, k: &Kubernetes) -> Vec<Warning> {
    let mut out = vec![];
    let need_mib = w.processes as u64 * plan.worker_mem_mib as u64;
    let limit_mib = k.app.memory_limit_mib.value as u64;
    if need_mib > limit_mib {
        out.push(Warning::new(
            WarningKind::K8sLimitBelowWorkers,
            format!(
                "{} processes × {} MiB = {need_mib} MiB exceed the pod's {limit_mib} MiB memory limit ({}): raise the limit to {} MiB, or run at most {} processes per pod and more replicas.",
                w.processes, plan.worker_mem_mib, plan.workload.label(), need_mib * 5 / 4, (limit_mib / plan.worker_mem_mib.max(1) as u64).max(1)
            ),
        ));
    }
    let cores_m = plan.cores as u64 * 1000;
    let cpu_limit = k.app.cpu_limit_m.value as u64;
    if cores_m > cpu_limit {
        out.push(Warning::new(
            WarningKind::K8sCpuLimitBelowCores,
            format!(
                "The workers were sized for {} cores but the pod may use {cpu_limit}m: set cores to {} (the pod's share), or raise the CPU limit to {cores_m}m.",
                plan.cores, cpu_limit.div_ceil(1000).max(1)
            ),
        ));
    }
    if pdb_min_available(plan.replicas).is_none() {
        out.push(Warning::new(
            WarningKind::PdbNeedsTwoReplicas,
            "No PodDisruptionBudget with 1 replica: it would block node drains or protect nothing. Run at least 2 replicas (minAvailable 1), or 3 for 002's minAvailable 2.",
        ));
    }
    out
}
