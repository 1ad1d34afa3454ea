//! The cheapest fleet that meets the plan's target (issue 22): every node shape of 1–64
//! cores at 2, 4 or 8 GiB of RAM per core, each with the fewest nodes that carry the
//! target at its peak within the 70 % CPU target with every class's p95 within its
//! objective, and still do once the spare nodes are lost ([`outcome::replicas_to_fit`]);
//! the shape's workers are the rules' for it. Kept only where the whole plan on that
//! fleet reads "fits with headroom" (no broken configuration), cheapest first.

use super::cost;
use super::outcome;
use super::rules::checks::Severity;
use super::plan::Plan;
use super::{evaluate, Tier};

/// The node shapes searched: cores, and RAM per core, GiB.
pub const MAX_CORES: u32 = 64;
pub const RAM_PER_CORE_GIB: [f64; 3] = [2.0, 4.0, 8.0];

/// One fleet that meets the target.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetOption {
    /// The plan on this fleet (its query is the option's link).
    pub plan: Plan,
    pub monthly_cost: f64,
    /// The fleet's capacity at 70 %, r/s.
    pub capacity_rps: f64,
    /// The p95 at the target's peak, ms (every class's within its objective).
    pub p95_ms: f64,
    /// On the cost–latency front: every cheaper option's p95 is at least 1 % higher
    /// ([`FRONT_STEP`]).
    pub pareto: bool,
}

/// How much lower a p95 must be than every cheaper option's to put an option on the
/// front: 1 %. Without it the front holds every larger node, each a tenth of a
/// millisecond faster than the one before (the p95 approaches the requests' own time).
pub const FRONT_STEP: f64 = 0.01;

/// What the search found: the fleets that meet the target, and the node shapes that
/// would carry it but whose configuration fails there, by the first error's code.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    pub options: Vec<FleetOption>,
    pub refused: Vec<(&'static str, u32)>,
}

/// Why there is nothing to search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSearch(pub String);

/// `plan` on a node of `cores` and `ram_gib`: the workers by the rules (an override of
/// the plan's is its own node's), the tier the node matches, one node more than its spares.
fn on_node(plan: &Plan, cores: u32, ram_gib: f64) -> Plan {
    let mut p = Plan { cores, ram_gib, workers: None, replicas: plan.spare + 1, ..plan.clone() };
    p.tier = Tier::BENCHMARKS.into_iter().find(|t| t.node() == Some((cores, ram_gib))).unwrap_or(Tier::Custom);
    p
}

/// The fleet of one node shape that meets the target; Err with the code of the error
/// that fails its configuration; None when no count of it carries the target.
fn option(plan: &Plan, cores: u32, ram_gib: f64) -> Option<Result<FleetOption, &'static str>> {
    let mut p = on_node(plan, cores, ram_gib);
    if !p.validate().is_empty() {
        return None;
    }
    let first = evaluate(&p);
    p.replicas = outcome::replicas_to_fit(&p, &first)?;
    if !p.validate().is_empty() {
        return None;
    }
    // What the verdict reads, without its tiers and its own search again: the rules'
    // errors (a configuration that fails), then the target with the spares lost.
    let rules = super::rules::checked(&p);
    if let Some(e) = rules.warnings.iter().find(|w| w.severity == Severity::Error) {
        return Some(Err(e.code));
    }
    let eval = super::capacity::evaluate_beside(&p, &first);
    if !outcome::fits(&p, &eval) {
        return None;
    }
    Some(Ok(FleetOption { monthly_cost: cost::monthly_usd(&p), capacity_rps: eval.capacity.rps, p95_ms: eval.latency.p95_ms, pareto: false, plan: p }))
}

