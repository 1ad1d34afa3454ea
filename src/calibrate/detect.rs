//! Which tool printed a text: each tool's output has lines no other tool prints. JSON
//! is told apart by its members; CSV by its header (locust) or its numbers.

use super::parse::{csv, locust};
use super::run::Tool;
use crate::share::json::Value;

/// The tool a text output comes from, by the first line that only one tool prints.
pub(crate) fn text(text: &str) -> Option<Tool> {
    if locust::detect(text) {
        return Some(Tool::Locust);
    }
    for line in text.lines().map(str::trim) {
        let tool = if line.starts_with("Requests") && line.contains("[total, rate") {
            Tool::Vegeta
        } else if line.starts_with("This is ApacheBench") || line.starts_with("Requests per second:") {
            Tool::Ab
        } else if line.starts_with("http_reqs") || line.starts_with("http_req_duration") {
            Tool::K6
        } else if line.starts_with("Transaction rate:") {
            Tool::Siege
        } else if (line.starts_with("Running ") && line.contains(" test @ "))
            || line.ends_with(" connections") && line.contains(" threads and ")
            || line.starts_with("Transfer/sec:")
        {
            Tool::Wrk
        } else if line.starts_with("Success rate:") || line == "Response time distribution:" {
            Tool::Oha
        } else {
            continue;
        };
        return Some(tool);
    }
    // hey and old oha share every line but oha's `Success rate:`, looked for above.
    if text.lines().any(|l| l.trim() == "Summary:") && text.contains("Requests/sec:") {
        return Some(Tool::Hey);
    }
    csv::detect(text).then_some(Tool::Csv)
}

/// The tool a JSON document comes from.
pub(crate) fn json(doc: &Value) -> Option<Tool> {
    if doc.get("summary").and_then(|s| s.get("requestsPerSec")).is_some() {
        Some(Tool::Oha)
    } else if doc.get("metrics").and_then(|m| m.get("http_reqs")).is_some() {
        Some(Tool::K6)
    } else if doc.get("transaction_rate").is_some() {
        Some(Tool::Siege)
    } else if doc.get("latencies").is_some() && (doc.get("throughput").is_some() || doc.get("rate").is_some()) {
        Some(Tool::Vegeta)
    } else {
        None
    }
}
