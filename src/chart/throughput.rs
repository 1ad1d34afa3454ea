//! Chart 1: throughput against CPU cores (the plan with only its cores changed), the
//! USL contention shown against linear scaling, the benchmark tiers and the plan marked.

use crate::model::sources::guide;
use super::figure::{Axis, Colour, Figure, Mark};
use super::format::{count, whole};
use super::Chart;
use crate::model::curves::{self, CorePoint, Throughput};
use crate::model::capacity::{Evaluation, TierRow};
use crate::model::{Bottleneck, Plan, Tier};

/// The inputs the chart reads: everything the capacity model does, and the cores.
pub fn inputs(plan: &Plan) -> Plan {
    let d = Plan::default();
    Plan { target_rps: d.target_rps, p95_objective_ms: d.p95_objective_ms, ..super::common_inputs(plan) }
}

/// The inputs of the curve alone ([`curves::core_curve`]): those of [`inputs`], with
/// any core count up to 64 the same, so typing cores only moves the plan's point.
pub fn curve_inputs(plan: &Plan) -> Plan {
    Plan { cores: plan.cores.max(64), ..inputs(plan) }
}

fn y_title(replicas: u32) -> String {
    if replicas > 1 {
        format!("requests per second, {} (r/s)", count(replicas, "node", "nodes"))
    } else {
        "requests per second (r/s)".to_string()
    }
}

fn plan_legend(t: &Throughput) -> String {
    format!("this plan: {} → {} r/s", count(t.plan.cores, "core", "cores"), whole(t.plan.rps))
}

/// The figure of [`curves::throughput`].
pub fn figure_of(t: &Throughput) -> Figure {
    let top = t.curve.last().map_or(64, |p| p.cores);
    let y_max = t.curve.iter().map(|p| p.max_rps.max(p.rps)).chain(t.tiers.iter().map(|r| r.rps)).fold(0.0, f64::max) * 1.08;
    let (x, y) = (Axis::new("CPU cores per node", 0.0, top as f64), Axis::new(y_title(t.replicas), 0.0, y_max));
    let per_core = t.curve.first().map_or(0.0, |p| p.rps / p.cores.max(1) as f64);
    let linear = vec![(0.0, 0.0), (top as f64, per_core * top as f64)];
    let points = |f: fn(&CorePoint) -> f64| t.curve.iter().map(|p| (p.cores as f64, f(p))).collect();
    let tiers = t.tiers.iter().map(|r| (r.cores as f64, r.rps)).collect();
    Figure {
        title: "Throughput against CPU cores".to_string(),
        marks: vec![
            Mark::dashed(Colour::Muted, "linear from 1 core (no contention)", linear),
            Mark::line(Colour::C4, "saturation: every slot busy", points(|p| p.max_rps)),
            Mark::line(Colour::C1, "capacity at the 70 % target", points(|p| p.rps)),
            Mark::dots(Colour::C2, tiers_legend(t), 5, tiers),
            Mark::dots(Colour::C3, plan_legend(t), 7, vec![(t.plan.cores as f64, t.plan.rps)]),
        ],
        x,
        y,
        note: None,
    }
}

fn tiers_legend(t: &Throughput) -> String {
    let tiers: Vec<String> = t.tiers.iter().map(|r| format!("{} {}", tier_name(r.tier), r.cores)).collect();
    format!(concat!(guide!(004), "'s tiers ({} cores, own RAM)"), tiers.join(", "))
}

fn tier_name(tier: Tier) -> &'static str {
    match tier {
        Tier::Small => "Small",
        Tier::Medium => "Medium",
        Tier::Large => "Large",
        Tier::Custom => "Custom",
    }
}

/// The resource that reaches the target first, in words.
pub fn limit(b: Bottleneck) -> &'static str {
    b.words()
}

/// The key numbers in words.
pub fn summary(t: &Throughput) -> String {
    let (Some(first), Some(last)) = (t.curve.first(), t.curve.last()) else {
        return String::new();
    };
    let linear = first.rps / f64::from(first.cores.max(1)) * f64::from(last.cores);
    let tiers: Vec<String> = t.tiers.iter().map(|r| format!("{} ({} cores) {} r/s", tier_name(r.tier), r.cores, whole(r.rps))).collect();
    format!(
        "Capacity at the 70 % target grows from {} r/s at {} to {} r/s at {} cores, where linear scaling would give {} r/s. \
         The plan ({}) sustains {} r/s, limited by {}, and {} r/s with every slot busy. Benchmark tiers: {}.",
        whole(first.rps),
        count(first.cores, "core", "cores"),
        whole(last.rps),
        last.cores,
        whole(linear),
        count(t.plan.cores, "core", "cores"),
        whole(t.plan.rps),
        limit(t.plan.bottleneck),
        whole(t.plan.max_rps),
        tiers.join(", "),
    )
}

/// The figure for a plan.
pub fn figure(plan: &Plan) -> Figure {
    figure_of(&curves::throughput(plan))
}

/// The chart for a plan: computed once, drawn, said in words.
pub fn chart(plan: &Plan) -> Chart {
    let t = curves::throughput(plan);
    Chart::new(&figure_of(&t), summary(&t))
}

/// The chart from what the page has already solved: the plan's [`curves::core_curve`],
/// its evaluation and its tier rows ([`curves::throughput_beside`]).
pub fn chart_beside(curve: &[CorePoint], plan: &Plan, eval: &Evaluation, tiers: &[TierRow]) -> Chart {
    let t = curves::throughput_beside(curve, plan, eval, tiers);
    Chart::new(&figure_of(&t), summary(&t))
}
