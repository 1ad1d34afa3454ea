//! Alert rules as data (name, PromQL with its threshold, `for`, severity, summary), for an
//! exporter to print as Prometheus rules. 004 "Performance Targets", 002 `alerts`.

use crate::model::figure::{count, whole};
use crate::model::text::{cat, digits};
use super::explained::{DOCS, G002, G002_004, G004};
use super::pool::DbPool;
use crate::model::choice::Platform;
use crate::model::plan::Plan;
use serde::Serialize;

/// One Prometheus alerting rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub name: &'static str,
    /// PromQL, threshold included.
    pub expr: String,
    pub threshold: f64,
    /// Unit of the threshold ("s", "ratio", "%", "restarts", "connections").
    pub unit: &'static str,
    /// How long the condition must hold, s (0: fire at once).
    pub for_s: u32,
    /// "warning" or "critical".
    pub severity: &'static str,
    pub summary: String,
    pub source: &'static str,
}

/// p95 latency above the plan's objective for 5 min (004: "Response time p95 > 200ms",
/// 200 ms being the default objective).
pub fn high_latency(job: &str, p95_objective_ms: f64) -> Alert {
    let t = p95_objective_ms / 1000.0;
    Alert {
        name: "HighLatencyP95",
        expr: cat(&["histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job=\"", job, "\"}[5m]))) > ", &crate::model::decimal::shortest(t)]),
        threshold: t,
        unit: "s",
        for_s: 300,
        severity: "warning",
        summary: cat(&["p95 latency above the ", &whole(p95_objective_ms), " ms objective"]),
        source: G004,
    }
}

/// Share of 5xx responses above 1 % for 5 min (004 "Error rate > 1%").
pub fn high_error_rate(job: &str) -> Alert {
    Alert {
        name: "HighErrorRate",
        expr: cat(&["sum(rate(http_requests_total{job=\"", job, "\",status=~\"5..\"}[5m])) / sum(rate(http_requests_total{job=\"", job, "\"}[5m])) > 0.01"]),
        threshold: 0.01,
        unit: "ratio",
        for_s: 300,
        severity: "critical",
        summary: "more than 1 % of responses are server errors".to_string(),
        source: G004,
    }
}

/// CPU above 80 % for 5 min (002 HighCpuUsage 80 % 5m; 004 agrees): of the node on hosts,
/// of the pod's CPU limit on Kubernetes.
pub fn high_cpu(platform: Platform, job: &str) -> Alert {
    let expr = match platform {
        Platform::Hosts => "100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))) > 80".to_string(),
        Platform::K8s => cat(&["100 * sum by (pod) (rate(container_cpu_usage_seconds_total{container=\"", job, "\"}[5m])) / sum by (pod) (kube_pod_container_resource_limits{container=\"", job, "\",resource=\"cpu\"}) > 80"]),
    };
    Alert { name: "HighCpuUsage", expr, threshold: 80.0, unit: "%", for_s: 300, severity: "warning", summary: "CPU above 80 % for 5 minutes".to_string(), source: G002_004 }
}

fn memory_expr(platform: Platform, job: &str, pct: u32) -> String {
    match platform {
        Platform::Hosts => cat(&["100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) > ", &digits(pct)]),
        Platform::K8s => cat(&["100 * sum by (pod) (container_memory_working_set_bytes{container=\"", job, "\"}) / sum by (pod) (kube_pod_container_resource_limits{container=\"", job, "\",resource=\"memory\"}) > ", &digits(pct)]),
    }
}

/// Memory above 85 % for 5 min, a warning (002 HighMemoryUsage); above 90 % critical (004).
/// Both guides kept: 002's threshold warns before 004's.
pub fn high_memory(platform: Platform, job: &str) -> [Alert; 2] {
    [
        Alert { name: "HighMemoryUsage", expr: memory_expr(platform, job, 85), threshold: 85.0, unit: "%", for_s: 300, severity: "warning", summary: "memory above 85 % for 5 minutes".to_string(), source: G002 },
        Alert { name: "MemoryCritical", expr: memory_expr(platform, job, 90), threshold: 90.0, unit: "%", for_s: 300, severity: "critical", summary: "memory above 90 %: the OOM killer is near".to_string(), source: G004 },
    ]
}

