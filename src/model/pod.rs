//! The pod as the unit (issue 22): on Kubernetes, with `pod_cpu` or `pod_mem` set, the
//! workers, the capacity model and the manifest follow the app container's CPU limit (the
//! quota its cgroup enforces) and memory limit; `cores` and `ram` stay the node's (its
//! allocatable resources, pods per node, cost). Unset, the pod is the whole node as
//! before. On plain hosts both keys are ignored: there is no cgroup quota to follow.

use super::choice::Platform;
use super::plan::Plan;

/// The app container's CPU limit, cores, when the plan sets one on Kubernetes.
pub fn cpu_quota(plan: &Plan) -> Option<f64> {
    // Its range (0–64, `Plan::validate`) keeps it finite; 0 is unset.
    (plan.platform == Platform::K8s && plan.pod_cpu > 0.0).then_some(plan.pod_cpu)
}

/// The app container's memory limit, MiB, when the plan sets one on Kubernetes.
pub fn mem_limit_mib(plan: &Plan) -> Option<f64> {
    (plan.platform == Platform::K8s && plan.pod_mem_gib > 0.0).then_some(plan.pod_mem_gib * 1024.0)
}

/// The whole cores a quota of `q` cores amounts to, ⌈q⌉: what the pod's nginx workers and
/// its sidecar are sized by ([`app_cores`]). Not the CPUs the app runs on: the quota limits
/// the CPU time per period, not the CPUs, so the pod runs on the node's cores at full
/// speed while it has quota left, then waits for the next period (the capacity model's
/// [`super::capacity::Node::quota`]).
// Source: Linux kernel docs, Documentation/scheduler/sched-bwc.rst ("CFS Bandwidth
// Control": cpu.cfs_quota_us of run time per cpu.cfs_period_us, across all CPUs).
pub fn quota_servers(q: f64) -> u32 {
    // A float's `as` cast saturates (NaN → 0); at least one CPU.
    (q.ceil() as u32).max(1)
}

/// The cores the worker rule counts: the pod's quota (fractional), else the node's.
pub fn worker_cores(plan: &Plan) -> f64 {
    cpu_quota(plan).unwrap_or(f64::from(plan.cores))
}

/// Whole cores the app's processes can run on at once: ⌈quota⌉, else the node's cores
/// (nginx's workers and the sidecar's CPU follow them).
pub fn app_cores(plan: &Plan) -> u32 {
    cpu_quota(plan).map_or(plan.cores, quota_servers)
}

/// The app pods a node of the plan's holds with each one's limits reserved (`pod_cpu`,
/// `pod_mem`; an unset one does not count) and its nginx sidecar's requests: the layout
/// the fleet is billed by (whole nodes, [`super::cost`]) and the report's
/// `kubernetes.pods_per_node`. The limits, not the app's requests: the capacity model
/// gives every pod its whole quota, which it gets only where no node is overcommitted.
/// At least 1 (a pod over allocatable is refused as an error), at most maxPods less the
/// DaemonSets' pods; None without the pod's limits (the pod is the node).
// Source: Kubernetes docs "Resource Management for Pods and Containers" (a node holds
// the pods whose requests fit its allocatable; memory request = limit here).
pub fn per_node(plan: &Plan) -> Option<u32> {
    use super::rules::kubernetes::{allocatable, quota, sizing};
    let (q, m) = (cpu_quota(plan), mem_limit_mib(plan));
    if q.is_none() && m.is_none() {
        return None;
    }
    let (cpu_m, mem_mib) = allocatable::of_plan(plan).whole();
    let (side_cpu, side_mem) = if plan.has_proxy() {
        let w = super::workers::recommend(plan);
        let cores = app_cores(plan);
        (sizing::nginx_cpu_m(cores).0, sizing::nginx_memory_mib(cores, super::rules::nginx::concurrent_requests_per_node(plan, &w)))
    } else {
        (0, 0)
    };
    let fit = |alloc: u64, each: Option<u32>, side: u32| each.map_or(u64::MAX, |e| alloc / (u64::from(e) + u64::from(side)).max(1));
    let n = fit(cpu_m, q.map(quota::cpu_limit_m), side_cpu).min(fit(mem_mib, m.map(quota::memory_mib), side_mem));
    let most = plan.max_pods.saturating_sub(allocatable::DAEMONSET_PODS).max(1);
    Some(n.clamp(1, u64::from(most)) as u32)
}

/// "0.5", "1.5", "2": a quota as a person reads it.
pub fn cores_text(q: f64) -> String {
    super::figure::dec(q, 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quota_counts_its_ceiling_of_cores_for_what_runs_beside_it() {
        assert_eq!([0.5, 1.0, 1.5, 4.0].map(quota_servers), [1, 1, 2, 4]);
    }

    #[test]
    fn the_pod_keys_count_on_kubernetes_only() {
        let mut p = Plan { pod_cpu: 0.5, pod_mem_gib: 1.0, ..Plan::default() };
        assert_eq!((cpu_quota(&p), mem_limit_mib(&p), worker_cores(&p)), (None, None, f64::from(p.cores)));
        p.platform = Platform::K8s;
        assert_eq!((cpu_quota(&p), mem_limit_mib(&p), worker_cores(&p), app_cores(&p)), (Some(0.5), Some(1024.0), 0.5, 1));
    }
}
