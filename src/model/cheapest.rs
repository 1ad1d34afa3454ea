//! The cheapest fleet that meets the plan's target (issue 22): every node shape of 1–64
//! cores at 2, 4 or 8 GiB of RAM per core, each with the fewest nodes that carry the
//! target at its peak within the 70 % CPU target with every class's p95 within its
//! objective, and still do once the spare nodes are lost ([`outcome::replicas_to_fit`]);
//! the shape's workers are the rules' for it. On Kubernetes each shape is also split into
//! 2, 4, 8, … pods a node ([`pods`]), billed as the whole nodes they take. Kept only where
//! the whole plan on that fleet reads "fits with headroom" (no broken configuration),
//! cheapest first.

pub mod pods;

use super::capacity::Evaluation;
use super::choice::Platform;
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
    /// The app pods a node holds (1: the pod is the node) and the nodes billed.
    pub pods_per_node: u32,
    pub nodes: u32,
    /// On the cost–latency front: every cheaper option's p95 is at least 1 % higher
    /// ([`FRONT_STEP`]).
    pub pareto: bool,
}

/// How much lower a p95 must be than every cheaper option's to put an option on the
/// front: 1 %. Without it the front holds every larger node, each a tenth of a
/// millisecond faster than the one before (the p95 approaches the requests' own time).
pub const FRONT_STEP: f64 = 0.01;

/// What the search found: the fleets that meet the target, and the node shapes whose
/// configuration fails there (node-sized, and on Kubernetes in every pod split tried), by
/// the first error of the node-sized pods.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    pub options: Vec<FleetOption>,
    pub refused: Vec<(&'static str, u32)>,
}

/// Why there is nothing to search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSearch(pub String);

/// `plan` on a node of `cores` and `ram_gib`, its pod the whole node: the workers by the
/// rules (an override of the plan's is its own node's), the tier the node matches, one
/// node more than its spares.
fn on_node(plan: &Plan, cores: u32, ram_gib: f64) -> Plan {
    let mut p = Plan { cores, ram_gib, workers: None, replicas: plan.spare + 1, pod_cpu: 0.0, pod_mem_gib: 0.0, ..plan.clone() };
    p.tier = Tier::BENCHMARKS.into_iter().find(|t| t.node() == Some((cores, ram_gib))).unwrap_or(Tier::Custom);
    p
}

/// The fleet of node-sized pods of one shape that meets the target; Err with the code of
/// the error that fails its configuration (on the fewest nodes, or on those that carry
/// the target); None when no count of it carries the target.
fn option(plan: &Plan, cores: u32, ram_gib: f64) -> Option<Result<FleetOption, &'static str>> {
    let mut p = on_node(plan, cores, ram_gib);
    if !p.validate().is_empty() {
        return None;
    }
    // A configuration that fails on the fewest nodes there can be (one and the spares)
    // fails on more: every error is either the node's own or connections that grow with
    // the nodes. No fit is run for it.
    if let Some(code) = first_error(&p) {
        return Some(Err(code));
    }
    let first = evaluate(&p);
    p.replicas = outcome::replicas_to_fit(&p, &first)?;
    verified(p, &first)
}

/// The option of `k` pods a node of `node`'s shape, `spare_nodes` nodes that may be
/// lost ([`pods::with_spares`]), as [`option`]; None also when it cannot cost less than
/// `best` ([`pods::fewest_nodes`]).
fn pod_option(node: &Plan, k: u32, spare_nodes: u32, best: f64) -> Option<Result<FleetOption, &'static str>> {
    let p = pods::sized(node, k)?;
    if !p.validate().is_empty() {
        return None;
    }
    // As for node-sized pods, a configuration that fails on the fewest pods there can be
    // (one and the spare nodes') fails with more.
    if let Some(code) = pods::with_spares(&p, 1, spare_nodes).and_then(|(least, _)| first_error(&least)) {
        return Some(Err(code));
    }
    let first = evaluate(&p);
    // No cheaper than `best` even on the fewest nodes its pods could take: no fit is run.
    if pods::fewest_nodes(&p, &first, spare_nodes).is_some_and(|n| f64::from(n) * cost::node_hourly_usd(&p) * cost::HOURS_PER_MONTH >= best) {
        return None;
    }
    let need = outcome::replicas_to_fit(&p, &first)?;
    let (p, _) = pods::with_spares(&p, need, spare_nodes)?;
    verified(p, &first)
}

