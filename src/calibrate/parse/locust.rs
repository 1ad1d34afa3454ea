//! locust's `--csv` files, as `StatsCSV` in locustio/locust `locust/stats.py` writes them;
//! columns are found by their header names.
//!
//! `PREFIX_stats.csv` (`Type,Name,Request Count,Failure Count,…,Requests/s,…,50%,…,100%`):
//! one run from the `Aggregated` row: throughput `Requests/s`, requests `Request Count`,
//! errors `Failure Count`, mean `Average Response Time`, max `Max Response Time`,
//! percentiles the `50%` … `100%` columns (whole ms). It has no user count.
//!
//! `PREFIX_stats_history.csv` (`Timestamp,User Count,Type,Name,Requests/s,…,50%,…,
//! Total Request Count,Total Failure Count,…`): one run per step of the user count,
//! read from its `Aggregated` rows (rows with 0 users are skipped). A step's requests and
//! errors are the growth of `Total Request Count` and `Total Failure Count` from the
//! previous step's last row to its own last row, its duration the time between them, and
//! its throughput requests / duration: the `Requests/s` column is a rolling average that
//! lags a step by seconds (locust 2.47 printed 83 req/s in a second that completed 454),
//! so it is only the fallback when the timestamps do not advance. Its percentiles are its
//! last row's (locust's latest window).

use super::super::run::{Draft, ParseError, Run, Tool};
use super::super::units;
use super::csv::fields;

/// Whether the text is one of locust's CSV files.
pub(crate) fn detect(text: &str) -> bool {
    let head = text.trim_start();
    head.starts_with("Type,Name,Request Count") || head.starts_with("\"Type\",\"Name\",\"Request Count\"") || is_history(head)
}

fn is_history(head: &str) -> bool {
    head.starts_with("Timestamp,User Count") || head.starts_with("\"Timestamp\",\"User Count\"")
}

pub(crate) fn parse(text: &str) -> Result<Vec<Run>, ParseError> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let Some((h, header)) = lines.next() else { return Ok(Vec::new()) };
    let header = Header(fields(header.trim(), ','), h + 1);
    let rows: Vec<Row> = lines
        .map(|(i, l)| Row { n: i + 1, cells: fields(l.trim(), ',') })
        .filter(|r| header.cell(r, "Name") == Some("Aggregated"))
        .collect();
    if is_history(text.trim_start()) {
        history(&header, &rows)
    } else {
        let row = rows.last().ok_or_else(|| ParseError::new(header.1, "this locust CSV has no Aggregated row"))?;
        stats(&header, row).map(|run| vec![run])
    }
}

struct Header(Vec<String>, usize);
struct Row {
    n: usize,
    cells: Vec<String>,
}

impl Header {
    fn cell<'a>(&self, row: &'a Row, name: &str) -> Option<&'a str> {
        let i = self.0.iter().position(|h| h == name)?;
        row.cells.get(i).map(String::as_str)
    }

    /// The number in column `name`; None when the column is absent or `N/A`.
    fn number(&self, row: &Row, name: &str) -> Result<Option<f64>, ParseError> {
        match self.cell(row, name).map(str::trim) {
            None | Some("N/A" | "") => Ok(None),
            Some(text) => units::number(text, row.n, name).map(Some),
        }
    }

    /// The `NN%` columns, in ms.
    fn percentiles(&self, row: &Row, d: &mut Draft) -> Result<(), ParseError> {
        for name in &self.0 {
            let Some(percent) = name.strip_suffix('%') else { continue };
            let Ok(p) = percent.parse::<f64>() else { continue };
            if let Some(ms) = self.number(row, name)? {
                d.percentile(row.n, p, ms)?;
            }
        }
        Ok(())
    }
}

fn stats(h: &Header, row: &Row) -> Result<Run, ParseError> {
    let mut d = Draft::at(row.n);
    d.throughput_rps = h.number(row, "Requests/s")?;
    d.requests = h.number(row, "Request Count")?.map(units::clamp_count);
    d.errors = h.number(row, "Failure Count")?.map_or(0, units::clamp_count);
    d.mean_ms = h.number(row, "Average Response Time")?;
    d.max_ms = h.number(row, "Max Response Time")?;
    if let (Some(count), Some(rate)) = (h.number(row, "Request Count")?, d.throughput_rps) {
        d.duration_s = (rate > 0.0).then(|| count / rate).filter(|s| s.is_finite());
    }
    h.percentiles(row, &mut d)?;
    d.finish(Tool::Locust, "Requests/s")
}

fn history(h: &Header, rows: &[Row]) -> Result<Vec<Run>, ParseError> {
    let mut runs = Vec::new();
    // The previous step's last (timestamp, total requests, total failures).
    let mut before: Option<(f64, f64, f64)> = None;
    let mut i = 0;
    while let Some(first) = rows.get(i) {
        let users = h.number(first, "User Count")?.unwrap_or(0.0);
        let len = rows[i..].iter().take_while(|r| h.number(r, "User Count").ok().flatten().unwrap_or(0.0) == users).count();
        let step = &rows[i..i + len.max(1)];
        i += len.max(1);
        let last = step.last().unwrap_or(first);
        let totals = (
            h.number(last, "Timestamp")?.unwrap_or(0.0),
            h.number(last, "Total Request Count")?.unwrap_or(0.0),
            h.number(last, "Total Failure Count")?.unwrap_or(0.0),
        );
        let previous = before.replace(totals);
        if users == 0.0 {
            continue;
        }
        let mut d = Draft::at(first.n);
        d.concurrency = Some(users);
        let (t0, r0, f0) = previous.unwrap_or((h.number(first, "Timestamp")?.unwrap_or(totals.0), 0.0, 0.0));
        let seconds = (totals.0 - t0).max(0.0);
        let requests = (totals.1 - r0).max(0.0);
        d.duration_s = Some(seconds);
        d.requests = Some(units::clamp_count(requests));
        d.errors = units::clamp_count(totals.2 - f0);
        d.throughput_rps = if seconds > 0.0 && (requests / seconds).is_finite() {
            Some(requests / seconds)
        } else {
            let mut sum = 0.0;
            for row in step {
                sum += h.number(row, "Requests/s")?.unwrap_or(0.0);
            }
            Some(sum / step.len() as f64).filter(|x| x.is_finite())
        };
        h.percentiles(last, &mut d)?;
        runs.push(d.finish(Tool::Locust, "Requests/s")?);
    }
    Ok(runs)
}
