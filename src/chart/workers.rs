//! Chart: recommended processes per node against CPU cores, the plan marked.

use plotters::prelude::*;

use super::{palette, SIZE};
use crate::model::{workers, Plan};

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

/// SVG of processes per node against cores for the plan's server type and RAM.
pub fn workers_vs_cores(plan: &Plan) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        // A drawing error leaves a partial chart; it must never panic the app.
        let _ = draw(&root, plan);
        let _ = root.present();
    }
    svg
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, plotters::coord::Shift>, plan: &Plan) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let data = curve(plan, max_cores(plan));
    let here = workers::recommend(plan);
    let y_max = data.iter().map(|d| d.1.max(d.2)).max().unwrap_or(1).max(here.processes) as f64 * 1.1 + 1.0;
    let x_max = max_cores(plan) as f64;
    let mut chart = ChartBuilder::on(root)
        .caption("Processes per node against CPU cores", (FontFamily::SansSerif, 18).into_font().color(&palette::AXIS))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(52)
        .build_cartesian_2d(0f64..x_max, 0f64..y_max)?;
    chart
        .configure_mesh()
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_desc("CPU cores")
        .y_desc("processes per node")
        .axis_desc_style((FontFamily::SansSerif, 14).into_font().color(&palette::AXIS))
        .label_style((FontFamily::SansSerif, 12).into_font().color(&palette::AXIS))
        .light_line_style(RGBAColor(0x88, 0x88, 0x88, 0.15))
        .bold_line_style(RGBAColor(0x88, 0x88, 0x88, 0.3))
        .axis_style(palette::AXIS)
        .draw()?;
    chart
        .draw_series(LineSeries::new(data.iter().map(|d| (d.0 as f64, d.1 as f64)), palette::RULE.stroke_width(2)))?
        .label("CPU rule")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], palette::RULE.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(data.iter().map(|d| (d.0 as f64, d.2 as f64)), palette::CAPPED.stroke_width(2)))?
        .label("after the memory cap")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], palette::CAPPED.stroke_width(2)));
    chart
        .draw_series(std::iter::once(Circle::new((plan.cores as f64, here.processes as f64), 6, palette::PLAN.filled())))?
        .label(format!("this plan: {} cores → {} processes", plan.cores, here.processes))
        .legend(|(x, y)| Circle::new((x + 8, y), 5, palette::PLAN.filled()));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(RGBAColor(0xff, 0xff, 0xff, 0.8))
        .border_style(palette::AXIS)
        .label_font((FontFamily::SansSerif, 12).into_font().color(&palette::AXIS))
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Server;

    #[test]
    fn the_curve_follows_the_worker_rule() {
        let mut plan = Plan::default();
        plan.server = Server::Sync;
        plan.ram_gib = 512.0;
        let c = curve(&plan, 64);
        assert_eq!(c.len(), 64);
        assert_eq!(c[3], (4, 9, 9));
    }

    #[test]
    fn the_chart_marks_the_plan_and_names_its_axes() {
        let mut plan = Plan::default();
        plan.server = Server::Sync;
        plan.cores = 6;
        let svg = workers_vs_cores(&plan);
        assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
        assert!(svg.contains("CPU cores") && svg.contains("processes per node"));
        assert!(svg.contains("this plan: 6 cores → 13 processes"));
    }

    #[test]
    fn the_axis_grows_for_plans_beyond_64_cores() {
        let mut plan = Plan::default();
        plan.cores = 200;
        plan.ram_gib = 2048.0;
        assert!(workers_vs_cores(&plan).contains("this plan: 200 cores"));
    }
}
