//! ApacheBench (`ab`), as `output_results` in Apache httpd `support/ab.c` prints it:
//!
//! ```text
//! This is ApacheBench, Version 2.3 <$Revision: 1903618 $>   <- a run starts
//! Server Software:        …                                 <- (or here, without the banner)
//! Concurrency Level:      10                                <- concurrency
//! Time taken for tests:   1.234 seconds                     <- duration
//! Complete requests:      10000                             <- requests
//! Failed requests:        12                                <- errors…
//!    (Connect: 0, Receive: 0, Length: 12, Exceptions: 0)    <- …less the Length ones
//! Non-2xx responses:      10000                             <- non-2xx (only when any)
//! Requests per second:    8108.60 [#/sec] (mean)            <- throughput
//! Time per request:       1.233 [ms] (mean)                 <- mean (not the "across all" one)
//! Percentage of the requests served within a certain time (ms)
//!   50%      1                                              <- percentiles, whole ms
//!  100%     12 (longest request)                            <- and the max
//! ```
//!
//! A `Length` failure is a body whose length differs from the first response's: a
//! dynamic page, not an error. When ab breaks the failures down, the errors are the
//! Connect, Receive and Exceptions ones.

use super::super::run::{Draft, ParseError, Run, Tool};
use super::super::units;
use super::{after, first_word, Lines};

#[derive(Default)]
pub(crate) struct Ab {
    percentiles: bool,
}

impl Lines for Ab {
    fn starts(line: &str) -> bool {
        line.starts_with("This is ApacheBench") || line.starts_with("Server Software:")
    }

    fn read(&mut self, d: &mut Draft, n: usize, line: &str) -> Result<(), ParseError> {
        if line.starts_with("Percentage of the requests served within") {
            self.percentiles = true;
            return Ok(());
        }
        if self.percentiles {
            let words: Vec<&str> = line.split_whitespace().collect();
            if let Some(percent) = words.first().and_then(|w| w.strip_suffix('%')) {
                let ms = units::duration_ms_or(words.get(1).copied().unwrap_or(""), 1.0, n, "latency")?;
                let p = units::number(percent, n, "latency percentile")?;
                d.percentile(n, p, ms)?;
                if p == 100.0 {
                    d.max_ms = Some(ms);
                }
                return Ok(());
            }
            self.percentiles = false;
        }
        if let Some(v) = after(line, "Concurrency Level:") {
            d.concurrency = Some(units::number(v, n, "Concurrency Level")?);
        } else if let Some(v) = after(line, "Time taken for tests:") {
            d.duration_s = Some(units::duration_ms(v, n, "Time taken for tests")? / 1e3);
        } else if let Some(v) = after(line, "Complete requests:") {
            d.requests = Some(units::count(v, n, "Complete requests")?);
        } else if let Some(v) = after(line, "Failed requests:") {
            d.errors = units::count(v, n, "Failed requests")?;
        } else if let Some(v) = line.strip_prefix("(Connect:").and_then(|v| v.strip_suffix(')')) {
            // "(Connect: 0, Receive: 0, Length: 12, Exceptions: 0)"
            d.errors = 0;
            for part in format!("Connect:{v}").split(',') {
                let (what, count) = part.split_once(':').unwrap_or((part, ""));
                let count = units::count(count, n, "failed requests")?;
                if what.trim() != "Length" {
                    d.add_errors(count);
                }
            }
        } else if let Some(v) = after(line, "Non-2xx responses:") {
            d.add_non_2xx(units::count(v, n, "Non-2xx responses")?);
        } else if let Some(v) = after(line, "Requests per second:") {
            d.throughput_rps = Some(units::number(first_word(v), n, "Requests per second")?);
        } else if let Some(v) = after(line, "Time per request:") {
            if v.ends_with("(mean)") {
                d.mean_ms = Some(units::number(first_word(v), n, "Time per request")?);
            }
        }
        Ok(())
    }

    fn finish(self, draft: Draft) -> Result<Run, ParseError> {
        draft.finish(Tool::Ab, "Requests per second:")
    }
}
