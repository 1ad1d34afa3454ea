//! How many app pods run: the HPA's bounds (002 "Horizontal Pod Autoscaling", kept within
//! what PostgreSQL, PgBouncer and Redis accept), the PDB, and pods per node.

use super::{Hpa, ScalePolicy};
use crate::model::figure::{count, whole};
use crate::model::rules::checks::{Warning, WarningKind};
use crate::model::rules::explained::{ex, Explained, DERIVED, G002};
use crate::model::rules::{DbPool, PgBouncer, Redis};
use crate::model::sources::guide;
use serde::Serialize;

/// kubelet's default `maxPods` (GKE's default per node too).
// Source: kubelet reference, `--max-pods` (default 110); Kubernetes docs "Considerations
// for large clusters" (no more than 110 pods per node).
pub const MAX_PODS_PER_NODE: u32 = 110;

/// A server-side connection limit that caps how many app pods may run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bound {
    /// The server: "PostgreSQL", "PgBouncer" or "Redis".
    pub what: &'static str,
    /// Its setting as a person reads it ("max_connections 200 − 3 reserved").
    pub setting: String,
    /// Connections the server accepts from the app.
    pub limit: u64,
    /// Connections one app pod may open.
    pub per_pod: u64,
    /// How `per_pod` is made ("8 processes × (10 + 10)").
    pub per_pod_why: String,
}

impl Bound {
    /// The most pods whose connections fit the limit.
    pub fn pods(&self) -> u64 {
        pods_within(self.limit, self.per_pod)
    }

    /// "PostgreSQL's 197 connections (…) hold 1 pod of 160 (…)".
    pub fn describe(&self) -> String {
        let pods = self.pods();
        format!(
            "{}'s {} connections ({}) hold {} of {} ({})",
            self.what,
            whole(self.limit as f64),
            self.setting,
            count(pods as f64, "pod", "pods"),
            whole(self.per_pod as f64),
            self.per_pod_why
        )
    }
}

/// Pods whose connections fit a limit: limit / per pod, rounded down.
pub fn pods_within(limit: u64, per_pod: u64) -> u64 {
    limit.checked_div(per_pod).unwrap_or(u64::MAX)
}

/// The limits the app's pods share: PostgreSQL's (max_connections − reserved) without
/// PgBouncer, or PgBouncer's max_client_conn with it, for processes × (pool + overflow)
/// per pod (pool.rs `DbPool`); and Redis's maxclients for processes × its client pool.
pub fn connection_bounds(processes: u32, pool: Option<&DbPool>, pgbouncer: Option<&PgBouncer>, redis: Option<&Redis>) -> Vec<Bound> {
    let mut out = Vec::with_capacity(2);
    if let Some(p) = pool {
        let (size, overflow) = (p.pool_size.value, p.max_overflow.value);
        let per_pod = processes as u64 * (size as u64 + overflow as u64);
        let per_pod_why = format!("{} × ({size} + {overflow})", count(processes, "process", "processes"));
        out.push(match pgbouncer {
            Some(b) => Bound { what: "PgBouncer", setting: "max_client_conn".into(), limit: b.max_client_conn.value, per_pod, per_pod_why },
            None => Bound {
                what: "PostgreSQL",
                setting: "max_connections − reserved".into(),
                limit: p.server_limit_connections.value as u64,
                per_pod,
                per_pod_why,
            },
        });
    }
    if let Some(r) = redis {
        let pool = r.client_pool_per_process.value;
        out.push(Bound {
            what: "Redis",
            setting: "maxclients".into(),
            limit: r.maxclients.value as u64,
            per_pod: processes as u64 * pool as u64,
            per_pod_why: format!("{} × a client pool of {pool}", count(processes, "process", "processes")),
        });
    }
    out
}

/// HPA minReplicas: 002's 2 for availability, or the plan's replicas if more.
pub fn hpa_min_replicas(replicas: u32) -> u32 {
    replicas.max(2)
}

/// 002's HPA maxReplicas: 20, or twice the minimum for larger fleets.
pub fn hpa_max_by_002(min: u32) -> u32 {
    min.saturating_mul(2).max(20)
}

