//! Chart: recommended processes per node against CPU cores, the plan marked.

use plotters::coord::Shift;
use plotters::element::MultiLineText;
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

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, plan: &Plan) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
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
    chart.draw_series(LineSeries::new(data.iter().map(|d| (d.0 as f64, d.1 as f64)), palette::RULE.stroke_width(2)))?;
    chart.draw_series(LineSeries::new(data.iter().map(|d| (d.0 as f64, d.2 as f64)), palette::CAPPED.stroke_width(2)))?;
    chart.draw_series(std::iter::once(Circle::new((plan.cores as f64, here.processes as f64), 6, palette::PLAN.filled())))?;
    let this_plan = format!("this plan: {} cores → {} processes", plan.cores, here.processes);
    let area = chart.plotting_area().strip_coord_spec();
    let marks = legend(&area, &["CPU rule", "after the memory cap", &this_plan])?;
    for (i, (x, y)) in marks.into_iter().enumerate() {
        match i {
            0 => area.draw(&PathElement::new(vec![(x, y), (x + 16, y)], palette::RULE.stroke_width(2)))?,
            1 => area.draw(&PathElement::new(vec![(x, y), (x + 16, y)], palette::CAPPED.stroke_width(2)))?,
            _ => area.draw(&Circle::new((x + 8, y), 5, palette::PLAN.filled()))?,
        }
    }
    Ok(())
}

/// The legend box at the upper left of `area`, its labels drawn; where each label's mark
/// goes (none when the font cannot measure the labels). Drawn as plotters'
/// `configure_series_labels().draw()` draws it (margin 10, 30 px for the marks), whose
/// default font would read a family name through Unicode case tables, a few KB of the page.
fn legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, labels: &[&str]) -> Result<Vec<(i32, i32)>, DrawingAreaErrorKind<DB::ErrorType>> {
    const MARGIN: i32 = 10;
    const MARKS: i32 = 30;
    let font = (FontFamily::SansSerif, 12).into_font().color(&palette::AXIS);
    let mut text = MultiLineText::<_, &str>::new((0, 0), &font);
    for label in labels {
        text.push_line(*label);
    }
    let Ok((w, h)) = text.estimate_dimension() else {
        return Ok(vec![]);
    };
    let (x, y, w, h) = (5, 5, w + MARKS + 2 * MARGIN, h + 2 * MARGIN);
    text.relocate((x + MARKS + MARGIN, y + MARGIN));
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], RGBAColor(0xff, 0xff, 0xff, 0.8).filled()))?;
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], palette::AXIS))?;
    area.draw(&text)?;
    let lines = text.compute_line_layout().unwrap_or_default();
    Ok(lines.into_iter().map(|((_, y0), (_, y1))| (x + MARGIN, (y0 + y1) / 2)).collect())
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
