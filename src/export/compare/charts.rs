//! The plans' charts overlaid (issue 23): throughput against cores and the p95 against
//! the rate, one line and one legend entry per plan, drawn by the charts' one routine
//! (`crate::chart::draw`) from the model's curves, each with its numbers in words.
//! Plans A and C are solid lines, B and D dashed, each its own colour: told apart
//! without colour too.

use crate::chart::figure::{Axis, Colour, Figure, Mark, Shape};
use crate::chart::format::{count, num, whole};
use crate::chart::Chart;
use crate::model::curves;
use crate::model::Plan;

/// Plan `i`'s colour.
const COLOURS: [Colour; 4] = [Colour::C1, Colour::C2, Colour::C3, Colour::C4];

/// Plan `i`'s line: its colour, dashed for B and D.
fn line(i: usize, legend: String, points: Vec<(f64, f64)>) -> Mark {
    let colour = COLOURS[i % COLOURS.len()];
    if i % 2 == 1 {
        Mark::dashed(colour, legend, points)
    } else {
        Mark::line(colour, legend, points)
    }
}

/// A dot at a plan's own point, listed in the legend by its line.
fn dot(i: usize, at: (f64, f64)) -> Mark {
    Mark { shape: Shape::Dots { points: vec![at], radius: 5 }, colour: COLOURS[i % COLOURS.len()], legend: None }
}

/// Each plan's capacity at the 70 % target against its node's cores (the plan with only
/// its cores changed, [`curves::throughput`]), its own node dotted.
pub fn throughput(plans: &[(&str, Plan)]) -> Chart {
    let curves: Vec<curves::Throughput> = plans.iter().map(|(_, p)| curves::throughput(p)).collect();
    let top = curves.iter().filter_map(|t| t.curve.last()).map(|p| p.cores).max().unwrap_or(64);
    let y_max = curves.iter().flat_map(|t| &t.curve).map(|p| p.rps).fold(0.0, f64::max) * 1.08;
    let mut marks = vec![];
    let mut words = vec![];
    for (i, ((letter, _), t)) in plans.iter().zip(&curves).enumerate() {
        let legend = format!("plan {letter}: {} → {} r/s", count(t.plan.cores, "core", "cores"), whole(t.plan.rps));
        marks.push(line(i, legend, t.curve.iter().map(|p| (f64::from(p.cores), p.rps)).collect()));
        marks.push(dot(i, (f64::from(t.plan.cores), t.plan.rps)));
        let last = t.curve.last().map_or(String::new(), |p| format!(", {} r/s at {} cores", whole(p.rps), p.cores));
        words.push(format!("plan {letter} {} r/s at its {}{last}", whole(t.plan.rps), count(t.plan.cores, "core", "cores")));
    }
    let figure = Figure {
        title: "Throughput against CPU cores, plans overlaid".to_string(),
        x: Axis::new("CPU cores per node", 0.0, f64::from(top)),
        y: Axis::new("requests per second of the fleet (r/s)", 0.0, y_max),
        marks,
        note: None,
    };
    Chart::new(&figure, format!("Capacity at the 70 % target of each plan's fleet: {}.", words.join("; ")))
}

/// Each plan's p95 against the fleet's rate, up to its saturation ([`curves::latency`]).
pub fn latency(plans: &[(&str, Plan)]) -> Chart {
    let curves: Vec<curves::LatencyCurve> = plans.iter().map(|(_, p)| curves::latency(p)).collect();
    // The p95 near each plan's capacity, the point the words give.
    let at_capacity = |l: &curves::LatencyCurve| l.points.iter().take_while(|p| p.rps <= l.capacity_rps).last().or(l.points.first()).copied();
    let x_max = curves.iter().map(|l| l.points.last().map_or(l.max_rps, |p| p.rps).max(l.capacity_rps)).fold(0.0, f64::max);
    // Up to twice the highest p95 at capacity (beyond, the lines leave the chart upwards
    // towards saturation), and the objectives.
    let y_max = curves.iter().map(|l| (2.0 * at_capacity(l).map_or(0.0, |p| p.p95_ms)).max(1.25 * l.objective_ms)).fold(0.0, f64::max);
    let mut marks = vec![];
    let mut words = vec![];
    for (i, ((letter, _), l)) in plans.iter().zip(&curves).enumerate() {
        marks.push(line(i, format!("plan {letter}: p95"), l.points.iter().map(|p| (p.rps, p.p95_ms)).collect()));
        words.push(match at_capacity(l) {
            Some(p) => format!("plan {letter} {} ms at {} r/s, near its capacity of {} r/s (saturation {} r/s)", num(p.p95_ms), whole(p.rps), whole(l.capacity_rps), whole(l.max_rps)),
            None => format!("plan {letter} sustains no rate the model finds"),
        });
    }
    let figure = Figure {
        title: "Latency (p95) against request rate, plans overlaid".to_string(),
        x: Axis::new("request rate of the fleet (r/s)", 0.0, x_max),
        y: Axis::new("p95 response time (ms)", 0.0, y_max),
        marks,
        note: None,
    };
    Chart::new(&figure, format!("The p95 of each plan: {}.", words.join("; ")))
}
