//! k6's end-of-test summary and its `--summary-export` JSON (grafana/k6
//! `internal/js/summary.js` and `lib/summary.go`; the legacy layout before v0.55 and the
//! grouped one after, `█ TOTAL RESULTS` / `HTTP` / `EXECUTION`):
//!
//! ```text
//!   execution: local                                  <- a run starts (or `running (…)`)
//! running (10.0s), 00/80 VUs, 40495 complete …        <- duration
//!   http_req_duration....: avg=19.74ms min=689µs med=18.63ms max=118.55ms p(90)=32.18ms p(95)=37.97ms
//!   http_req_failed......: 0.00%  ✓ 0  ✗ 40495        <- errors: the ✓ count (legacy)
//!   http_req_failed......: 9.87%  131 out of 1327     <- errors: 131 (v0.55+)
//!   http_reqs............: 40495  4044.482011/s       <- requests, throughput
//!   vus..................: 80     min=80  max=80      <- concurrency: max
//!   vus_max..............: 80     min=80  max=80      <- (when no vus line)
//! ```
//!
//! The `{ expected_response:true }` sub-line is skipped. Percentiles are those the
//! summary shows: p(90) and p(95) by default (and `med` as 50 %); p(99) only when
//! `--summary-trend-stats` asks for it. `http_req_failed` counts status ≥ 400 as well as
//! transport errors; it is read as the errors, and non-2xx stays 0.
//!
//! The export (`--summary-export`, and `handleSummary`'s data, whose statistics sit
//! under `values`): `metrics.http_reqs.count/rate`, `metrics.http_req_duration` (ms),
//! `metrics.http_req_failed.passes` (the failed requests), `metrics.vus.max` or
//! `metrics.vus_max.max`. The duration is not exported: it is count / rate.

use super::super::run::{Draft, ParseError, Run, Tool};
use super::super::units;
use super::{json_number, Lines};
use crate::share::json::Value;

#[derive(Default)]
pub(crate) struct K6;

impl Lines for K6 {
    fn starts(line: &str) -> bool {
        line.starts_with("execution:") || line.contains("TOTAL RESULTS") || line.starts_with("running (")
    }

    fn read(&mut self, d: &mut Draft, n: usize, line: &str) -> Result<(), ParseError> {
        if let Some(rest) = line.strip_prefix("running (") {
            let took = rest.split(')').next().unwrap_or("");
            d.duration_s = Some(units::duration_ms(took, n, "running time")? / 1e3);
            return Ok(());
        }
        let Some((name, values)) = metric(line) else { return Ok(()) };
        let words: Vec<&str> = values.split_whitespace().collect();
        match name {
            "http_reqs" => {
                d.requests = Some(units::count(words.first().copied().unwrap_or(""), n, "http_reqs")?);
                let rate = words.get(1).copied().unwrap_or("");
                d.throughput_rps = Some(units::number(rate.trim_end_matches("/s"), n, "http_reqs rate")?);
            }
            "http_req_duration" => {
                for word in words {
                    let Some((stat, value)) = word.split_once('=') else { continue };
                    let ms = units::duration_ms(value, n, "http_req_duration")?;
                    trend_stat(d, n, stat, ms)?;
                }
            }
            "http_req_failed" => {
                // "9.87%  131 out of 1327", or legacy "0.00%  ✓ 0  ✗ 40495".
                let failed = match words.iter().position(|w| *w == "✓") {
                    Some(i) => words.get(i + 1),
                    None => words.get(1),
                };
                d.errors = units::count(failed.copied().unwrap_or(""), n, "http_req_failed")?;
            }
            "vus" | "vus_max" if name == "vus" || d.concurrency.is_none() => {
                let max = words.iter().find_map(|w| w.strip_prefix("max=")).or(words.first().copied());
                d.concurrency = Some(units::number(max.unwrap_or(""), n, name)?);
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(self, draft: Draft) -> Result<Run, ParseError> {
        draft.finish(Tool::K6, "http_reqs")
    }
}

/// `http_reqs......................: 40495  4044.48/s` → (`http_reqs`, `40495  4044.48/s`).
/// Sub-metrics (`{ expected_response:true }...`) and checks (`✓ status is 200`) are None.
fn metric(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start_matches(['✓', '✗', ' ']);
    let end = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    let (name, rest) = line.split_at(end);
    let rest = rest.trim_start_matches('.').strip_prefix(':')?;
    (!name.is_empty()).then_some((name, rest.trim()))
}

/// One trend statistic of `http_req_duration`, in ms.
fn trend_stat(d: &mut Draft, n: usize, stat: &str, ms: f64) -> Result<(), ParseError> {
    match stat {
        "avg" => d.mean_ms = Some(ms),
        "max" => d.max_ms = Some(ms),
        "med" => d.percentile(n, 50.0, ms)?,
        _ => {
            if let Some(p) = stat.strip_prefix("p(").and_then(|p| p.strip_suffix(')')) {
                d.percentile(n, units::number(p, n, "http_req_duration percentile")?, ms)?;
            }
        }
    }
    Ok(())
}

/// A `--summary-export` (or `handleSummary`) document.
pub(crate) fn json(doc: &Value) -> Result<Run, ParseError> {
    let n = 1;
    let metrics = doc.get("metrics");
    // handleSummary nests a metric's statistics under `values`; the export does not.
    let stats = |name: &str| {
        let m = metrics.and_then(|m| m.get(name));
        m.and_then(|m| m.get("values")).or(m)
    };
    let stat = |name: &str, key: &str| json_number(stats(name).and_then(|s| s.get(key)), n, key);
    let mut d = Draft::at(n);
    d.throughput_rps = stat("http_reqs", "rate")?;
    d.requests = stat("http_reqs", "count")?.map(units::clamp_count);
    if let (Some(count), Some(rate)) = (stat("http_reqs", "count")?, d.throughput_rps) {
        d.duration_s = (rate > 0.0).then(|| count / rate).filter(|s| s.is_finite());
    }
    if let Some(Value::Object(members)) = stats("http_req_duration") {
        for (key, value) in members {
            if let Some(ms) = json_number(Some(value), n, key)? {
                trend_stat(&mut d, n, key, ms)?;
            }
        }
    }
    d.errors = stat("http_req_failed", "passes")?.map_or(0, units::clamp_count);
    d.concurrency = match stat("vus", "max")? {
        Some(vus) => Some(vus),
        None => stat("vus_max", "max")?.or(stat("vus_max", "value")?),
    };
    d.finish(Tool::K6, "metrics.http_reqs.rate")
}
