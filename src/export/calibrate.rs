//! The "Calibrate from a load test" panel's answer, written by the calibration's worker (src/bin/calibrate.rs)
//! (its code is not in the page's first load): the pasted load-test output read into runs
//! ([`crate::calibrate::parse`]), the plan's demands fitted to them
//! ([`crate::model::calibration`]), the USL over a sweep of 3 or more concurrencies, and
//! the markup the page shows as it is: the runs beside the model, the fit, the chart of
//! throughput against concurrency, and the calibrated plan's query.

use crate::calibrate::{self, Run};
use crate::chart::format::num;
use crate::model::figure::{count, grouped};
use crate::chart::{Axis, Chart, Colour, Figure, Mark};
use crate::model::calibration::{self, Calibration};
use crate::model::details::html::put;
use crate::model::queueing::usl_fit::{self, UslFit};
use crate::model::{query, Plan};

/// The panel's answer: the table and the fit (`markup`), the chart's figure (`chart`),
/// "Use these figures" and "Undo" (`apply`: links to the calibrated plan and to the plan
/// it was calibrated from, which the page opens as it opens any link, the Back button
/// too; the plan calibrated from in `data-asked`), and the calibrated plan's share query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calibrated {
    pub markup: String,
    pub chart: String,
    pub apply: String,
    pub query: String,
}

/// The most text the panel reads, bytes: a long sweep's output is a few tens of KB.
pub const MAX_TEXT_BYTES: usize = 2_000_000;

/// The USL over the closed-loop runs' (concurrency, throughput) on the first run's host
/// (one host's sweep), with 3 or more levels.
fn usl(runs: &[(String, Run)]) -> Option<Result<UslFit, String>> {
    let first = runs.first().map_or("", |r| r.0.as_str());
    let points: Vec<(f64, f64)> = runs.iter().filter(|r| r.0 == first).filter_map(|(_, r)| Some((r.concurrency?, r.throughput_rps))).collect();
    let mut levels: Vec<f64> = points.iter().map(|p| p.0).collect();
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    (levels.len() >= 3).then(|| usl_fit::fit(&points).map_err(|e| e.to_string()))
}

/// Calibrates `plan` to the load-test output `text`.
///
/// # Errors
/// A sentence: the text is empty or too long, a line that is not a load-test output
/// ("line 12: …"), or runs that cannot be calibrated against.
pub fn calibrate(plan: &Plan, text: &str) -> Result<Calibrated, String> {
    if text.trim().is_empty() {
        return Err("Paste the output of a load test (wrk, wrk2, oha, hey, ab, siege, k6, vegeta, Locust or CSV) first.".into());
    }
    if text.len() > MAX_TEXT_BYTES {
        return Err(format!("The text is {} bytes; the panel reads up to {}.", text.len(), MAX_TEXT_BYTES));
    }
    let hosted = calibrate::parse_hosts(text).map_err(|e| format!("Not a load-test output: {e}"))?;
    let observed: Vec<_> = hosted.iter().map(|(host, r)| calibration::Observed { host: host.clone(), ..r.observed() }).collect();
    let usl = usl(&hosted);
    let (hosts, runs): (Vec<String>, Vec<Run>) = hosted.into_iter().unzip();
    let c = calibration::calibrate(plan, &observed).map_err(|e| format!("Cannot calibrate: {e}"))?;
    let source = calibration::source(&calibrate::tools(&runs), runs.len(), c.rms_error_pct, &calibrate::today());
    let calibrated = calibration::apply(plan, &c.demands, c.cv_fitted, &source);
    let fitted = usl.as_ref().and_then(|u| u.as_ref().ok());
    let (asked, query) = (query::encode(plan), query::encode(&calibrated));
    let mut apply = String::new();
    let links = [
        "<p class=\"actions\"><a id=\"calibrate-use\" href=\"#", &query, "\" data-asked=\"", &asked,
        "\">Use these figures</a><a id=\"calibrate-undo\" href=\"#", &asked, "\">Undo</a></p>",
    ];
    put(&mut apply, &links);
    Ok(Calibrated { markup: markup(&runs, &hosts, &c, usl.as_ref()), chart: chart(&runs, &hosts, &c, fitted), apply, query })
}

/// The panel's form, sent when the panel is first opened (the page's first load holds
/// only its title): the text area ([`input`]), its buttons and the answer's place.
pub fn form() -> String {
    let buttons = "<p class=\"actions\"><button type=\"button\" id=\"calibrate-run\">Calibrate</button></p><div id=\"calibrate-result\"></div>";
    "<p>Paste the output of wrk, wrk2, oha, hey, ab, siege, k6, vegeta, Locust or a CSV, or pick its file, then Calibrate: the CPU and wait per request that make this plan reproduce it. Runs on a host unlike this plan's: put a line <code># host: workers=4</code> (or <code>cores=8&amp;workers=17</code>) before them.</p><div id=\"calibrate-input\">".to_string()
        + &input("")
        + "</div>"
        + buttons
}

