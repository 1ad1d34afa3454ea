//! `planner diff`: two plans side by side (issue 23): the inputs that differ, each plan's
//! capacity, latency and verdict, and each exported file as a unified diff from the first
//! plan's to the second's (what to change in production to go from one to the other).
//! What it compares is the library's ([`planner::export::compare`]), shared with the
//! page's "Compare plans"; this file writes it as text and JSON.

use serde_json::{json, Value};

use planner::export::compare::{changes, way, Better};
pub use planner::export::compare::files;
use planner::model::figure::whole;
use planner::model::{report, Plan};

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
    let way = |x: f64, y: f64, higher_better: bool| way(x, y, if higher_better { Better::Higher } else { Better::Lower }).word();
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
