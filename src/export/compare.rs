//! Plans side by side (issue 23), for `planner diff` and the page's "Compare plans"
//! panel (the config files' worker writes it, [`markup`]): the inputs that differ, each
//! plan's results with their change from the first plan and which way is better, and
//! each exported file as a unified diff from the first plan's to another's.

pub mod charts;
pub mod markup;
#[cfg(test)]
mod tests;

use super::{diff::unified, PLAN_URL};
use crate::chart::format::num;
use crate::model::figure::whole;
use crate::model::report::{self, Report};
use crate::model::{Field, Plan};

/// The most plans compared at once (A–D).
pub const MAX_PLANS: usize = 4;

/// Each plan's letter.
pub const LETTERS: [&str; MAX_PLANS] = ["A", "B", "C", "D"];

/// An input that differs: its key and its value in each plan ("" for a computed one).
pub struct Change {
    pub key: &'static str,
    pub from: String,
    pub to: String,
}

/// The inputs that differ between two plans, in the query string's order.
pub fn changes(a: &Plan, b: &Plan) -> Vec<Change> {
    inputs(&[a.clone(), b.clone()])
        .into_iter()
        .map(|(key, mut values)| {
            let to = values.pop().unwrap_or_default();
            Change { key, from: values.pop().unwrap_or_default(), to }
        })
        .collect()
}

/// The inputs in which some plan differs from the first, in the query string's order:
/// the key and each plan's value ("" for a computed one).
pub fn inputs(plans: &[Plan]) -> Vec<(&'static str, Vec<String>)> {
    Field::ALL
        .iter()
        .filter(|f| !f.retired())
        .filter_map(|&f| {
            let values: Vec<String> = plans.iter().map(|p| p.get(f)).collect();
            values.iter().any(|v| *v != values[0]).then(|| (f.key(), values))
        })
        .collect()
}

/// Every exported file that differs, as (name, unified diff): a file only one plan has is
/// a diff from or to nothing (`/dev/null`). The share link (plan.url) is left out: it is
/// not a file to change in production.
///
/// # Errors
/// A plan whose files cannot be written (an invalid value).
pub fn files(a: &Plan, b: &Plan) -> Result<Vec<(String, String)>, String> {
    let (fa, fb) = (super::files(a).map_err(|e| e.to_string())?, super::files(b).map_err(|e| e.to_string())?);
    let mut names: Vec<&str> = fa.iter().map(|f| f.name.as_str()).collect();
    names.extend(fb.iter().map(|f| f.name.as_str()).filter(|n| !fa.iter().any(|f| f.name == *n)));
    let text = |files: &[super::File], name: &str| files.iter().find(|f| f.name == name).map(|f| f.text.clone());
    Ok(names
        .into_iter()
        .filter(|&n| n != PLAN_URL)
        .filter_map(|name| {
            let (ta, tb) = (text(&fa, name), text(&fb, name));
            let from = if ta.is_some() { format!("a/{name}") } else { "/dev/null".to_string() };
            let to = if tb.is_some() { format!("b/{name}") } else { "/dev/null".to_string() };
            let d = unified(&from, &to, ta.as_deref().unwrap_or(""), tb.as_deref().unwrap_or(""));
            (!d.is_empty()).then(|| (name.to_string(), d))
        })
        .collect())
}

/// Which way a result is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
    /// No order (the bottleneck): a change is only a change.
    Neither,
}

/// How another plan's result stands against the first plan's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    Same,
    Better,
    Worse,
    /// Different, with no order between them.
    Changed,
}

impl Way {
    /// In words: the page says it, never by colour alone.
    pub fn word(self) -> &'static str {
        match self {
            Way::Same => "same",
            Way::Better => "better",
            Way::Worse => "worse",
            Way::Changed => "changed",
        }
    }
}

/// `b` against `a` for a result better `better`.
pub fn way(a: f64, b: f64, better: Better) -> Way {
    match (a.partial_cmp(&b), better) {
        (Some(std::cmp::Ordering::Equal), _) => Way::Same,
        (None, _) | (_, Better::Neither) => Way::Changed,
        (Some(o), Better::Higher) => if o == std::cmp::Ordering::Less { Way::Better } else { Way::Worse },
        (Some(o), Better::Lower) => if o == std::cmp::Ordering::Greater { Way::Better } else { Way::Worse },
    }
}

/// One plan's value of a result: as shown (with its unit), and the number it orders by
/// (None: no number, such as a p95 over capacity).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub value: Option<f64>,
}

/// A result of every plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What it is, with its unit ("Capacity at the 70 % target (r/s)").
    pub name: String,
    pub better: Better,
    /// The unit a change is written in (" r/s"); "" for words, whose change is not a number.
    pub unit: &'static str,
    pub cells: Vec<Cell>,
}

