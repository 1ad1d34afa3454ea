//! What a fleet of app nodes costs (issue 22): each node's cores and RAM at the plan's
//! prices per hour (`cost_core_h`, `cost_gib_h`), over a month of hours.

use super::decimal::shortest;
use super::figure::{count, replicas, whole};
use super::plan::Plan;
use super::summary::Value;

/// Hours in an average month: 365 × 24 / 12, the month cloud price lists bill by.
// Source: Google Cloud's pricing calculator and AWS's both use 730 hours a month.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// The default prices: Google Cloud Compute Engine's E2 machine type, predefined vCPUs
/// and memory, on demand in us-central1 (Iowa), USD per vCPU-hour and per GiB-hour (its
/// GB is 2³⁰ bytes), as listed in 2025–2026 (an e2-standard-2, 2 vCPUs and 8 GiB, is
/// $0.067006 an hour). Prices change: set your provider's and region's.
// Source: cloud.google.com/compute/vm-instance-pricing, "E2 machine types", us-central1.
pub const CORE_HOUR_USD: f64 = 0.021811;
pub const GIB_HOUR_USD: f64 = 0.002923;

/// The cores and GiB of one app node: the plan's node (a pod plan's pods are billed as
/// the whole nodes they take, [`nodes`]).
pub fn billed(plan: &Plan) -> (f64, f64) {
    (f64::from(plan.cores), plan.ram_gib)
}

/// The app nodes the plan pays for: its replicas; with the pod's limits set on
/// Kubernetes, ⌈pods / pods per node⌉ ([`super::pod::per_node`]): a node is rented
/// whole, however little of it the last pods use.
// Source: cloud price lists bill a VM (a node) by the hour, not the pods on it.
pub fn nodes(plan: &Plan) -> u32 {
    super::pod::per_node(plan).map_or(plan.replicas, |k| plan.replicas.div_ceil(k))
}

/// One node of the plan an hour, USD.
pub fn node_hourly_usd(plan: &Plan) -> f64 {
    let (cores, gib) = billed(plan);
    cores * plan.cost_core_h + gib * plan.cost_gib_h
}

/// The plan's app nodes ([`nodes`]) for a month, USD.
pub fn monthly_usd(plan: &Plan) -> f64 {
    f64::from(nodes(plan)) * node_hourly_usd(plan) * HOURS_PER_MONTH
}

/// The summary's cost of the app's nodes a month, with the sum behind it (the database's
/// host is not in it).
pub fn value(plan: &Plan) -> Value {
    let (cores, gib) = billed(plan);
    let n = nodes(plan);
    let node_count = count(n, "node", "nodes");
    let fleet = match super::pod::per_node(plan) {
        Some(k) => format!("⌈{} / {k} a node⌉ = {node_count}", count(plan.replicas, "pod", "pods")),
        None => replicas(plan, plan.replicas),
    };
    Value {
        id: "v-cost",
        title: "App nodes' cost",
        number: format!("${}", whole(monthly_usd(plan))),
        unit: " a month".to_string(),
        why: format!(
            "{fleet} × ({} × ${} + {} GiB × ${}) an hour × {} h, at the prices under Platform",
            count(cores, "core", "cores"),
            shortest(plan.cost_core_h),
            shortest(gib),
            shortest(plan.cost_gib_h),
            whole(HOURS_PER_MONTH)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pods_are_billed_as_the_whole_nodes_they_take() {
        let k8s = |q: &str| crate::model::query::decode_strict(&format!("platform=k8s&cores=16&ram=64&proxy=none{q}")).unwrap_or_default();
        // 16 cores leave 15,690 m: 3 pods of 4 cores a node (the CPU), 7 pods → 3 nodes.
        let p = k8s("&pod_cpu=4&replicas=7");
        assert_eq!((crate::model::pod::per_node(&p), nodes(&p)), (Some(3), 3));
        assert!((monthly_usd(&p) - 3.0 * (16.0 * CORE_HOUR_USD + 64.0 * GIB_HOUR_USD) * HOURS_PER_MONTH).abs() < 1e-9);
        let v = value(&p);
        assert!(v.why.starts_with("⌈7 pods / 3 a node⌉ = 3 nodes × (16 cores × $0.021811 + 64 GiB × $0.002923)"), "{}", v.why);
        // 59,568 MiB allocatable: 29 pods of 2 GiB by memory, fewer by their 0.5 cores' CPU (31).
        assert_eq!(crate::model::pod::per_node(&k8s("&pod_cpu=0.5&pod_mem=2")), Some(29));
        // One pod or 29 on a node cost the same node; 30 take two.
        assert_eq!(monthly_usd(&k8s("&pod_cpu=0.5&pod_mem=2&replicas=1")), monthly_usd(&k8s("&pod_cpu=0.5&pod_mem=2&replicas=29")));
        assert_eq!(nodes(&k8s("&pod_cpu=0.5&pod_mem=2&replicas=30")), 2);
        // The pod is the node without its limits, and on plain hosts.
        assert_eq!((nodes(&k8s("&replicas=7")), billed(&k8s(""))), (7, (16.0, 64.0)));
        assert_eq!(nodes(&crate::model::query::decode_strict("cores=16&ram=64&pod_cpu=4&replicas=7").unwrap_or_default()), 7);
    }

    #[test]
    fn the_nginx_sidecar_takes_its_requests_from_each_pods_share() {
        // With nginx beside each pod of 4 cores (400 m and its memory requested): still 3
        // a node by CPU (3 × 4,400 m ≤ 15,690 m); pods of 5 cores: 2 (3 × 5,500 > 15,690).
        let k8s = |q: &str| crate::model::query::decode_strict(&format!("platform=k8s&cores=16&ram=64{q}")).unwrap_or_default();
        assert_eq!(crate::model::pod::per_node(&k8s("&pod_cpu=4")), Some(3));
        assert_eq!(crate::model::pod::per_node(&k8s("&pod_cpu=5")), Some(2));
        assert_eq!(crate::model::pod::per_node(&k8s("&pod_cpu=5&proxy=none")), Some(3));
    }

    #[test]
    fn the_summary_says_the_monthly_cost_and_its_sum() {
        // The default plan: 1 node of 4 cores and 8 GiB, (4 × 0.021811 + 8 × 0.002923) × 730 = $80.76.
        let v = value(&Plan::default());
        assert_eq!((v.id, v.number.as_str(), v.unit.as_str()), ("v-cost", "$81", " a month"));
        assert_eq!(v.why, "1 node × (4 cores × $0.021811 + 8 GiB × $0.002923) an hour × 730 h, at the prices under Platform");
    }

    #[test]
    fn an_e2_standard_2_costs_its_list_price() {
        let plan = Plan { cores: 2, ram_gib: 8.0, replicas: 1, ..Plan::default() };
        assert!((node_hourly_usd(&plan) - 0.067006).abs() < 1e-9, "{}", node_hourly_usd(&plan));
        let three = Plan { replicas: 3, ..plan };
        assert!((monthly_usd(&three) - 3.0 * 0.067006 * 730.0).abs() < 1e-9);
        assert_eq!(monthly_usd(&Plan { cost_core_h: 0.0, cost_gib_h: 0.0, ..three }), 0.0);
    }
}
