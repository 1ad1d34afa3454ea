//! What a load test measured, as the calibration reads it: one [`Run`] per test, the
//! [`Tool`] that printed it, and a [`ParseError`] naming the line a figure could not be
//! read from. A [`Draft`] collects a run's figures while its lines are read; `finish`
//! turns it into a `Run` once the run's last line is read.

use std::fmt;
use std::str::FromStr;

/// The load-test tools whose output [`crate::calibrate::parse`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tool {
    Wrk,
    Wrk2,
    Oha,
    Hey,
    Ab,
    Siege,
    K6,
    Vegeta,
    Locust,
    /// Plain `concurrency,throughput[,latency_ms]` rows.
    Csv,
}

impl Tool {
    pub const ALL: [Tool; 10] =
        [Tool::Wrk, Tool::Wrk2, Tool::Oha, Tool::Hey, Tool::Ab, Tool::Siege, Tool::K6, Tool::Vegeta, Tool::Locust, Tool::Csv];

    /// The tool's name as its users write it.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Wrk => "wrk",
            Tool::Wrk2 => "wrk2",
            Tool::Oha => "oha",
            Tool::Hey => "hey",
            Tool::Ab => "ab",
            Tool::Siege => "siege",
            Tool::K6 => "k6",
            Tool::Vegeta => "vegeta",
            Tool::Locust => "locust",
            Tool::Csv => "CSV",
        }
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Tool {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Tool::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown load-test tool {s:?}"))
    }
}

/// One load test's figures. Latencies are in milliseconds, whatever unit the tool printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub tool: Tool,
    /// 1-based line where this run starts in the input.
    pub line: usize,
    /// Connections / VUs / users / Concurrency Level; None when not printed.
    pub concurrency: Option<f64>,
    /// Offered rate of open-loop tools (vegeta's `rate`); None when not printed.
    pub rate_rps: Option<f64>,
    /// Completed requests per second over the whole test.
    pub throughput_rps: f64,
    pub requests: Option<u64>,
    pub duration_s: Option<f64>,
    pub mean_ms: Option<f64>,
    /// (percent, ms), ascending in both.
    pub percentiles_ms: Vec<(f64, f64)>,
    pub max_ms: Option<f64>,
    /// Transport errors / failed requests.
    pub errors: u64,
    pub non_2xx: u64,
}

impl Run {
    /// What the calibration fits: open loop for the tools that offer a fixed rate (vegeta,
    /// wrk2; their latency is measured from when each request was due), closed otherwise.
    // Source: vegeta's README ("constant request rate"); wrk2's README (-R, "corrected"
    // latency against coordinated omission).
    pub fn observed(&self) -> crate::model::calibration::Observed {
        crate::model::calibration::Observed {
            concurrency: self.concurrency,
            open_loop: matches!(self.tool, Tool::Vegeta | Tool::Wrk2) || self.rate_rps.is_some(),
            throughput_rps: self.throughput_rps,
            mean_ms: self.mean_ms,
            percentiles_ms: self.percentiles_ms.clone(),
            host: String::new(),
        }
    }

    /// The latency at `percent`, when the tool printed it.
    pub fn percentile_ms(&self, percent: f64) -> Option<f64> {
        self.percentiles_ms.iter().find(|(p, _)| *p == percent).map(|(_, ms)| *ms)
    }
}

/// Why a text could not be read, and the 1-based line. Displays as `line N: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> Self {
        ParseError { line, message: message.into() }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// A run being read: every figure optional until [`Draft::finish`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Draft {
    pub line: usize,
    pub concurrency: Option<f64>,
    pub rate_rps: Option<f64>,
    pub throughput_rps: Option<f64>,
    pub requests: Option<u64>,
    pub duration_s: Option<f64>,
    pub mean_ms: Option<f64>,
    pub percentiles_ms: Vec<(f64, f64)>,
    pub max_ms: Option<f64>,
    pub errors: u64,
    pub non_2xx: u64,
}

impl Draft {
    pub fn at(line: usize) -> Self {
        Draft { line, ..Draft::default() }
    }

    /// Adds `n` transport errors (saturating: a pasted count cannot wrap).
    pub fn add_errors(&mut self, n: u64) {
        self.errors = self.errors.saturating_add(n);
    }

    pub fn add_non_2xx(&mut self, n: u64) {
        self.non_2xx = self.non_2xx.saturating_add(n);
    }

    /// Records the latency at `percent`, read on `line`; a percent outside 0–100 is an error.
    pub fn percentile(&mut self, line: usize, percent: f64, ms: f64) -> Result<(), ParseError> {
        if !(0.0..=100.0).contains(&percent) {
            return Err(ParseError::new(line, format!("percentile {}% is not between 0 and 100", short(percent))));
        }
        self.percentiles_ms.retain(|(p, _)| *p != percent);
        self.percentiles_ms.push((percent, ms));
        Ok(())
    }

    /// The run, once its throughput is known. `throughput_label` names the line the tool
    /// prints it on, for the message when it is missing (a truncated paste).
    pub fn finish(mut self, tool: Tool, throughput_label: &str) -> Result<Run, ParseError> {
        let Some(throughput_rps) = self.throughput_rps else {
            return Err(ParseError::new(
                self.line,
                format!("this {tool} output has no throughput ({throughput_label}); was it cut short?"),
            ));
        };
        // Each figure was checked as read; one scaled since (seconds to ms, ns to ms) or
        // divided (count / rate) can still overflow.
        let figures = [
            ("concurrency", self.concurrency),
            ("rate", self.rate_rps),
            ("throughput", Some(throughput_rps)),
            ("duration", self.duration_s),
            ("mean latency", self.mean_ms),
            ("max latency", self.max_ms),
        ];
        let latencies = self.percentiles_ms.iter().map(|(_, ms)| ("a percentile latency", Some(*ms)));
        for (field, value) in figures.into_iter().chain(latencies) {
            if value.is_some_and(|v| !(v.is_finite() && v >= 0.0)) {
                return Err(ParseError::new(self.line, format!("the {field} is out of range")));
            }
        }
        self.percentiles_ms.sort_by(|a, b| a.0.total_cmp(&b.0));
        // A latency that falls as the percent rises is a misread or edited figure.
        if let Some(w) = self.percentiles_ms.windows(2).find(|w| w[1].1 < w[0].1) {
            return Err(ParseError::new(
                self.line,
                format!(
                    "the {}% latency ({} ms) is below the {}% latency ({} ms)",
                    short(w[1].0),
                    short(w[1].1),
                    short(w[0].0),
                    short(w[0].1)
                ),
            ));
        }
        Ok(Run {
            tool,
            line: self.line,
            concurrency: self.concurrency,
            rate_rps: self.rate_rps,
            throughput_rps,
            requests: self.requests,
            duration_s: self.duration_s,
            mean_ms: self.mean_ms,
            percentiles_ms: self.percentiles_ms,
            max_ms: self.max_ms,
            errors: self.errors,
            non_2xx: self.non_2xx,
        })
    }
}

/// A number for a message: `{}` unless that would be long (`1e-320` prints 320 digits).
fn short(x: f64) -> String {
    if x != 0.0 && !(1e-4..1e15).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}