/// HPA maxReplicas: 002's maximum, never more pods than every connection bound holds,
/// never fewer than the minimum (a minimum over a bound is warned instead).
pub fn hpa_max_replicas(min: u32, by_002: u32, bounds: &[Bound]) -> u32 {
    let by_bounds = bounds.iter().map(Bound::pods).min().unwrap_or(u64::MAX);
    let capped = (by_002 as u64).min(by_bounds) as u32;
    capped.max(min)
}

/// The bound that sets maxReplicas below 002's maximum: the one holding the fewest pods.
fn binding(bounds: &[Bound], by_002: u32) -> Option<&Bound> {
    bounds.iter().filter(|b| b.pods() < by_002 as u64).min_by_key(|b| b.pods())
}

fn max_why(min: u32, max: u32, by_002: u32, bounds: &[Bound]) -> String {
    let all = bounds.iter().map(Bound::describe).collect::<Vec<_>>().join("; ");
    match binding(bounds, by_002) {
        None if bounds.is_empty() => format!(concat!("the ", guide!(002), "'s 20, or twice the minimum ({})"), by_002),
        None => format!(concat!("the ", guide!(002), "'s 20, or twice the minimum ({}); within {}"), by_002, all),
        Some(b) if max > min || b.pods() == min as u64 => format!(concat!("{}: below the ", guide!(002), "'s {}"), b.describe(), by_002),
        Some(b) => format!("the minimum {min}, though {} (warned)", b.describe()),
    }
}

/// CPU only: the HPA keeps each pod's app container at its CPU request on average, i.e.
/// 70 % of the cores its workers were sized for. No memory metric: a worker's memory does
/// not fall when the load does, so an HPA on memory scales up and never back down.
pub fn hpa_cpu_average_m(cpu_request_m: u32) -> u32 {
    cpu_request_m
}

fn policy(window: u32, pct: u32, period: u32, dir: &str) -> ScalePolicy {
    ScalePolicy {
        stabilization_window_s: ex(window, "s", G002, format!("scale {dir}: look back {window} s before acting")),
        percent: ex(pct, "%", G002, format!("scale {dir} by at most {pct} % of the pods")),
        period_s: ex(period, "s", G002, format!("per {period} s")),
    }
}

/// The HPA of the app pods.
/// The pods a fleet with a target needs at its peak, spare pods included
/// ([`crate::model::outcome::replicas_to_fit`]), and the spares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    pub peak: u32,
    pub spare: u32,
}

pub fn hpa(replicas: u32, cpu_request_m: u32, sidecar: bool, bounds: &[Bound], need: Option<Need>) -> Hpa {
    // The minimum is the plan's replicas (at least 2): the page's warnings read it too.
    let min = hpa_min_replicas(replicas);
    let (max, max_why_text) = match need {
        // With a target: room for the peak's pods, and 002's margin above them for a load
        // the target did not foresee, within the connection bounds.
        Some(n) => {
            let by_002 = hpa_max_by_002(min);
            let max = hpa_max_replicas(min, n.peak.max(by_002), bounds);
            // "6 pods", or "6 pods (2 spare)": what the peak needs, the spares among them.
            let need = match n.spare {
                0 => count(n.peak, "pod", "pods"),
                s => format!("{} ({s} spare)", count(n.peak, "pod", "pods")),
            };
            let why = match binding(bounds, n.peak.max(by_002)) {
                Some(b) if (b.pods() as u32) < n.peak => format!("the peak needs {need}, but {}: the HPA stops there (raise that limit to carry the peak)", b.describe()),
                Some(b) => format!("{}: above the {need} the peak needs, below the {} guide's margin of {by_002}", b.describe(), "Kubernetes"),
                None if n.peak > by_002 => format!("the {need} the peak rate needs at 70 % CPU with every p95 within its objective"),
                None => format!(concat!("the ", guide!(002), "'s 20, or twice the minimum ({}): room above the {} the peak needs, for a load the target did not foresee"), by_002, need),
            };
            (max, why)
        }
        None => {
            let by_002 = hpa_max_by_002(min);
            let max = hpa_max_replicas(min, by_002, bounds);
            (max, max_why(min, max, by_002, bounds))
        }
    };
    let avg = hpa_cpu_average_m(cpu_request_m);
    let which = if sidecar { "the app container (ContainerResource: nginx's CPU is not the workers' load)" } else { "each pod" };
    Hpa {
        min_replicas: ex(min, "pods", G002, concat!("the ", guide!(002), "'s 2 for availability, or the plan's replicas if more")),
        max_replicas: ex(max, "pods", DERIVED, max_why_text),
        cpu_average_m: ex(avg, "m", DERIVED, format!(concat!("keeps {} at its CPU request on average (AverageValue), i.e. 70 % of the cores the workers were sized for (the ", guide!(003), "'s target); CPU only: memory does not fall when the load does, so a memory metric would scale up and never back"), which)),
        scale_down: policy(300, 50, 60, "down"),
        scale_up: policy(0, 100, 30, "up"),
    }
}

