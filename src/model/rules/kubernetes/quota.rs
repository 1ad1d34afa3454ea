//! The app container's resources when the plan sets the pod's CPU limit (`pod_cpu`) or
//! memory limit (`pod_mem`) (issue 22, [`crate::model::pod`]): the limits are the plan's,
//! the CPU request the model's CPU use at the peak per pod, memory request = limit; and
//! the refusal of a pod no node like the plan's can hold.

use super::{millicores, sizing, Resources};
use crate::model::figure::{count, dec, whole};
use crate::model::pod;
use crate::model::plan::Plan;
use crate::model::rules::checks::{Warning, WarningKind};
use crate::model::rules::explained::{ex, DERIVED};
use crate::model::text::cat;

/// CPU requests are written in steps of 10 m.
pub const CPU_STEP_M: f64 = 10.0;

/// A quota of `q` cores in millicores (`limits.cpu`): 0.5 → 500.
pub fn cpu_limit_m(q: f64) -> u32 {
    (q * 1000.0).round().min(u32::MAX as f64).max(1.0) as u32
}

/// A CPU request for a mean use of `use_m` millicores: rounded up to 10 m, at least 10 m.
/// Robusta KRR sets the request from the pod's measured CPU use (its p95 over a week);
/// before there is a measurement, the model's use at the peak stands in for it.
// Source: Robusta KRR README ("CPU request: 95th percentile", "memory request = limit").
pub fn cpu_request_from_use_m(use_m: f64) -> u32 {
    let m = (use_m / CPU_STEP_M).ceil() * CPU_STEP_M;
    if m.is_finite() && m >= CPU_STEP_M { m.min(u32::MAX as f64) as u32 } else { CPU_STEP_M as u32 }
}

/// A memory limit of `mib` as the manifest writes it: whole MiB, rounded up.
pub fn memory_mib(mib: f64) -> u32 {
    mib.ceil().clamp(1.0, u32::MAX as f64) as u32
}

/// The pod's CPU use the request follows: each pod's rate at the peak and the CPU a
/// request takes in the app's container, ms (nginx's sidecar has its own).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Use {
    pub pod_rps: f64,
    pub cpu_ms: f64,
}

impl Use {
    /// Millicores in use: r/s × ms of CPU per request = ms of CPU per s.
    pub fn millicores(self) -> f64 {
        self.pod_rps * self.cpu_ms
    }
}

/// The app container's resources: [`sizing::app_resources`], with the pod's CPU limit,
/// the request from its use ([`cpu_request_from_use_m`], within the limit; 70 % of the
/// limit without a target) and the pod's memory limit where the plan sets them.
pub fn app_resources(plan: &Plan, processes: u32, cpu_use: Option<Use>) -> Resources {
    let mut r = sizing::app_resources(plan.cores, processes, plan.worker_mem_mib);
    if let Some(q) = pod::cpu_quota(plan) {
        let lim = cpu_limit_m(q);
        let n = count(plan.cores, "core", "cores");
        r.cpu_limit_m = ex(lim, "m", DERIVED, cat(&["the pod's CPU limit (pod_cpu ", &pod::cores_text(q), "): the cgroup quota its workers were sized for, not the node's ", &n]));
        r.cpu_request_m = match cpu_use {
            Some(u) => {
                let req = cpu_request_from_use_m(u.millicores()).min(lim);
                ex(req, "m", DERIVED, cat(&["the model's CPU use at the peak: ", &whole(u.pod_rps), " r/s per pod × ", &whole(u.cpu_ms), " ms of CPU per request = ", &millicores(u.millicores().ceil() as u32), ", rounded up to 10 m (Robusta KRR sets it from the measured p95 once the pod runs)"]))
            }
            None => {
                let req = sizing::app_cpu_request_m(1).saturating_mul(lim).div_ceil(1000).max(10);
                ex(req, "m", DERIVED, "70 % of the pod's CPU limit (the 70 % CPU target): without a target rate there is no use to follow")
            }
        };
    }
    if let Some(mib) = pod::mem_limit_mib(plan) {
        let m = memory_mib(mib);
        r.memory_request_mib = ex(m, "MiB", DERIVED, "the pod's memory limit (pod_mem); request = limit: the scheduler reserves all the pod may use");
        r.memory_limit_mib = ex(m, "MiB", DERIVED, "the pod's memory limit (pod_mem), which caps the workers; equal to the request, so the pod is never OOM-killed for memory the scheduler did not reserve (Robusta KRR)");
    }
    r
}

/// Refuses an app container larger than what a node like the plan's leaves to pods: the
/// scheduler never places it (its memory request = limit), and a CPU limit above the
/// node's allocatable CPU is a quota it can never get.
// Source: Kubernetes docs "Resource Management for Pods and Containers" (a pod is
// scheduled on a node whose allocatable resources hold its requests).
pub fn over_allocatable(plan: &Plan, alloc_cpu_m: f64, alloc_mem_mib: f64) -> Vec<Warning> {
    let cpu = pod::cpu_quota(plan).filter(|q| q * 1000.0 > alloc_cpu_m).map(|q| {
        format!("pod_cpu {} cores is more than the {} m a node of {} leaves to pods (allocatable).", pod::cores_text(q), whole(alloc_cpu_m), count(plan.cores, "core", "cores"))
    });
    let mem = pod::mem_limit_mib(plan).filter(|m| *m > alloc_mem_mib).map(|m| {
        format!("pod_mem {} GiB is more than the {} MiB a node of {} GiB leaves to pods (allocatable).", dec(m / 1024.0, 3), whole(alloc_mem_mib), dec(plan.ram_gib, 3))
    });
    cpu.into_iter().chain(mem).map(|m| Warning::new(WarningKind::PodOverAllocatable, m)).collect()
}