/// Every node shape's fleet that meets the plan's target, cheapest first (then the
/// lower p95), each marked when it is on the cost–p95 front; and the shapes refused.
///
/// # Errors
/// A plan without a target rate: there is nothing to meet. A plan that sets the pod's
/// limits (`pod_cpu`, `pod_mem`): its pods are billed for their share of a node, the same
/// on every node shape, so the search would list every shape at one price; its trade-off
/// is the pod's size (the report's `kubernetes.pod_options`, the settings list).
pub fn search(plan: &Plan) -> Result<Found, NoSearch> {
    if !(plan.target_rps > 0.0) {
        return Err(NoSearch("set a target rate (rps) first: the cheapest fleet is the one that carries it".to_string()));
    }
    if super::pod::cpu_quota(plan).is_some() || super::pod::mem_limit_mib(plan).is_some() {
        return Err(NoSearch("this plan sets the pod's limits (pod_cpu, pod_mem): its pods cost their share of a node on any node shape, so the search sizes node-sized pods. Set pod_cpu and pod_mem to 0 to search node shapes; the pod's own size is weighed under Settings (Workers per pod or more pods?) and in the report (kubernetes.pod_options).".to_string()));
    }
    let mut found = Found::default();
    for c in 1..=MAX_CORES {
        for &r in &RAM_PER_CORE_GIB {
            match option(plan, c, f64::from(c) * r) {
                Some(Ok(o)) => found.options.push(o),
                Some(Err(code)) => match found.refused.iter_mut().find(|(k, _)| *k == code) {
                    Some((_, n)) => *n += 1,
                    None => found.refused.push((code, 1)),
                },
                None => {}
            }
        }
    }
    found.options.sort_by(|a, b| a.monthly_cost.total_cmp(&b.monthly_cost).then(a.p95_ms.total_cmp(&b.p95_ms)));
    // Cheapest first: on the front when its p95 is a step below every cheaper one's.
    let mut best = f64::INFINITY;
    for o in &mut found.options {
        o.pareto = o.p95_ms < best * (1.0 - FRONT_STEP);
        best = best.min(o.p95_ms);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::outcome::Fit;
    use crate::model::query::decode_strict;

    #[test]
    fn the_cheapest_option_fits_and_no_cheaper_shape_does() {
        let plan = decode_strict("rps=2000&replicas=2&spare=1&p95=300").unwrap();
        let options = search(&plan).unwrap().options;
        assert!(!options.is_empty());
        let first = &options[0];
        assert!(first.pareto, "the cheapest is always on the front");
        // Its own verdict: fits with headroom, with its spare node lost.
        let o = outcome::outcome(&first.plan);
        assert_eq!(o.verdict.fit, Fit::Headroom, "{}", o.verdict.message);
        assert!(first.capacity_rps >= 2000.0, "{}", first.capacity_rps);
        // One node fewer of the same shape does not fit.
        let fewer = Plan { replicas: first.plan.replicas - 1, ..first.plan.clone() };
        assert_ne!(outcome::outcome(&fewer).verdict.fit, Fit::Headroom);
        // Sorted by cost; the front's p95 falls as the cost rises.
        assert!(options.windows(2).all(|w| w[0].monthly_cost <= w[1].monthly_cost));
        let front: Vec<&FleetOption> = options.iter().filter(|o| o.pareto).collect();
        assert!(front.windows(2).all(|w| w[1].p95_ms < w[0].p95_ms * (1.0 - FRONT_STEP)));
        // Every option names its node and count, and meets the p95 objective.
        assert!(options.iter().all(|o| o.p95_ms <= 300.0 && o.plan.replicas >= 2 && o.monthly_cost > 0.0));
    }

    #[test]
    fn prices_choose_the_shape() {
        // Free memory: the most RAM per core never costs more; dear memory: the least.
        let free = search(&decode_strict("rps=500&cost_gib_h=0").unwrap()).unwrap().options;
        let dear = search(&decode_strict("rps=500&cost_gib_h=1").unwrap()).unwrap().options;
        let per_core = |o: &FleetOption| o.plan.ram_gib / f64::from(o.plan.cores);
        assert!(per_core(&dear[0]) <= per_core(&free[0]), "{} against {}", per_core(&dear[0]), per_core(&free[0]));
        assert_eq!(per_core(&dear[0]), 2.0);
    }

    #[test]
    fn shapes_whose_configuration_fails_are_counted_by_the_error() {
        // Without PgBouncer, a fleet of large nodes opens more connections than PostgreSQL takes.
        let found = search(&decode_strict("rps=2000&p95=300").unwrap()).unwrap();
        assert!(found.refused.iter().any(|&(code, n)| code == "pool-exceeds-max-connections" && n > 100), "{:?}", found.refused);
        assert!(found.options.iter().all(|o| o.plan.cores <= 2), "only small nodes stay within max_connections");
    }

    #[test]
    fn a_plan_with_the_pods_limits_is_not_searched_by_node_shape() {
        for q in ["platform=k8s&cores=16&ram=64&pod_cpu=0.5&rps=300&replicas=3", "platform=k8s&cores=16&ram=64&pod_mem=2&rps=300&replicas=3"] {
            let e = search(&crate::model::query::decode_strict(q).expect("plan")).expect_err(q);
            assert!(e.0.starts_with("this plan sets the pod's limits (pod_cpu, pod_mem)"), "{}", e.0);
        }
        // On plain hosts the keys are ignored, so the search runs.
        assert!(search(&crate::model::query::decode_strict("cores=16&ram=64&pod_cpu=0.5&rps=300&replicas=3").expect("plan")).is_ok());
    }

    #[test]
    fn without_a_target_there_is_nothing_to_search() {
        assert!(search(&Plan::default()).unwrap_err().0.contains("target rate"));
    }
}