/// More than 3 container restarts within an hour (002 PodRestarts 3 / 1h); Kubernetes only.
pub fn pod_restarts(job: &str) -> Alert {
    Alert {
        name: "PodRestarts",
        expr: cat(&["increase(kube_pod_container_status_restarts_total{container=\"", job, "\"}[1h]) > 3"]),
        threshold: 3.0,
        unit: "restarts",
        for_s: 0,
        severity: "warning",
        summary: "a pod restarted more than 3 times in an hour".to_string(),
        source: G002,
    }
}

/// A process has checked out its whole pool (pool + overflow) for a minute (004 "Database
/// pool exhaustion"; `database_connections_active` from 002's metric list, per process).
pub fn pool_exhaustion(job: &str, per_process: u32) -> Alert {
    Alert {
        name: "DatabasePoolExhausted",
        expr: cat(&["max(database_connections_active{job=\"", job, "\"}) >= ", &digits(per_process)]),
        threshold: per_process as f64,
        unit: "connections",
        for_s: 60,
        severity: "critical",
        summary: cat(&["a process holds all ", &count(per_process, "connection", "connections"), " of its pool: requests wait for one"]),
        source: G004,
    }
}

/// Clients waiting for a server connection in PgBouncer for a minute (pgbouncer_exporter).
pub fn pgbouncer_waiting() -> Alert {
    Alert {
        name: "PgBouncerClientsWaiting",
        expr: "sum(pgbouncer_pools_client_waiting_connections) > 0".to_string(),
        threshold: 0.0,
        unit: "connections",
        for_s: 60,
        severity: "warning",
        summary: "clients wait in PgBouncer for a server connection".to_string(),
        source: G004,
    }
}

/// A scrape target of the app answers no scrape for 1 min: Prometheus sets `up` to 0.
/// Every rate-based alert is silent then (no series, no rate), so only this one fires.
pub fn app_down(job: &str) -> Alert {
    Alert {
        name: "AppDown",
        expr: cat(&["up{job=\"", job, "\"} == 0"]),
        threshold: 0.0,
        unit: "targets",
        for_s: 60,
        severity: "critical",
        summary: "an instance of the app answers no scrape: it is down or its metrics port is".to_string(),
        source: DOCS,
    }
}

/// No target of the app's job is scraped at all for 5 min (`absent(up{…})`): the whole
/// service is gone from service discovery, or the job was renamed. `up == 0` cannot fire
/// without a target.
pub fn app_absent(job: &str) -> Alert {
    Alert {
        name: "AppAbsent",
        expr: cat(&["absent(up{job=\"", job, "\"})"]),
        threshold: 0.0,
        unit: "targets",
        for_s: 300,
        severity: "critical",
        summary: "Prometheus scrapes no instance of the app at all".to_string(),
        source: DOCS,
    }
}

/// Every alert that applies to the plan.
pub fn alerts(plan: &Plan, pool: Option<&DbPool>) -> Vec<Alert> {
    let job = plan.name.as_str();
    let mut out = vec![app_down(job), app_absent(job), high_latency(job, plan.p95_objective_ms), high_error_rate(job), high_cpu(plan.platform, job)];
    out.extend(high_memory(plan.platform, job));
    if plan.platform == Platform::K8s {
        out.push(pod_restarts(job));
    }
    if let Some(p) = pool {
        out.push(pool_exhaustion(job, p.pool_size.value + p.max_overflow.value));
        if plan.pgbouncer.is_on() {
            out.push(pgbouncer_waiting());
        }
    }
    out
}
