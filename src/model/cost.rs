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

/// The cores and GiB one replica is billed for: the node's; with the pod's limits set
/// (`pod_cpu`, `pod_mem`), the pod's share of the node (its memory, unset, the node's RAM
/// in proportion to its CPU).
pub fn billed(plan: &Plan) -> (f64, f64) {
    let cores = super::pod::cpu_quota(plan).unwrap_or(f64::from(plan.cores));
    let gib = super::pod::mem_limit_mib(plan).map_or(plan.ram_gib * cores / f64::from(plan.cores), |m| m / 1024.0);
    (cores, gib)
}

/// One node (or pod) of the plan an hour, USD.
pub fn node_hourly_usd(plan: &Plan) -> f64 {
    let (cores, gib) = billed(plan);
    cores * plan.cost_core_h + gib * plan.cost_gib_h
}

/// The plan's nodes (its replicas) for a month, USD.
pub fn monthly_usd(plan: &Plan) -> f64 {
    f64::from(plan.replicas) * node_hourly_usd(plan) * HOURS_PER_MONTH
}

/// The summary's cost of the app's nodes a month, with the sum behind it (the database's
/// host is not in it).
pub fn value(plan: &Plan) -> Value {
    let (cores, gib) = billed(plan);
    Value {
        id: "v-cost",
        title: if plan.platform == super::choice::Platform::K8s { "App pods' cost" } else { "App nodes' cost" },
        number: format!("${}", whole(monthly_usd(plan))),
        unit: " a month".to_string(),
        why: format!(
            "{} × ({} × ${} + {} GiB × ${}) an hour × {} h, at the prices under Platform",
            replicas(plan, plan.replicas),
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
    fn a_pod_is_billed_for_its_share_of_the_node() {
        let k8s = |q: &str| crate::model::query::decode_strict(&format!("platform=k8s&cores=16&ram=64{q}")).unwrap_or_default();
        assert_eq!(billed(&k8s("&pod_cpu=0.5&pod_mem=1")), (0.5, 1.0));
        assert_eq!(billed(&k8s("&pod_cpu=4")), (4.0, 16.0));
        assert_eq!(billed(&k8s("")), (16.0, 64.0));
        let v = value(&k8s("&pod_cpu=0.5&pod_mem=1&replicas=7"));
        assert!(v.why.starts_with("7 pods × (0.5 cores × $0.021811 + 1 GiB × $0.002923)"), "{}", v.why);
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