/// The text area and its label, holding `text` (a picked or dropped file's, escaped),
/// and the file input, empty.
pub fn input(text: &str) -> String {
    let mut out = String::new();
    put(&mut out, &["<label for=\"calibrate-text\">Load-test output</label><textarea id=\"calibrate-text\" rows=\"8\" spellcheck=\"false\" style=\"width:100%;box-sizing:border-box;font:0.85rem monospace\">", text, "</textarea>\
<p><label for=\"calibrate-file\">Or its file (pick or drop it here)</label> <input type=\"file\" id=\"calibrate-file\"></p>"]);
    out
}

/// The answer's markup for the panel: the table, the fit, the chart and "Use these
/// figures"; or why not, as an alert.
pub fn answer(plan: &Plan, text: &str) -> String {
    match calibrate(plan, text) {
        Ok(c) => c.markup + &c.chart + &c.apply,
        Err(e) => {
            let mut out = String::new();
            put(&mut out, &["<p class=\"error\" role=\"alert\">", &e, "</p>"]);
            out
        }
    }
}

/// A figure in a cell: "–" when there is none.
fn cell(out: &mut String, v: Option<String>) {
    put(out, &["<td>", v.as_deref().unwrap_or("–"), "</td>"]);
}

/// The runs' table (each run's line, and its host where a `# host:` line set one), the fit
/// and the USL, every text escaped.
pub fn markup(runs: &[Run], hosts: &[String], c: &Calibration, usl: Option<&Result<UslFit, String>>) -> String {
    let mut out = String::from("<div class=\"table-scroll tiers\" tabindex=\"0\" role=\"region\" aria-label=\"Runs against the model\"><table id=\"calibrate-runs\"><caption style=\"text-align:left\">Each run, measured and as the calibrated model predicts it</caption><thead><tr>");
    let heads = [
        "Source", "Tool", "Concurrency", "Throughput (r/s)", "Model (r/s)", "Mean (ms)", "Model (ms)", "p99 (ms)", "Model p99 (ms)", "Errors", "Non-2xx",
    ];
    for h in heads {
        put(&mut out, &["<th scope=\"col\">", h, "</th>"]);
    }
    out.push_str("</tr></thead><tbody>");
    for ((r, f), host) in runs.iter().zip(&c.runs).zip(hosts) {
        put(&mut out, &["<tr><th scope=\"row\">line ", &r.line.to_string()]);
        if !host.is_empty() {
            put(&mut out, &[" (", host, ")"]);
        }
        put(&mut out, &["</th><td>", r.tool.name(), "</td>"]);
        cell(&mut out, Some(f.concurrency.map_or_else(|| "open loop".to_string(), num)));
        cell(&mut out, Some(grouped(r.throughput_rps, 1)));
        cell(&mut out, Some(grouped(f.predicted_rps, 1)));
        cell(&mut out, r.mean_ms.map(|m| grouped(m, 2)));
        cell(&mut out, Some(grouped(f.predicted_mean_ms, 2)));
        let p99 = r.percentile_ms(99.0);
        cell(&mut out, p99.map(|m| grouped(m, 2)));
        let model_p99 = f.predicted_ms.iter().find(|p| p.0 == 99.0).map(|p| grouped(p.1, 2));
        cell(&mut out, p99.and(model_p99));
        cell(&mut out, Some(r.errors.to_string()));
        cell(&mut out, Some(r.non_2xx.to_string()));
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    fit(&mut out, c, usl);
    out
}

/// The fit in words: the demands, the error, the notes and the USL.
fn fit(out: &mut String, c: &Calibration, usl: Option<&Result<UslFit, String>>) {
    let d = &c.demands;
    let cv = if c.cv_fitted { "fitted to the percentiles" } else { "the plan's, kept: the runs print no percentile above p50" };
    let items = [
        format!("CPU per request: {} ms, the server's overhead included", grouped(d.cpu_ms, 3)),
        format!("Wait per request: {} ms", grouped(d.wait_ms, 3)),
        format!("Variability (cv): {}, {cv}", grouped(d.cv, 2)),
        format!("Model against the runs: {} % root mean square", grouped(c.rms_error_pct, 1)),
        match usl {
            Some(Ok(u)) => {
                let peak = u.n_max.zip(u.x_max).map_or("no peak (κ = 0)".to_string(), |(n, x)| format!("peak {} r/s at {} in flight", grouped(x, 0), grouped(n, 0)));
                format!("USL: λ {} r/s, σ {}, κ {:.3e}; {peak}", grouped(u.lambda, 2), grouped(u.sigma, 5), u.kappa)
            }
            Some(Err(e)) => format!("USL: {e}"),
            None => "USL: fewer than 3 concurrency levels, no fit".to_string(),
        },
    ];
    out.push_str("<ul id=\"calibrate-fit\">");
    let warnings: Vec<String> = usl.and_then(|u| u.as_ref().ok()).map(|u| u.warnings.iter().map(|w| format!("USL: {w}")).collect()).unwrap_or_default();
    for item in items.iter().chain(&warnings) {
        put(out, &["<li>", item, "</li>"]);
    }
    out.push_str("</ul>");
    for n in &c.notes {
        put(out, &["<p class=\"note\">", n, "</p>"]);
    }
}

/// The chart: each closed-loop run's throughput against its concurrency, the calibrated
/// model's over the same concurrencies, and the USL's curve when it was fitted. Runs on
/// several hosts (`# host:` lines) get a colour per host, the model's line and the runs'
/// dots alike, each host named in the legend; the USL is the first host's.
pub fn figure(runs: &[Run], hosts: &[String], c: &Calibration, usl: Option<&UslFit>) -> Figure {
    let points = |on: Option<&str>, model: bool| -> Vec<(f64, f64)> {
        let mut p: Vec<(f64, f64)> = runs
            .iter()
            .zip(&c.runs)
            .zip(hosts)
            .filter(|(_, h)| on.is_none_or(|on| h.as_str() == on))
            .filter_map(|((r, f), _)| Some((f.concurrency?, if model { f.predicted_rps } else { r.throughput_rps })))
            .collect();
        p.sort_by(|a, b| a.0.total_cmp(&b.0));
        p
    };
    let (measured, model) = (points(None, false), points(None, true));
    let n_max = measured.iter().map(|p| p.0).fold(0.0, f64::max) * 1.1;
    let usl_points: Vec<(f64, f64)> = usl.map_or_else(Vec::new, |u| (0..=60).map(|i| n_max * f64::from(i) / 60.0).map(|n| (n, u.throughput(n))).collect());
    let y_max = measured.iter().chain(&model).chain(&usl_points).map(|p| p.1).filter(|y| y.is_finite()).fold(0.0, f64::max) * 1.1;
    let mut distinct: Vec<&str> = Vec::new();
    for h in hosts {
        if !distinct.contains(&h.as_str()) {
            distinct.push(h);
        }
    }
    let mut marks = Vec::new();
    if distinct.len() <= 1 && !measured.is_empty() {
        marks.push(Mark::line(Colour::C1, "calibrated model", model));
        marks.push(Mark::dots(Colour::C2, "measured", 5, measured.clone()));
    } else if !measured.is_empty() {
        for (i, h) in distinct.iter().enumerate() {
            let colour = [Colour::C1, Colour::C2, Colour::C3, Colour::C5, Colour::C6][i % 5];
            let name = if h.is_empty() { "this plan's host" } else { h };
            marks.push(Mark::line(colour, format!("model, {name}"), points(Some(h), true)));
            marks.push(Mark::dots(colour, format!("measured, {name}"), 5, points(Some(h), false)));
        }
    }
    if usl.is_some() {
        let name = match distinct.first() {
            Some(h) if distinct.len() > 1 => format!("USL fit, {}", if h.is_empty() { "this plan's host" } else { h }),
            _ => "USL fit".to_string(),
        };
        marks.push(Mark::dashed(Colour::C4, name, usl_points));
    }
    Figure {
        title: "Throughput against concurrency".to_string(),
        x: Axis::new("concurrency (connections in flight)", 0.0, n_max),
        y: Axis::new("throughput (requests per second, r/s)", 0.0, y_max),
        marks,
        note: measured.is_empty().then(|| "open-loop runs only: no concurrency to draw against".to_string()),
    }
}

/// The chart's figure markup: the drawing (an image named by its title, described by its
/// caption) and its numbers in words.
fn chart(runs: &[Run], hosts: &[String], c: &Calibration, usl: Option<&UslFit>) -> String {
    let figure = figure(runs, hosts, c, usl);
    let several = hosts.iter().any(|h| *h != hosts[0]);
    let words: Vec<String> = runs
        .iter()
        .zip(&c.runs)
        .zip(hosts)
        .filter_map(|((r, f), h)| {
            let on = if !several { String::new() } else if h.is_empty() { "this plan's host, ".to_string() } else { format!("{h}, ") };
            Some(format!("{on}{}: {} r/s measured, {} modelled", count(f.concurrency?, "connection", "connections"), grouped(r.throughput_rps, 0), grouped(f.predicted_rps, 0)))
        })
        .collect();
    let summary = if words.is_empty() { "No closed-loop run to draw.".to_string() } else { format!("{}.", words.join("; ")) };
    figure_markup("calibrate-chart", &Chart::new(&figure, summary))
}

/// A panel's chart as the page shows it: the drawing, an image named by its title and
/// described by its caption (`<id>-text`), the numbers in words.
pub fn figure_markup(id: &str, drawn: &Chart) -> String {
    let mut out = String::new();
    let text = format!("{id}-text");
    put(&mut out, &["<div class=\"charts\"><figure id=\"", id, "\" class=\"chart\"><div class=\"svg\" role=\"img\" aria-label=\"", &drawn.title, "\" aria-describedby=\"", &text, "\">"]);
    out.push_str(&drawn.svg());
    put(&mut out, &["</div><figcaption id=\"", &text, "\">", &drawn.summary, "</figcaption></figure></div>"]);
    out
}

#[cfg(test)]
#[path = "calibrate_tests.rs"]
mod tests;