/// The code of the first error the rules find in `p`'s configuration.
fn first_error(p: &Plan) -> Option<&'static str> {
    super::rules::checked(p).warnings.iter().find(|w| w.severity == Severity::Error).map(|e| e.code)
}

/// `p` as an option when its configuration holds and it fits with its spares lost; what
/// the verdict reads, without its tiers and its own search again.
fn verified(p: Plan, first: &Evaluation) -> Option<Result<FleetOption, &'static str>> {
    if !p.validate().is_empty() {
        return None;
    }
    if let Some(code) = first_error(&p) {
        return Some(Err(code));
    }
    let eval = super::capacity::evaluate_beside(&p, first);
    if !outcome::fits(&p, &eval) {
        return None;
    }
    let pods_per_node = super::pod::per_node(&p).unwrap_or(1);
    Some(Ok(FleetOption { monthly_cost: cost::monthly_usd(&p), capacity_rps: eval.capacity.rps, p95_ms: eval.latency.p95_ms, pods_per_node, nodes: cost::nodes(&p), pareto: false, plan: p }))
}

/// Every node shape's fleets that meet the plan's target, cheapest first (then the lower
/// p95), each marked when it is on the cost–p95 front; and the shapes refused (their
/// configuration fails, node-sized and in every pod split tried).
///
/// On Kubernetes each shape also runs 2, 4, 8, … pods a node ([`pods::sized`]), listed
/// where they take fewer nodes than its node-sized pods (see `pod_options`): the plan's
/// own `pod_cpu` and `pod_mem` are replaced by these sizes, since a pod that tiles the
/// node exactly is what whole-node billing pays for, and a fixed size leaves a different
/// remainder on every shape. The plan's `spare` is read as nodes that may be lost (the
/// unit billed); a pod option writes it as the pods those nodes hold.
///
/// # Errors
/// A plan without a target rate: there is nothing to meet.
pub fn search(plan: &Plan) -> Result<Found, NoSearch> {
    if !(plan.target_rps > 0.0) {
        return Err(NoSearch("set a target rate (rps) first: the cheapest fleet is the one that carries it".to_string()));
    }
    let mut found = Found::default();
    for c in 1..=MAX_CORES {
        for &r in &RAM_PER_CORE_GIB {
            let node_sized = option(plan, c, f64::from(c) * r);
            let best = match &node_sized {
                Some(Ok(o)) => o.monthly_cost,
                _ => f64::INFINITY,
            };
            // No count of node-sized pods carries the target (a shared limit, or an
            // objective below the time at low load): smaller pods carry no more.
            let pods = if plan.platform == Platform::K8s && node_sized.is_some() { pod_options(plan, c, f64::from(c) * r, best) } else { Vec::new() };
            match node_sized {
                Some(Ok(o)) => found.options.push(o),
                // Refused: the shape's configuration fails node-sized and in every split tried.
                Some(Err(code)) if pods.is_empty() => match found.refused.iter_mut().find(|(k, _)| *k == code) {
                    Some((_, n)) => *n += 1,
                    None => found.refused.push((code, 1)),
                },
                _ => {}
            }
            found.options.extend(pods);
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

/// The pod options of one shape cheaper than its node-sized pods' (`best`, their monthly
/// cost; infinite when they fail): k = 2, 4, 8, … pods a node, each kept when it costs
/// less than every fewer pods a node, stopping at the first k that does not carry the
/// target or costs no less: smaller pods only add sidecars and per-pod overhead to the
/// same nodes. A k whose configuration fails is passed over (smaller pods open fewer
/// connections). Nothing is tried where the node-sized fleet is already the fewest nodes
/// there can be, one more than the spares.
fn pod_options(plan: &Plan, cores: u32, ram_gib: f64, mut best: f64) -> Vec<FleetOption> {
    let node = on_node(plan, cores, ram_gib);
    let mut out = Vec::new();
    if best <= f64::from(plan.spare + 1) * cost::node_hourly_usd(&node) * cost::HOURS_PER_MONTH * (1.0 + 1e-9) {
        return out;
    }
    let mut k = pods::FIRST_PODS_PER_NODE;
    loop {
        match pod_option(&node, k, plan.spare, best) {
            None => break,
            Some(Err(_)) => {}
            Some(Ok(o)) if o.monthly_cost < best => {
                best = o.monthly_cost;
                out.push(o);
            }
            Some(Ok(_)) => break,
        }
        k *= 2;
    }
    out
}

#[cfg(test)]
mod tests;
