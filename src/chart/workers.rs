//! Chart: recommended processes per node against CPU cores, the plan marked.

use super::figure::{Axis, Colour, Figure, Mark};
use super::format::count;
use super::Chart;
use crate::model::{workers, Plan};

/// The inputs the chart reads: the worker rule's, which the memory budget reads too
/// (the memo key of the page's workers chart).
pub fn inputs(plan: &Plan) -> Plan {
    super::memory::inputs(plan)
}

/// One point of the curve: (cores, processes by the CPU rule, processes after the memory cap).
pub fn curve(plan: &Plan, max_cores: u32) -> Vec<(u32, u32, u32)> {
    let mut p = plan.clone();
    p.workers = None;
    (1..=max_cores)
        .map(|cores| {
            p.cores = cores;
            let w = workers::recommend(&p);
            (cores, w.by_cpu, w.processes)
        })
        .collect()
}

/// The x axis spans 1–64 cores, or up to the plan's cores when it has more.
fn max_cores(plan: &Plan) -> u32 {
    plan.cores.max(64)
}

/// Processes per node against cores for the plan's server type and RAM.
pub fn figure(plan: &Plan) -> Figure {
    let data = curve(plan, max_cores(plan));
    let here = workers::recommend(plan);
    let y_max = data.iter().map(|d| d.1.max(d.2)).max().unwrap_or(1).max(here.processes) as f64 * 1.1 + 1.0;
    let points = |f: fn(&(u32, u32, u32)) -> u32| data.iter().map(|d| (d.0 as f64, f(d) as f64)).collect();
    Figure {
        title: "Processes per node against CPU cores".to_string(),
        x: Axis::new("CPU cores", 0.0, max_cores(plan) as f64),
        y: Axis::new("processes per node", 0.0, y_max),
        marks: vec![
            Mark::line(Colour::C1, "CPU rule", points(|d| d.1)),
            Mark::line(Colour::C2, "after the memory cap", points(|d| d.2)),
            Mark::dots(
                Colour::C3,
                format!("this plan: {} → {}", count(plan.cores, "core", "cores"), count(here.processes, "process", "processes")),
                6,
                vec![(plan.cores as f64, here.processes as f64)],
            ),
        ],
        note: None,
    }
}

/// The chart of [`figure`], and what it shows in words.
pub fn chart(plan: &Plan) -> Chart {
    let here = workers::recommend(plan);
    let summary = format!(
        "Line chart of processes per node for 1 to {} cores; this plan, {}, runs {}.",
        max_cores(plan),
        count(plan.cores, "core", "cores"),
        count(here.processes, "process", "processes")
    );
    Chart::new(&figure(plan), summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Server;

    #[test]
    fn the_curve_follows_the_worker_rule() {
        let plan = Plan { server: Server::Sync, ram_gib: 512.0, ..Plan::default() };
        let c = curve(&plan, 64);
        assert_eq!(c.len(), 64);
        assert_eq!(c[3], (4, 9, 9));
    }

    #[test]
    fn the_chart_marks_the_plan_and_names_its_axes() {
        let plan = Plan { server: Server::Sync, cores: 6, ..Plan::default() };
        let c = chart(&plan);
        let svg = c.svg();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
        assert!(svg.contains("CPU cores") && svg.contains("processes per node"));
        assert!(svg.contains("this plan: 6 cores → 13 processes"));
        assert_eq!(c.summary, "Line chart of processes per node for 1 to 64 cores; this plan, 6 cores, runs 13 processes.");
    }

    #[test]
    fn the_axis_grows_for_plans_beyond_64_cores() {
        let plan = Plan { cores: 200, ram_gib: 2048.0, ..Plan::default() };
        let c = chart(&plan);
        assert!(c.svg().contains("this plan: 200 cores") && c.summary.contains("for 1 to 200 cores"));
    }
}
