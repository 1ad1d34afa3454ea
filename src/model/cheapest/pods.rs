//! The pods of a node shape the cheapest-fleet search tries on Kubernetes (issue 22): each
//! node's allocatable resources split into k app pods, each with its nginx sidecar's
//! requests beside it, so that a node holds exactly k of them ([`pod::per_node`]).

use crate::model::capacity::Evaluation;
use crate::model::plan::Plan;
use crate::model::rules::kubernetes::{allocatable, quota, sizing};
use crate::model::{outcome, pod};
use crate::model::rules::nginx::concurrent_requests_per_node;
use crate::model::workers;

/// The smallest pod the search sizes: 0.5 core, the Kubernetes guide's CPU limit for a
/// Web API pod (500m). Below it a pod runs one or two workers on a budget of under 50 ms of
/// CPU each 100 ms period, which a burst of requests spends and then waits for the next
/// period (CFS throttling, README "Pod CPU quota, measured"), and the sidecar's 100 m is a
/// fifth of the pod or more.
// Source: 002's sizing table (Web API: requests 100m/128Mi, limits 500m/512Mi).
pub const MIN_POD_CPU_M: u64 = 500;

/// Pods per node tried: 2, 4, 8, … (each halves the pod), the search's one pod a node
/// being the node-sized pod of plain plans.
pub const FIRST_PODS_PER_NODE: u32 = 2;

/// CPU limits in steps of 10 m, memory limits in steps of 64 MiB (the manifests' own).
const CPU_STEP_M: u64 = 10;
const MEM_STEP_MIB: u64 = 64;

/// `node` (a plan on the node shape, its pods unset) with `k` app pods a node: each pod's
/// CPU limit the allocatable CPU / k less its sidecar's request, its memory limit the
/// allocatable memory / k less the sidecar's memory, both rounded down to clean values
/// (10 m, 64 MiB). The sidecar's memory is counted at one pod's whole concurrency (the
/// fleet's peak through one pod), the most it may need, so `k` pods fit a node whatever
/// the replicas. None where the pod would be under [`MIN_POD_CPU_M`], hold no worker, or
/// `k` pods exceed maxPods.
pub fn sized(node: &Plan, k: u32) -> Option<Plan> {
    let most = node.max_pods.saturating_sub(allocatable::DAEMONSET_PODS);
    if k == 0 || k > most {
        return None;
    }
    let (cpu_m, mem_mib) = allocatable::of_plan(node).whole();
    let slot_cpu = cpu_m / u64::from(k);
    let slot_mem = mem_mib / u64::from(k);
    let proxy = node.has_proxy();
    let side_cpu = if proxy { u64::from(sizing::nginx_cpu_m(slot_cpu.div_ceil(1000) as u32).0) } else { 0 };
    let q = slot_cpu.saturating_sub(side_cpu) / CPU_STEP_M * CPU_STEP_M;
    if q < MIN_POD_CPU_M {
        return None;
    }
    let mut p = Plan { pod_cpu: q as f64 / 1000.0, pod_mem_gib: down(slot_mem) as f64 / 1024.0, replicas: 1, spare: 0, ..node.clone() };
    if proxy {
        let side = sizing::nginx_memory_mib(pod::app_cores(&p), concurrent_requests_per_node(&p, &workers::recommend(&p)));
        p.pod_mem_gib = down(slot_mem.saturating_sub(u64::from(side))) as f64 / 1024.0;
    }
    // At least one worker's memory under the 80 % cap.
    (p.pod_mem_gib * 1024.0 * 0.8 >= f64::from(p.worker_mem_mib)).then_some(p)
}

/// The fewest nodes `p`'s pods (`k` a node at most) can carry the target on, before any
/// fleet is evaluated: the pods must carry the peak at no more than one pod's own 70 %
/// capacity each (`first`, one pod alone: a fleet shares the database, so a pod in it
/// carries no more), on the most pods a node's allocatable CPU holds of their limit, plus
/// the spare nodes. None when one pod carries nothing.
pub fn fewest_nodes(p: &Plan, first: &Evaluation, spare_nodes: u32) -> Option<u32> {
    let one = first.capacity.rps;
    if one.is_nan() || one <= 0.0 {
        return None;
    }
    let pods = (outcome::peak_rps(p) / one).ceil().min(f64::from(u32::MAX)) as u32;
    let (cpu_m, _) = allocatable::of_plan(p).whole();
    let most = (cpu_m / u64::from(quota::cpu_limit_m(p.pod_cpu))).clamp(1, u64::from(u32::MAX)) as u32;
    Some(pods.div_ceil(most).saturating_add(spare_nodes))
}

