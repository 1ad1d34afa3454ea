//! oha, text and `--json`, as `print_summary` and `print_json` in hatoo/oha
//! `src/printer.rs` write them.
//!
//! Text: hey's layout (see `hey.rs`, whose reader this uses) plus `Success rate:` (the
//! share of requests that got any answer, not of 2xx; a fraction in older releases: not
//! read, the errors come from `Error distribution`). Percentiles are under `Response time
//! distribution:` (`10.00% in 0.0010 sec`; older releases: `Latency distribution:`,
//! `10% in 0.0010 secs`). oha does not print its concurrency (`-c`, default 50).
//!
//! JSON: `summary.requestsPerSec` (throughput), `summary.total` (duration, s),
//! `summary.average` and `summary.slowest` (s), `latencyPercentiles.p10 … p99.99` (s;
//! null when there were no answers), `statusCodeDistribution` (`{"200": n}`: the
//! requests and non-2xx), `errorDistribution` (`{"aborted due to deadline": n}`: errors).

use super::super::run::{Draft, ParseError, Run, Tool};
use super::super::units;
use super::hey::Summary;
use super::{json_number, members, status, Lines};
use crate::share::json::Value;

#[derive(Default)]
pub(crate) struct Oha(Summary);

impl Lines for Oha {
    fn starts(line: &str) -> bool {
        Summary::starts(line)
    }

    fn read(&mut self, d: &mut Draft, n: usize, line: &str) -> Result<(), ParseError> {
        self.0.read(d, n, line)
    }

    fn finish(self, draft: Draft) -> Result<Run, ParseError> {
        draft.finish(Tool::Oha, "Requests/sec:")
    }
}

/// One `oha --json` document. Errors name line 1: the document is one value.
pub(crate) fn json(doc: &Value) -> Result<Run, ParseError> {
    let n = 1;
    let summary = doc.get("summary");
    let field = |key: &str| json_number(summary.and_then(|s| s.get(key)), n, key);
    let mut d = Draft::at(n);
    d.throughput_rps = field("requestsPerSec")?;
    d.duration_s = field("total")?;
    d.mean_ms = field("average")?.map(|s| s * 1e3);
    d.max_ms = field("slowest")?.map(|s| s * 1e3);
    for (key, value) in members(doc.get("latencyPercentiles")) {
        let Some(percent) = key.strip_prefix('p') else { continue };
        let p = units::number(percent, n, "latencyPercentiles key")?;
        if let Some(s) = json_number(Some(value), n, key)? {
            d.percentile(n, p, s * 1e3)?;
        }
    }
    for (code, count) in members(doc.get("statusCodeDistribution")) {
        let count = json_number(Some(count), n, "statusCodeDistribution")?.unwrap_or(0.0);
        status(&mut d, n, code, &count.to_string())?;
    }
    for (_what, count) in members(doc.get("errorDistribution")) {
        let count = json_number(Some(count), n, "errorDistribution")?.unwrap_or(0.0);
        d.add_errors(units::clamp_count(count));
    }
    d.finish(Tool::Oha, "summary.requestsPerSec")
}
