//! siege, as the end-of-battle report of JoeDog/siege `src/main.c` and `src/data.c`
//! prints it:
//!
//! ```text
//! ** SIEGE 4.0.7                                 <- a run starts (or at the next line)
//! ** Preparing 5 concurrent users for battle.   <- configured concurrency (stderr; optional)
//! Transactions:                   4877 hits     <- requests (answers of any status)
//! Elapsed time:                   9.43 secs     <- duration
//! Response time:                  0.01 secs     <- mean (siege 4.1 may print ms)
//! Transaction rate:             517.18 trans/sec <- throughput
//! Concurrency:                    4.97          <- measured concurrency (Little's law)
//! Successful transactions:        4877          <- answers below 400
//! Failed transactions:               0          <- errors (socket failures)
//! Longest transaction:            0.03          <- max (seconds)
//! ```
//!
//! siege 4 prints the same figures as JSON on stdout when `json_output = true` (the
//! default `siege.conf` of 4.0.7): `transactions`, `elapsed_time`, `response_time`,
//! `transaction_rate`, `concurrency`, `successful_transactions`, `failed_transactions`,
//! `longest_transaction` (times in seconds); there the concurrency is the measured one.
//!
//! The concurrency is the configured one when the `Preparing N concurrent users` line is
//! in the paste, else the measured average. Non-2xx are the transactions that were not
//! successful (status 400 and above).

use super::super::run::{Draft, ParseError, Run, Tool};
use super::super::units;
use super::{after, first_word, json_number, Lines};
use crate::share::json::Value;

#[derive(Default)]
pub(crate) struct Siege {
    configured: bool,
    transactions: Option<u64>,
    successful: Option<u64>,
}

impl Lines for Siege {
    fn starts(line: &str) -> bool {
        line.starts_with("** SIEGE")
            || (line.contains("Preparing") && line.contains("concurrent users")) || line.starts_with("Transactions:")
    }

    fn read(&mut self, d: &mut Draft, n: usize, line: &str) -> Result<(), ParseError> {
        if let Some(v) = line.split_once("Preparing ").map(|(_, v)| first_word(v)) {
            if line.contains("concurrent users") {
                d.concurrency = Some(units::number(v, n, "concurrent users")?);
                self.configured = true;
            }
        } else if let Some(v) = after(line, "Transactions:") {
            let hits = units::count(first_word(v), n, "Transactions")?;
            self.transactions = Some(hits);
            d.requests = Some(hits);
        } else if let Some(v) = after(line, "Elapsed time:") {
            d.duration_s = Some(units::duration_ms_or(v, 1e3, n, "Elapsed time")? / 1e3);
        } else if let Some(v) = after(line, "Response time:") {
            d.mean_ms = Some(units::duration_ms_or(v, 1e3, n, "Response time")?);
        } else if let Some(v) = after(line, "Transaction rate:") {
            d.throughput_rps = Some(units::number(first_word(v), n, "Transaction rate")?);
        } else if let Some(v) = after(line, "Concurrency:") {
            let measured = units::number(v, n, "Concurrency")?;
            if !self.configured {
                d.concurrency = Some(measured);
            }
        } else if let Some(v) = after(line, "Successful transactions:") {
            self.successful = Some(units::count(v, n, "Successful transactions")?);
        } else if let Some(v) = after(line, "Failed transactions:") {
            d.errors = units::count(v, n, "Failed transactions")?;
        } else if let Some(v) = after(line, "Longest transaction:") {
            d.max_ms = Some(units::duration_ms_or(v, 1e3, n, "Longest transaction")?);
        }
        Ok(())
    }

    fn finish(self, mut draft: Draft) -> Result<Run, ParseError> {
        if let (Some(all), Some(ok)) = (self.transactions, self.successful) {
            draft.non_2xx = all.saturating_sub(ok);
        }
        draft.finish(Tool::Siege, "Transaction rate:")
    }
}

/// siege's JSON report (one document).
pub(crate) fn json(doc: &Value) -> Result<Run, ParseError> {
    let n = 1;
    let field = |key: &str| json_number(doc.get(key), n, key);
    let mut d = Draft::at(n);
    let transactions = field("transactions")?.map(units::clamp_count);
    let successful = field("successful_transactions")?.map(units::clamp_count);
    d.requests = transactions;
    d.duration_s = field("elapsed_time")?;
    d.mean_ms = field("response_time")?.map(|s| s * 1e3);
    d.throughput_rps = field("transaction_rate")?;
    d.concurrency = field("concurrency")?;
    d.errors = field("failed_transactions")?.map_or(0, units::clamp_count);
    d.max_ms = field("longest_transaction")?.map(|s| s * 1e3);
    let reader = Siege { configured: false, transactions, successful };
    reader.finish(d)
}
