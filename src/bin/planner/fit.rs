//! `planner fit`: the cheapest fleets that meet the plan's target ([`cheapest::search`]),
//! as a table or JSON `options[]`.

use serde_json::{json, Value};

use planner::model::cheapest::{FleetOption, Found};
use planner::model::figure::whole;
use planner::model::query;

/// The JSON document: `options[]`, cheapest first, each with its plan's query, its node
/// shape, `replicas` (its pods on Kubernetes), `pods_per_node` (1: the pod is the node)
/// and the `nodes` billed; and `refused[]`: the shapes whose configuration fails, by code.
pub fn to_json(found: &Found) -> Value {
    let options: Vec<Value> = found
        .options
        .iter()
        .map(|o| {
            json!({
                "plan": query::encode(&o.plan),
                "monthly_cost": (o.monthly_cost * 100.0).round() / 100.0,
                "capacity_rps": o.capacity_rps,
                "p95_ms": o.p95_ms,
                "cores": o.plan.cores,
                "ram_gib": o.plan.ram_gib,
                "replicas": o.plan.replicas,
                "pods_per_node": o.pods_per_node,
                "nodes": o.nodes,
                "workers": planner::model::workers::recommend(&o.plan).processes,
                "pareto": o.pareto,
            })
        })
        .collect();
    let refused: Vec<Value> = found.refused.iter().map(|(code, n)| json!({ "code": code, "node_shapes": n })).collect();
    json!({ "options": options, "refused": refused })
}

/// The text: the cheapest options (all those on the cost–p95 front, and the ten
/// cheapest), one a line, with how many there were.
pub fn to_text(found: &Found) -> String {
    let options: &[FleetOption] = &found.options;
    let mut out = format!(
        "{:>10}  {:>5}  {:>7}  {:>5}  {:>9}  {:>8}  {:>10}  {:>8}  {}\n",
        "$/month", "cores", "RAM GiB", "nodes", "pods/node", "replicas", "capacity", "p95 ms", "front"
    );
    for (_, o) in options.iter().enumerate().filter(|(i, o)| *i < 10 || o.pareto) {
        out.push_str(&format!(
            "{:>10}  {:>5}  {:>7}  {:>5}  {:>9}  {:>8}  {:>6} r/s  {:>8}  {}\n",
            whole(o.monthly_cost),
            o.plan.cores,
            planner::model::decimal::shortest(o.plan.ram_gib),
            o.nodes,
            o.pods_per_node,
            o.plan.replicas,
            whole(o.capacity_rps),
            whole(o.p95_ms),
            if o.pareto { "*" } else { "" }
        ));
    }
    out.push_str(&format!(
        "\n{} fleets meet the target (1–64 cores × 2, 4 or 8 GiB per core{}); * = on the cost–p95 front (every cheaper one's p95 at least 1 % higher).\n",
        options.len(),
        if options.iter().any(|o| o.pods_per_node > 1) { "; on Kubernetes also 2, 4, 8, … pods a node, billed as whole nodes" } else { "" }
    ));
    for (code, n) in &found.refused {
        out.push_str(&format!("Refused: {n} node shapes whose configuration fails there ({code}; `planner report` on one says why).\n"));
    }
    if let Some(first) = options.first() {
        out.push_str(&format!("Cheapest: {}\n", query::encode(&first.plan)));
    }
    out
}
