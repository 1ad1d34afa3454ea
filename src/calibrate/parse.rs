//! One reader per tool, and what the text readers share: the walk over the lines that
//! cuts a paste into runs ([`by_lines`]), and the small line shapes several tools print
//! (`Label:  value`, `10% in 0.0012 secs`, `[200] 1000 responses`).

pub(crate) mod ab;
pub(crate) mod csv;
pub(crate) mod hey;
pub(crate) mod k6;
pub(crate) mod locust;
pub(crate) mod oha;
pub(crate) mod siege;
pub(crate) mod vegeta;
pub(crate) mod wrk;

use super::run::{Draft, ParseError, Run};
use super::units;
use crate::share::json::Value;

/// A text tool's reader: which lines open a run, what each line adds to the run's
/// draft, and the run it makes. A fresh reader (its `Default`) is made per run.
pub(crate) trait Lines: Default {
    /// Whether `line` (trimmed) is one a run of this tool begins with.
    fn starts(line: &str) -> bool;
    /// Reads one line (trimmed) into the draft.
    fn read(&mut self, draft: &mut Draft, n: usize, line: &str) -> Result<(), ParseError>;
    /// The run, once its last line is read.
    fn finish(self, draft: Draft) -> Result<Run, ParseError>;
}

/// Reads every run in `text`. A run begins at a line that opens one (or, when a paste
/// lacks it, at the first line with a figure). A line that opens a run closes the one
/// before when that one has its throughput (the figure each tool prints once per run);
/// while the run has no figure yet, it stays open (ab's `This is ApacheBench` banner and
/// then `Server Software:` are one run, starting at the banner).
pub(crate) fn by_lines<R: Lines>(text: &str) -> Result<Vec<Run>, ParseError> {
    let mut runs = Vec::new();
    let mut current: Option<(R, Draft)> = None;
    let mut before = R::default();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if R::starts(line) {
            match current.take() {
                Some((reader, draft)) if draft.throughput_rps.is_some() => runs.push(reader.finish(draft)?),
                Some(open) => current = Some(open),
                None => {}
            }
            current.get_or_insert_with(|| (R::default(), Draft::at(n)));
        }
        match current.as_mut() {
            Some((reader, draft)) => reader.read(draft, n, line)?,
            None => {
                // Before any run: a line with a figure begins one (a paste without its
                // header); the reader keeps what earlier lines told it (a section heading).
                let mut draft = Draft::at(n);
                before.read(&mut draft, n, line)?;
                if !is_blank(&draft) {
                    current = Some((std::mem::take(&mut before), draft));
                }
            }
        }
    }
    if let Some((reader, draft)) = current {
        runs.push(reader.finish(draft)?);
    }
    Ok(runs)
}

/// Whether a draft has no figure yet (only lines that carry none were read).
fn is_blank(d: &Draft) -> bool {
    d.concurrency.is_none()
        && d.rate_rps.is_none()
        && d.throughput_rps.is_none()
        && d.requests.is_none()
        && d.duration_s.is_none()
        && d.mean_ms.is_none()
        && d.percentiles_ms.is_empty()
        && d.max_ms.is_none()
        && d.errors == 0
        && d.non_2xx == 0
}

/// The value after `label` when the line begins with it (`Requests/sec:   2000.15`).
pub(crate) fn after<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    line.strip_prefix(label).map(str::trim)
}

/// The first whitespace-separated word (`8108.60 [#/sec] (mean)` → `8108.60`).
pub(crate) fn first_word(text: &str) -> &str {
    text.split_whitespace().next().unwrap_or("")
}

/// `10% in 0.0012 secs`, `10.00% in 0.0010 sec`, `10%% in …` → (`10`, `0.0012 secs`).
pub(crate) fn percent_in(line: &str) -> Option<(&str, &str)> {
    let (percent, value) = line.split_once(" in ")?;
    let percent = percent.trim().trim_end_matches('%');
    (!percent.is_empty() && percent.len() < line.len()).then_some((percent, value.trim()))
}

/// `[200] 1000 responses`, `[200]\t200 responses`, `[20] aborted due to deadline`
/// → (`200`, `1000 responses`).
pub(crate) fn bracketed(line: &str) -> Option<(&str, &str)> {
    let inner = line.strip_prefix('[')?;
    let (key, rest) = inner.split_once(']')?;
    Some((key.trim(), rest.trim()))
}

/// A status code's count: 2xx adds to the requests, anything else also to the non-2xx.
/// `0` (vegeta: the request was never answered) is an error instead.
pub(crate) fn status(draft: &mut Draft, n: usize, code: &str, count: &str) -> Result<(), ParseError> {
    let count = units::count(count, n, "status code count")?;
    let code = units::count(code, n, "status code")?;
    if code == 0 {
        draft.add_errors(count);
        return Ok(());
    }
    draft.requests = Some(draft.requests.unwrap_or(0).saturating_add(count));
    if !(200..300).contains(&code) {
        draft.add_non_2xx(count);
    }
    Ok(())
}

/// A JSON member as a finite, non-negative number; None when absent or null (serde
/// writes NaN as null). A string or object where a number belongs is an error.
pub(crate) fn json_number(v: Option<&Value>, line: usize, field: &str) -> Result<Option<f64>, ParseError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(text)) => units::number(text, line, field).map(Some),
        Some(_) => Err(ParseError::new(line, format!("{} is not a number", units::clip(field)))),
    }
}

/// The members of a JSON object, or none.
pub(crate) fn members(v: Option<&Value>) -> &[(String, Value)] {
    match v {
        Some(Value::Object(members)) => members,
        _ => &[],
    }
}
