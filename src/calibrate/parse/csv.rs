//! Plain CSV typed or exported by hand: `concurrency,throughput[,latency_ms]`, one run per
//! row, with or without a header row. The first non-empty row is a header when its first
//! field is not a number; otherwise it is data (never dropped). Fields may be separated
//! by commas, semicolons or tabs; blank lines and `#` comments are skipped. The latency,
//! when given, is read as the mean (ms).
//!
//! Also the field splitter the locust reader uses (RFC 4180 quotes: `"a,b"`, `"say ""hi"""`).

use super::super::run::{Draft, ParseError, Run, Tool};
use super::super::units;

/// Whether `text` looks like plain CSV: its first data row has two or three numbers.
pub(crate) fn detect(text: &str) -> bool {
    let mut rows = rows(text);
    let Some((_, first)) = rows.next() else { return false };
    let data = if is_header(&first) { rows.next().map(|(_, r)| r) } else { Some(first) };
    data.is_some_and(|r| (2..=3).contains(&r.len()) && r.iter().all(|f| f.trim().parse::<f64>().is_ok()))
}

/// One run per data row.
pub(crate) fn parse(text: &str) -> Result<Vec<Run>, ParseError> {
    let mut runs = Vec::new();
    for (i, (n, row)) in rows(text).enumerate() {
        if i == 0 && is_header(&row) {
            continue;
        }
        if !(2..=3).contains(&row.len()) {
            let message = format!("expected concurrency,throughput[,latency_ms]; found {} fields", row.len());
            return Err(ParseError::new(n, message));
        }
        let field = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
        let mut d = Draft::at(n);
        d.concurrency = Some(units::number(field(0), n, "concurrency")?);
        d.throughput_rps = Some(units::number(field(1), n, "throughput")?);
        if row.len() == 3 {
            d.mean_ms = Some(units::number(field(2), n, "latency_ms")?);
        }
        runs.push(d.finish(Tool::Csv, "the second column")?);
    }
    Ok(runs)
}

/// A header: its first field is not a number (`concurrency`, `N`, `users`).
fn is_header(row: &[String]) -> bool {
    row.first().is_some_and(|f| f.trim().parse::<f64>().is_err())
}

/// The non-empty, non-comment rows with their 1-based line numbers.
fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<String>)> + '_ {
    text.lines().enumerate().filter_map(|(i, line)| {
        let t = line.trim();
        (!t.is_empty() && !t.starts_with('#')).then(|| (i + 1, fields(t, separator(t))))
    })
}

/// The row's separator: a comma unless the row has none and has a semicolon or tab.
fn separator(line: &str) -> char {
    if line.contains(',') {
        ','
    } else if line.contains(';') {
        ';'
    } else if line.contains('\t') {
        '\t'
    } else {
        ','
    }
}

/// Splits a CSV row at `sep`, honouring double quotes.
pub(crate) fn fields(line: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out
}
