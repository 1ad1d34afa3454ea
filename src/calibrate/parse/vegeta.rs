//! vegeta's `report` (text) and `report -type=json`, as tsenart/vegeta
//! `lib/reporters.go` (`NewTextReporter`, `NewJSONReporter`) and its README print them:
//!
//! ```text
//! Requests      [total, rate, throughput]         1200, 120.00, 65.87      <- a run starts
//! Duration      [total, attack, wait]             10.09s, 9.94s, 145.08ms  <- duration: total
//! Latencies     [min, mean, 50, 90, 95, 99, max] 90.43ms, 113.17ms, …     <- mean, percentiles, max
//! Status Codes  [code:count]                      0:535  200:665           <- 0: errors; others: non-2xx
//! ```
//!
//! The labels in brackets name the values (older releases print no `90`). vegeta is
//! open loop: `rate` is the offered rate, `throughput` the successful requests per
//! second over the whole test; it has no concurrency. JSON: `latencies.mean`, `50th`,
//! `90th`, `95th`, `99th`, `max` and `duration`, `wait` in nanoseconds; `requests`,
//! `rate`, `throughput`, `status_codes`.

use super::super::run::{Draft, ParseError, Run, Tool};
use super::super::units;
use super::{json_number, members, status, Lines};
use crate::share::json::Value;

#[derive(Default)]
pub(crate) struct Vegeta {
    /// `Requests [total, …]`: the requests sent (the status codes add up the answers).
    total: Option<u64>,
}

impl Lines for Vegeta {
    fn starts(line: &str) -> bool {
        line.starts_with("Requests") && line.contains("[total, rate")
    }

    fn read(&mut self, d: &mut Draft, n: usize, line: &str) -> Result<(), ParseError> {
        let Some((name, labels, values)) = labelled(line) else { return Ok(()) };
        if name == "Status Codes" {
            for pair in values.split_whitespace() {
                let (code, count) = pair.split_once(':').unwrap_or((pair, ""));
                status(d, n, code, count)?;
            }
            return Ok(());
        }
        let values: Vec<&str> = values.split(',').map(str::trim).collect();
        for (label, value) in labels.split(',').map(str::trim).zip(values) {
            match (name, label) {
                ("Requests", "total") => self.total = Some(units::count(value, n, "Requests total")?),
                ("Requests", "rate") => d.rate_rps = Some(units::number(value, n, "Requests rate")?),
                ("Requests", "throughput") => d.throughput_rps = Some(units::number(value, n, "Requests throughput")?),
                ("Duration", "total") => d.duration_s = Some(units::duration_ms(value, n, "Duration total")? / 1e3),
                ("Latencies", label) => {
                    let ms = units::duration_ms(value, n, "Latencies")?;
                    match label {
                        "min" => {}
                        "mean" => d.mean_ms = Some(ms),
                        "max" => d.max_ms = Some(ms),
                        p => d.percentile(n, units::number(p, n, "Latencies label")?, ms)?,
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn finish(self, mut draft: Draft) -> Result<Run, ParseError> {
        draft.requests = self.total.or(draft.requests);
        // Releases before the throughput column: the rate is all there is.
        if draft.throughput_rps.is_none() {
            draft.throughput_rps = draft.rate_rps;
        }
        draft.finish(Tool::Vegeta, "Requests [total, rate, throughput]")
    }
}

/// `Latencies     [min, mean, 50] 1ms, 2ms, 3ms` → (`Latencies`, `min, mean, 50`, `1ms, 2ms, 3ms`).
fn labelled(line: &str) -> Option<(&str, &str, &str)> {
    let (name, rest) = line.split_once('[')?;
    let (labels, values) = rest.split_once(']')?;
    Some((name.trim(), labels, values.trim()))
}

/// A `report -type=json` document.
pub(crate) fn json(doc: &Value) -> Result<Run, ParseError> {
    let n = 1;
    let ns = |v: Option<f64>| v.map(|ns| ns / 1e6);
    let latencies = doc.get("latencies");
    let mut d = Draft::at(n);
    d.throughput_rps = json_number(doc.get("throughput"), n, "throughput")?;
    d.rate_rps = json_number(doc.get("rate"), n, "rate")?;
    let total = json_number(doc.get("requests"), n, "requests")?.map(units::clamp_count);
    let duration = json_number(doc.get("duration"), n, "duration")?;
    let wait = json_number(doc.get("wait"), n, "wait")?.unwrap_or(0.0);
    d.duration_s = duration.map(|ns| (ns + wait) / 1e9);
    for (key, value) in members(latencies) {
        let Some(ms) = ns(json_number(Some(value), n, key)?) else { continue };
        match key.as_str() {
            "mean" => d.mean_ms = Some(ms),
            "max" => d.max_ms = Some(ms),
            k => {
                if let Some(p) = k.strip_suffix("th") {
                    d.percentile(n, units::number(p, n, "latencies key")?, ms)?;
                }
            }
        }
    }
    for (code, count) in members(doc.get("status_codes")) {
        let count = json_number(Some(count), n, "status_codes")?.unwrap_or(0.0);
        status(&mut d, n, code, &count.to_string())?;
    }
    d.requests = total.or(d.requests);
    if d.throughput_rps.is_none() {
        d.throughput_rps = d.rate_rps;
    }
    d.finish(Tool::Vegeta, "throughput")
}
