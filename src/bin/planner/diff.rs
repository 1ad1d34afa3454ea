//! `planner diff`: two plans side by side (issue 23): the inputs that differ, each plan's
//! capacity, latency and verdict, and each exported file as a unified diff from the first
//! plan's to the second's (what to change in production to go from one to the other).

use serde_json::{json, Value};

use planner::export::{self, diff::unified, PLAN_URL};
use planner::model::figure::whole;
use planner::model::{report, Field, Plan};

/// An input that differs: its key and its value in each plan ("" for a computed one).
pub struct Change {
    pub key: &'static str,
    pub from: String,
    pub to: String,
}

/// The inputs that differ, in the query string's order.
pub fn changes(a: &Plan, b: &Plan) -> Vec<Change> {
    Field::ALL
        .iter()
        .filter(|f| !f.retired())
        .filter_map(|&f| {
            let (from, to) = (a.get(f), b.get(f));
            (from != to).then(|| Change { key: f.key(), from, to })
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
    let (fa, fb) = (export::files(a).map_err(|e| e.to_string())?, export::files(b).map_err(|e| e.to_string())?);
    let mut names: Vec<&str> = fa.iter().map(|f| f.name.as_str()).collect();
    names.extend(fb.iter().map(|f| f.name.as_str()).filter(|n| !fa.iter().any(|f| f.name == *n)));
    let text = |files: &[export::File], name: &str| files.iter().find(|f| f.name == name).map(|f| f.text.clone());
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

/// One plan's headline results, as the report writes them.
fn results(p: &Plan) -> Value {
    let r = report::report(p);
    json!({ "plan": r.plan, "capacity": r.capacity, "latency_ms": r.latency_ms, "verdict": r.verdict })
}

/// The JSON document: `changes[]`, `plans[]`, `files[]`.
pub fn to_json(a: &Plan, b: &Plan, files: &[(String, String)]) -> Value {
    let changes: Vec<Value> = changes(a, b).into_iter().map(|c| json!({ "key": c.key, "from": c.from, "to": c.to })).collect();
    let files: Vec<Value> = files.iter().map(|(name, diff)| json!({ "name": name, "diff": diff })).collect();
    json!({ "changes": changes, "plans": [results(a), results(b)], "files": files })
}

/// The text: the changes, the results side by side with which way is better, the diffs.
pub fn to_text(a: &Plan, b: &Plan, files: &[(String, String)]) -> String {
    let changes = changes(a, b);
    if changes.is_empty() {
        return "No changes: the plans are the same.\n".to_string();
    }
    let mut out = String::from("Changes (A → B):\n");
    let width = changes.iter().map(|c| c.key.len()).max().unwrap_or(0);
    let shown = |v: &str| if v.is_empty() { "auto".to_string() } else { v.to_string() };
    for c in &changes {
        out.push_str(&format!("  {:<width$}  {} → {}\n", c.key, shown(&c.from), shown(&c.to)));
    }
    let (ra, rb) = (report::report(a), report::report(b));
    let way = |x: f64, y: f64, higher_better: bool| match x.partial_cmp(&y) {
        Some(std::cmp::Ordering::Equal) | None => "same",
        Some(o) if (o == std::cmp::Ordering::Less) == higher_better => "better",
        _ => "worse",
    };
    let p95 = |r: &report::Report| r.latency_ms.p95;
    out.push_str("\nResults (A → B):\n");
    out.push_str(&format!("  capacity   {} → {} r/s ({})\n", whole(ra.capacity.rps), whole(rb.capacity.rps), way(ra.capacity.rps, rb.capacity.rps, true)));
    match (p95(&ra), p95(&rb)) {
        (Some(x), Some(y)) => out.push_str(&format!("  p95        {} → {} ms ({})\n", whole(x), whole(y), way(x, y, false))),
        (x, y) => out.push_str(&format!("  p95        {} → {} ms\n", x.map_or("unbounded".into(), whole), y.map_or("unbounded".into(), whole))),
    }
    out.push_str(&format!("  bottleneck {} → {}\n", ra.capacity.bottleneck, rb.capacity.bottleneck));
    out.push_str(&format!("  verdict    {} → {}\n", ra.verdict.fit, rb.verdict.fit));
    out.push_str(&format!("\nFiles that differ: {}\n", files.len()));
    for (_, d) in files {
        out.push('\n');
        out.push_str(d);
    }
    out
}
