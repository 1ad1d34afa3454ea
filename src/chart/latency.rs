//! Chart 2: latency p50 / p95 / p99 against the fleet's request rate, from near 0 up to
//! saturation, with the plan's objective (p95) and target rate.

use super::figure::{Axis, Colour, Figure, Mark, Shape};
use super::format::{num, whole};
use super::Chart;
use crate::model::curves::{self, LatencyCurve, LatencyPoint};
use crate::model::capacity::{self, Evaluation};
use crate::model::Plan;

/// The inputs the chart reads: everything the capacity model does, the target rate and
/// the objective.
pub fn inputs(plan: &Plan) -> Plan {
    super::common_inputs(plan)
}

/// The highest response time the y axis shows: the objective with room above it, and
/// the p99 up to twice its value at capacity (beyond, the curves leave the chart
/// upwards as they run to saturation).
fn y_max(l: &LatencyCurve) -> f64 {
    let at_capacity = l.points.iter().take_while(|p| p.rps <= l.capacity_rps).last().or(l.points.first()).map_or(0.0, |p| p.p99_ms);
    let top = l.points.iter().map(|p| p.p99_ms).fold(0.0, f64::max);
    (l.objective_ms * 1.25).max(top.min(2.0 * at_capacity) * 1.05)
}

/// The fastest rate at which the p95 still meets the objective, if any.
pub fn meets_objective_up_to(l: &LatencyCurve) -> Option<f64> {
    l.points.iter().take_while(|p| p.p95_ms <= l.objective_ms).last().map(|p| p.rps)
}

/// The figure of [`curves::latency`].
pub fn figure_of(l: &LatencyCurve) -> Figure {
    let last = l.points.last().map_or(l.max_rps, |p| p.rps);
    // A target far beyond saturation would squeeze the curves into the axis: it is then
    // named in the legend only.
    let shown = l.target_rps.filter(|&t| t <= 1.5 * l.max_rps.max(last));
    let x_max = last.max(l.capacity_rps).max(shown.unwrap_or(0.0) * 1.05);
    let (x, y) = (Axis::new("request rate of the fleet (r/s)", 0.0, x_max), Axis::new("response time (ms)", 0.0, y_max(l)));
    let series = |f: fn(&LatencyPoint) -> f64| l.points.iter().map(|p| (p.rps, f(p))).collect();
    let mut marks = vec![
        Mark::line(Colour::C1, "p50", series(|p| p.p50_ms)),
        Mark::line(Colour::C2, "p95", series(|p| p.p95_ms)),
        Mark::line(Colour::C4, "p99", series(|p| p.p99_ms)),
        Mark::at_y(Colour::C3, format!("p95 objective {} ms", num(l.objective_ms)), l.objective_ms, &x),
        Mark::at_x(Colour::C6, format!("capacity (70 % target) {} r/s", whole(l.capacity_rps)), l.capacity_rps, &y),
    ];
    // Each class's p95, dashed, named above it (a name at the line's end would leave the
    // plot), the names staggered along the rate; one legend entry for them all.
    for (i, (name, p95)) in l.classes.iter().enumerate() {
        let line: Vec<(f64, f64)> = l.points.iter().zip(p95).map(|(p, &y)| (p.rps, y)).collect();
        let shown: Vec<(f64, f64)> = line.iter().copied().filter(|p| p.1 <= y.max).collect();
        let label = shown.get(shown.len() * (5 + i % 4) / 10).copied();
        let mark = Mark::dashed(Colour::C5, "p95 per class (dashed)", line);
        marks.push(if i == 0 { mark } else { Mark { legend: None, ..mark } });
        if let Some((px, py)) = label {
            marks.push(Mark { shape: Shape::Labels(vec![(px, py, name.clone())]), colour: Colour::C5, legend: None });
        }
    }
    match (l.target_rps, shown) {
        (Some(t), Some(_)) => marks.push(Mark::at_x(Colour::Fg, format!("target {} r/s", whole(t)), t, &y)),
        (Some(t), None) => marks.push(Mark::dashed(Colour::Fg, format!("target {} r/s (off the chart)", whole(t)), vec![])),
        (None, _) => {}
    }
    Figure { title: "Latency against request rate".to_string(), x, y, marks, note: None }
}

/// The key numbers in words.
pub fn summary(l: &LatencyCurve) -> String {
    let Some(first) = l.points.first() else {
        return format!("The model finds no rate this plan sustains; its saturation throughput is {} r/s.", whole(l.max_rps));
    };
    let at_capacity = l.points.iter().take_while(|p| p.rps <= l.capacity_rps).last().unwrap_or(first);
    let mut s = format!(
        "At {} r/s the p50, p95 and p99 are {}, {} and {} ms; at {} r/s, near the capacity of {} r/s (70 % target), {}, {} and {} ms; \
         they rise steeply towards saturation at {} r/s. ",
        whole(first.rps),
        num(first.p50_ms),
        num(first.p95_ms),
        num(first.p99_ms),
        whole(at_capacity.rps),
        whole(l.capacity_rps),
        num(at_capacity.p50_ms),
        num(at_capacity.p95_ms),
        num(at_capacity.p99_ms),
        whole(l.max_rps),
    );
    if let Some(i) = l.points.iter().position(|p| p.rps == at_capacity.rps).filter(|_| !l.classes.is_empty()) {
        let each: Vec<String> = l.classes.iter().map(|(name, p95)| format!("{name} {} ms", num(p95[i]))).collect();
        s += &format!("Each class's p95 there: {}. ", each.join(", "));
    }
    s += &match meets_objective_up_to(l) {
        Some(r) => format!("The p95 objective of {} ms holds up to about {} r/s.", num(l.objective_ms), whole(r)),
        None => format!("The p95 objective of {} ms is not met at any rate.", num(l.objective_ms)),
    };
    if let Some(t) = l.target_rps {
        let verdict = if t >= l.max_rps {
            "above what the fleet can serve".to_string()
        } else if l.p95_at_target_ms <= l.objective_ms {
            format!("p95 {} ms, within the objective", num(l.p95_at_target_ms))
        } else {
            format!("p95 {} ms, over the objective", num(l.p95_at_target_ms))
        };
        s += &format!(" The target rate of {} r/s: {verdict}.", whole(t));
    }
    s
}

/// The figure for a plan.
pub fn figure(plan: &Plan) -> Figure {
    figure_of(&curves::latency(plan))
}

/// The chart for a plan: computed once, drawn, said in words.
pub fn chart(plan: &Plan) -> Chart {
    chart_beside(plan, &capacity::evaluate(plan))
}

/// The chart from the plan's evaluation, which the page has already solved
/// ([`curves::latency_beside`]).
pub fn chart_beside(plan: &Plan, eval: &Evaluation) -> Chart {
    let l = curves::latency_beside(plan, eval);
    Chart::new(&figure_of(&l), summary(&l))
}