impl Row {
    /// Plan `i`'s cell against the first plan's: which way, and the change in the row's
    /// unit with its percentage ("+1,113 r/s, +49 %"), empty for words or a missing number.
    pub fn change(&self, i: usize) -> (Way, String) {
        let (a, b) = (&self.cells[0], &self.cells[i]);
        if a.text == b.text {
            return (Way::Same, String::new());
        }
        match (a.value, b.value) {
            (Some(x), Some(y)) if !self.unit.is_empty() => {
                // The sign written out, a minus sign for a fall ("−0.9 ms, −3 %").
                let sign = if y > x { "+" } else { "−" };
                let d = (y - x).abs();
                let pct = if x != 0.0 { format!(", {sign}{} %", whole(d / x.abs() * 100.0)) } else { String::new() };
                (way(x, y, self.better), format!("{sign}{}{}{pct}", self.format(d), self.unit))
            }
            (Some(x), Some(y)) => (way(x, y, self.better), String::new()),
            // A number against none (over capacity, no database): better when the number
            // is the one that exists and lower is better (a p95 where there was none).
            (None, Some(_)) if self.better == Better::Lower => (Way::Better, String::new()),
            (Some(_), None) if self.better == Better::Lower => (Way::Worse, String::new()),
            _ => (Way::Changed, String::new()),
        }
    }

    fn format(&self, x: f64) -> String {
        if self.unit == " ms" {
            num(x)
        } else {
            whole(x)
        }
    }
}

/// A number of a row in its unit, or the words for a missing one.
fn number(x: Option<f64>, unit: &'static str, missing: &str) -> Cell {
    let format = if unit == " ms" { num } else { whole };
    x.filter(|v| v.is_finite()).map_or_else(|| Cell { text: missing.to_string(), value: None }, |v| Cell { text: format!("{}{unit}", format(v)), value: Some(v) })
}

/// The report's bottleneck (its key) in the summary's words ("worker slots").
fn bottleneck_words(key: &str) -> String {
    use crate::model::Bottleneck as B;
    let words = [B::Cpu, B::Workers, B::DbConnections, B::DbCpu].into_iter().find(|b| b.key() == key).map(crate::model::summary::bottleneck_label);
    words.unwrap_or(key).to_string()
}

/// The verdict's order, worst first; None without a target (nothing to order).
fn fit_rank(fit: &str) -> Option<f64> {
    ["broken", "over-capacity", "at-risk", "headroom"].iter().position(|f| *f == fit).map(|i| i as f64)
}

/// Every result of the plans, the first plan's first; only the rows in which some plan
/// differs from the first are kept by [`results`].
pub fn all_results(plans: &[Plan]) -> Vec<Row> {
    let reports: Vec<Report> = plans.iter().map(report::report).collect();
    let row = |name: String, better, unit, cell: &dyn Fn(&Report) -> Cell| Row { name, better, unit, cells: reports.iter().map(cell).collect() };
    let over = "over capacity";
    let mut rows = vec![
        row("Capacity at the 70 % target (r/s)".into(), Better::Higher, " r/s", &|r| number(Some(r.capacity.rps), " r/s", "")),
        row("Throughput with every slot busy (r/s)".into(), Better::Higher, " r/s", &|r| number(Some(r.capacity.max_rps), " r/s", "")),
        row("p95 at the target rate, or at capacity without one (ms)".into(), Better::Lower, " ms", &|r| number(r.latency_ms.p95, " ms", over)),
        row("p99 at the target rate, or at capacity without one (ms)".into(), Better::Lower, " ms", &|r| number(r.latency_ms.p99, " ms", over)),
    ];
    // Each class's, by name, when a plan has more than one class.
    let mut names: Vec<&str> = vec![];
    for r in reports.iter().filter(|r| r.latency_ms.classes.len() > 1) {
        names.extend(r.latency_ms.classes.iter().map(|c| c.name.as_str()).filter(|n| !names.contains(n)).collect::<Vec<_>>());
    }
    for name in names {
        let class = |r: &Report, p99: bool| {
            let c = r.latency_ms.classes.iter().find(|c| c.name == name);
            let missing = if c.is_some() { over } else { "no such class" };
            number(c.and_then(|c| if p99 { c.p99 } else { c.p95 }), " ms", missing)
        };
        rows.push(row(format!("p95 of class {name} (ms)"), Better::Lower, " ms", &|r| class(r, false)));
        rows.push(row(format!("p99 of class {name} (ms)"), Better::Lower, " ms", &|r| class(r, true)));
    }
    let bottleneck = |r: &Report| Cell { text: bottleneck_words(r.capacity.bottleneck), value: None };
    let verdict = |r: &Report| Cell { text: r.verdict.fit.replace('-', " "), value: fit_rank(r.verdict.fit) };
    rows.push(row("Bottleneck".into(), Better::Neither, "", &bottleneck));
    rows.push(row("Verdict".into(), Better::Higher, "", &verdict));
    rows.push(row("App nodes' cost (USD a month)".into(), Better::Lower, " USD", &|r| number(Some(r.cost.monthly_usd), " USD", "")));
    rows.push(row("Memory in use per node (MiB)".into(), Better::Lower, " MiB", &|r| number(Some(r.memory.in_use_mib()), " MiB", "")));
    rows.push(row("Database connections of the fleet".into(), Better::Lower, " connections", &|r| number(r.db.as_ref().map(|d| d.fleet_connections as f64), " connections", "no database")));
    rows
}

/// The results in which some plan differs from the first.
pub fn results(plans: &[Plan]) -> Vec<Row> {
    all_results(plans).into_iter().filter(|r| r.cells.iter().any(|c| c.text != r.cells[0].text)).collect()
}
