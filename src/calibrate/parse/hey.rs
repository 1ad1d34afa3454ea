//! hey, as the `defaultTmpl` template in rakyll/hey `requester/print.go` prints it, and
//! the summary both hey and oha print (oha copied hey's layout; see `oha.rs`):
//!
//! ```text
//! Summary:                              <- a run starts
//!   Total:        5.0190 secs           <- duration
//!   Slowest:      0.0402 secs           <- max
//!   Average:      0.0021 secs           <- mean
//!   Requests/sec: 4823.2215             <- throughput
//! Latency distribution:
//!   10% in 0.0011 secs                  <- percentiles (10/25/50/75/90/95/99)
//! Status code distribution:
//!   [200] 24207 responses               <- requests; non-2xx
//! Error distribution:
//!   [3]   Get "http://…": dial tcp …    <- errors
//! ```
//!
//! hey prints neither its concurrency (`-c`, default 50) nor the request count: the
//! requests are the responses in `Status code distribution`. Some builds print `10%%`.
//! hey's `Requests/sec` divides every request it ended, errors (timeouts) included, by
//! `Total` (`hey-errors.txt`: 33 answers and 147 timeouts in 4.52 s print 39.83): the
//! figure is read as printed, with the errors beside it.

use super::super::run::{Draft, ParseError, Run, Tool};
use super::super::units;
use super::{after, bracketed, first_word, percent_in, status, Lines};

#[derive(Default)]
pub(crate) struct Hey(pub(crate) Summary);

/// The section of a hey/oha summary being read.
#[derive(Default, Clone, Copy, PartialEq)]
pub(crate) enum Section {
    #[default]
    Summary,
    Percentiles,
    Status,
    Errors,
    Other,
}

/// The reader shared by hey and oha.
#[derive(Default)]
pub(crate) struct Summary {
    section: Section,
}

impl Summary {
    pub(crate) fn starts(line: &str) -> bool {
        line == "Summary:"
    }

    pub(crate) fn read(&mut self, d: &mut Draft, n: usize, line: &str) -> Result<(), ParseError> {
        if let Some(section) = section(line) {
            self.section = section;
            return Ok(());
        }
        match self.section {
            Section::Summary => summary_row(d, n, line),
            Section::Percentiles => match percent_in(line) {
                Some((percent, value)) => {
                    let p = units::number(percent, n, "latency percentile")?;
                    d.percentile(n, p, units::duration_ms_or(value, 1e3, n, "latency")?)
                }
                None => Ok(()),
            },
            Section::Status => match bracketed(line) {
                Some((code, rest)) => status(d, n, code, first_word(rest)),
                None => Ok(()),
            },
            Section::Errors => {
                if let Some((count, _what)) = bracketed(line) {
                    d.add_errors(units::count(count, n, "error count")?);
                }
                Ok(())
            }
            Section::Other => Ok(()),
        }
    }
}

/// The section a heading opens. oha's `(2xx only)` and `(4xx + 5xx only)` breakdowns
/// repeat the whole-test figures split by status: they are skipped.
fn section(line: &str) -> Option<Section> {
    Some(match line {
        "Summary:" => Section::Summary,
        "Latency distribution:" | "Response time distribution:" => Section::Percentiles,
        "Status code distribution:" => Section::Status,
        "Error distribution:" => Section::Errors,
        _ if line.ends_with(':') && !line.contains(char::is_whitespace) => Section::Other,
        _ if line.ends_with("):") || line.starts_with("Response time histogram") || line.starts_with("Details") => {
            Section::Other
        }
        _ => return None,
    })
}

fn summary_row(d: &mut Draft, n: usize, line: &str) -> Result<(), ParseError> {
    if let Some(v) = after(line, "Total:") {
        d.duration_s = Some(units::duration_ms_or(v, 1e3, n, "Total")? / 1e3);
    } else if let Some(v) = after(line, "Slowest:") {
        d.max_ms = Some(units::duration_ms_or(v, 1e3, n, "Slowest")?);
    } else if let Some(v) = after(line, "Average:") {
        d.mean_ms = Some(units::duration_ms_or(v, 1e3, n, "Average")?);
    } else if let Some(v) = after(line, "Requests/sec:") {
        d.throughput_rps = Some(units::number(first_word(v), n, "Requests/sec")?);
    }
    Ok(())
}

impl Lines for Hey {
    fn starts(line: &str) -> bool {
        Summary::starts(line)
    }

    fn read(&mut self, d: &mut Draft, n: usize, line: &str) -> Result<(), ParseError> {
        self.0.read(d, n, line)
    }

    fn finish(self, draft: Draft) -> Result<Run, ParseError> {
        draft.finish(Tool::Hey, "Requests/sec:")
    }
}