/// MiB rounded down to [`MEM_STEP_MIB`].
fn down(mib: u64) -> u64 {
    mib / MEM_STEP_MIB * MEM_STEP_MIB
}

/// `p`, `need` pods carrying the target, with `spare_nodes` nodes that may be lost: each
/// lost node takes its pods, so the spare pods are `spare_nodes` × the pods a node holds
/// (which the replicas may change through the sidecar's concurrency: settled in two
/// rounds, else None).
pub fn with_spares(p: &Plan, need: u32, spare_nodes: u32) -> Option<(Plan, u32)> {
    let mut k = pod::per_node(&Plan { replicas: need, ..p.clone() })?;
    for _ in 0..2 {
        let q = Plan { replicas: need.checked_add(spare_nodes.checked_mul(k)?)?, spare: spare_nodes * k, ..p.clone() };
        let now = pod::per_node(&q)?;
        if now == k {
            return Some((q, k));
        }
        k = now;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::query::decode_strict;

    #[test]
    fn k_pods_of_a_node_fit_it_exactly_with_their_sidecars() {
        for q in ["platform=k8s&rps=2000&p95=300", "platform=k8s&rps=50&proxy=none", "platform=k8s&rps=20000&p95=300"] {
            for (cores, ram) in [(4, 8.0), (16, 64.0), (64, 128.0), (64, 512.0), (3, 24.0)] {
                let node = Plan { cores, ram_gib: ram, ..decode_strict(q).unwrap() };
                for k in [2, 4, 8, 16, 32, 64] {
                    let Some(p) = sized(&node, k) else { continue };
                    assert!(p.pod_cpu >= 0.5 && p.validate().is_empty(), "{q} {cores} {k}: {p:?}");
                    for replicas in [1, 7, 100] {
                        assert_eq!(pod::per_node(&Plan { replicas, ..p.clone() }), Some(k), "{q} {cores}×{ram} k={k} ×{replicas}");
                    }
                }
            }
        }
    }

    #[test]
    fn pods_under_half_a_core_are_not_sized() {
        let node = Plan { cores: 2, ram_gib: 4.0, ..decode_strict("platform=k8s&rps=50").unwrap() };
        // 2 cores leave 1,730 m: 2 pods of 0.76 cores (865 m less nginx's 100 m, in 10 m), not 4.
        assert_eq!(sized(&node, 2).map(|p| p.pod_cpu), Some(0.76));
        assert!(sized(&node, 4).is_none());
        assert!(sized(&Plan { max_pods: 4, ..node.clone() }, 2).is_none(), "3 DaemonSet pods and 2 app pods exceed maxPods 4");
    }

    #[test]
    fn no_fleet_of_pods_takes_fewer_nodes_than_the_bound() {
        for q in ["platform=k8s&rps=2000&p95=300&pgbouncer=on", "platform=k8s&rps=5000&p95=300&pgbouncer=on&db_cores=16&spare=1&replicas=2", "platform=k8s&rps=300&server=gthread", "platform=k8s&rps=1500&p95=200&server=sync&pgbouncer=on"] {
            let plan = decode_strict(q).unwrap();
            let mut checked = 0;
            for (cores, ram) in [(2, 4.0), (4, 16.0), (8, 16.0), (16, 64.0), (48, 96.0)] {
                for k in [2, 4, 8] {
                    let Some(p) = sized(&Plan { cores, ram_gib: ram, ..plan.clone() }, k) else { continue };
                    let first = crate::model::evaluate(&p);
                    let Some(need) = outcome::replicas_to_fit(&p, &first) else { continue };
                    let (fleet, _) = with_spares(&p, need, plan.spare).unwrap();
                    let bound = fewest_nodes(&p, &first, plan.spare).unwrap();
                    assert!(crate::model::cost::nodes(&fleet) >= bound, "{q} {cores}×{ram} k={k}: {} nodes < {bound}", crate::model::cost::nodes(&fleet));
                    checked += 1;
                }
            }
            assert!(checked >= 10, "{q}: {checked}");
        }
    }

    #[test]
    fn losing_a_node_loses_its_pods() {
        let node = Plan { cores: 16, ram_gib: 64.0, ..decode_strict("platform=k8s&rps=2000&p95=300").unwrap() };
        let p = sized(&node, 4).unwrap();
        let (fleet, k) = with_spares(&p, 5, 1).unwrap();
        assert_eq!((k, fleet.replicas, fleet.spare), (4, 9, 4));
        assert_eq!(crate::model::cost::nodes(&fleet), 3, "⌈5 / 4⌉ + 1 spare node");
    }
}