/// The HPA's minimum over a bound the plan's own replicas fit: the pool, PgBouncer and
/// Redis checks count the plan's replicas, so they miss the second pod the HPA adds to a
/// plan of one. A bound the plan's replicas exceed is warned by those checks already.
pub fn min_replicas_over_bounds(min: u32, replicas: u32, bounds: &[Bound]) -> Vec<Warning> {
    bounds
        .iter()
        .filter(|b| b.pods() < min as u64 && b.pods() >= replicas as u64)
        .map(|b| {
            let fix = match b.what {
                "PostgreSQL" => "turn PgBouncer on, or lower the pool or the processes per pod",
                "PgBouncer" => "raise PgBouncer's max_client_conn, or lower the pool or the processes per pod",
                _ => "raise Redis's maxclients, or lower the client pool or the processes per pod",
            };
            Warning::new(
                WarningKind::K8sMinReplicasOverConnections,
                format!(concat!("The HPA keeps at least {} (the ", guide!(002), "'s minimum for availability), but {}: {}."), count(min, "pod", "pods"), b.describe(), fix),
            )
        })
        .collect()
}

/// PDB minAvailable for the HPA's minimum pods: 002's 2 from 3 pods; 1 with 2 (2 of 2
/// would block every node drain); none below 2 (it would block drains or protect nothing).
pub fn pdb_min_available(pods: u32) -> Option<u32> {
    match pods {
        0 | 1 => None,
        2 => Some(1),
        _ => Some(2),
    }
}

/// The PDB's minAvailable with a target: the HPA's minimum less the spare pods (at least
/// one pod may go, or a node drain blocks), never below 1; none below 2 pods.
pub fn pdb_from_spares(min_pods: u32, spare: u32) -> Option<Explained<u32>> {
    (min_pods >= 2).then(|| {
        let v = min_pods.saturating_sub(spare.max(1)).max(1);
        let less = match spare {
            0 => "1 pod (no spare: one may still go, or a node drain blocks)".to_string(),
            s => count(s, "spare pod", "spare pods"),
        };
        ex(v, "pods", DERIVED, format!("the HPA's {} less {less}: a drain never takes more pods than the fleet may lose and still carry the peak (it waits while more are down)", count(min_pods, "pod", "pods")))
    })
}

/// The PDB's minAvailable, explained.
pub fn pdb(min_pods: u32) -> Option<Explained<u32>> {
    pdb_min_available(min_pods).map(|v| {
        ex(v, "pods", G002, if v == 2 { concat!("keep 2 pods through voluntary disruptions (", guide!(002), ")") } else { concat!("1 of the HPA's 2: the ", guide!(002), "'s 2 of 2 would block every node drain; run 3 replicas for 2") })
    })
}

/// Pods that fit a node whose allocatable CPU and memory are given.
pub fn pods_per_node(alloc_cpu_m: u64, alloc_mem_mib: u64, cpu_m: u32, mem_mib: u32) -> u32 {
    let by_cpu = alloc_cpu_m / cpu_m.max(1) as u64;
    let by_mem = alloc_mem_mib / mem_mib.max(1) as u64;
    by_cpu.min(by_mem).min(MAX_PODS_PER_NODE as u64) as u32
}
