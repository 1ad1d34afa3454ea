//! wrk and wrk2, as `print_stats_header`/`print_stats`/`print_stats_latency` and `main` in
//! wg/wrk `src/wrk.c` (and giltene/wrk2 `src/wrk.c`) print them:
//!
//! ```text
//! Running 10s test @ http://127.0.0.1:8000/          <- a run starts
//!   2 threads and 10 connections                     <- concurrency (connections)
//!   Thread Stats   Avg      Stdev     Max   +/- Stdev
//!     Latency   635.91us    0.89ms  12.92ms   93.15%  <- mean, max
//!     Req/Sec     8.26k   644.53     9.59k    76.00%  <- per thread: ignored
//!   Latency Distribution                             <- only with --latency: 50/75/90/99
//!      50%  491.00us
//!   164271 requests in 10.00s, 24.85MB read          <- requests, duration
//!   Socket errors: connect 0, read 5, write 0, timeout 2     <- errors (only when any)
//!   Non-2xx or 3xx responses: 164271                 <- non-2xx (only when any)
//! Requests/sec:  16426.16                            <- throughput (whole test)
//! ```
//!
//! wrk2 (a `Thread calibration:` line or an `HdrHistogram` header) prints its
//! percentiles under `Latency Distribution (HdrHistogram - Recorded Latency)`, the
//! latency corrected for coordinated omission, which is the one read; with `-U` a second
//! `… Uncorrected Latency …` block follows and is skipped, as are the `Detailed
//! Percentile spectrum` rows (no `%`). wrk2's `-R` rate is not printed: `rate_rps` is None.

use super::super::run::{Draft, ParseError, Run, Tool};
use super::super::units;
use super::{after, first_word, Lines};

#[derive(Default)]
pub(crate) struct Wrk {
    wrk2: bool,
    block: Block,
}

/// Which latency distribution the lines being read belong to.
#[derive(Default, PartialEq)]
enum Block {
    #[default]
    None,
    Recorded,
    Uncorrected,
}

impl Lines for Wrk {
    fn starts(line: &str) -> bool {
        line.starts_with("Running ") && line.contains(" test @ ")
    }

    fn read(&mut self, d: &mut Draft, n: usize, line: &str) -> Result<(), ParseError> {
        if line.starts_with("Thread calibration:") || line.contains("HdrHistogram") {
            self.wrk2 = true;
        }
        if line.starts_with("Latency Distribution") {
            self.block = if line.contains("Uncorrected") { Block::Uncorrected } else { Block::Recorded };
            return Ok(());
        }
        if self.block != Block::None {
            if let Some((percent, value)) = percent_row(line) {
                if self.block == Block::Recorded {
                    let p = units::number(percent, n, "latency percentile")?;
                    d.percentile(n, p, units::duration_ms(value, n, "latency")?)?;
                }
                return Ok(());
            }
            self.block = Block::None;
        }
        if let Some(rest) = line.strip_suffix(" connections") {
            if let Some((_, connections)) = rest.split_once(" threads and ") {
                d.concurrency = Some(units::number(connections, n, "connections")?);
            }
        } else if let Some(rest) = after(line, "Latency ") {
            // Thread Stats: Avg, Stdev, Max, +/- Stdev.
            let cols: Vec<&str> = rest.split_whitespace().collect();
            if let [avg, _stdev, max, ..] = cols.as_slice() {
                d.mean_ms = Some(units::duration_ms(avg, n, "latency Avg")?);
                d.max_ms = Some(units::duration_ms(max, n, "latency Max")?);
            }
        } else if let Some((count, rest)) = line.split_once(" requests in ") {
            d.requests = Some(units::count(count, n, "requests")?);
            let took = rest.split(',').next().unwrap_or("");
            d.duration_s = Some(units::duration_ms(took, n, "test duration")? / 1e3);
        } else if let Some(rest) = after(line, "Socket errors:") {
            for part in rest.split(',') {
                let count = part.split_whitespace().last().unwrap_or("");
                d.add_errors(units::count(count, n, "socket errors")?);
            }
        } else if let Some(rest) = after(line, "Non-2xx or 3xx responses:") {
            d.add_non_2xx(units::count(rest, n, "Non-2xx or 3xx responses")?);
        } else if let Some(rest) = after(line, "Requests/sec:") {
            d.throughput_rps = Some(units::number(first_word(rest), n, "Requests/sec")?);
        }
        Ok(())
    }

    fn finish(self, draft: Draft) -> Result<Run, ParseError> {
        draft.finish(if self.wrk2 { Tool::Wrk2 } else { Tool::Wrk }, "Requests/sec:")
    }
}

/// `50%  491.00us`, `99.900%   12.30ms` → (`50`, `491.00us`).
fn percent_row(line: &str) -> Option<(&str, &str)> {
    let mut words = line.split_whitespace();
    let percent = words.next()?.strip_suffix('%')?;
    let value = words.next()?;
    words.next().is_none().then_some((percent, value))
}
