//! Load-test outputs read into runs, for calibrating the throughput model from a real test.
//! [`parse`] takes what a person pastes (one or several outputs of one tool, one after
//! another, or a CSV) and returns every run in it with its figures in one set of units:
//! requests per second, milliseconds, seconds.
//!
//! Readers, one per tool (`parse/*.rs`, each saying which lines it reads and where the
//! format comes from): wrk and wrk2, oha (text and `--json`), hey, ab, siege, k6 (the
//! end-of-test summary and `--summary-export`), vegeta (text and JSON), locust's CSV and
//! plain `concurrency,throughput[,latency_ms]` CSV. A text holds one tool's output.
//!
//! Nothing here panics on any input (it runs in the page): every figure is checked as
//! it is read, and a figure that is not a finite, non-negative number is an error naming
//! its line and field.

mod detect;
mod parse;
mod run;
mod units;

pub use run::{ParseError, Run, Tool};

/// What [`parse`] reads, for the message when it reads none of it.
const KNOWN: &str = "wrk, wrk2, oha (text or --json), hey, ab, siege (text or JSON), k6 (summary or --summary-export), \
vegeta (text or JSON), locust CSV, or CSV rows of concurrency,throughput[,latency_ms]";

/// Detects the tool and reads every run in the text (several outputs pasted one after
/// another, or one CSV with many rows).
///
/// # Errors
/// When the text is none of the outputs read here (line 1, with the list of them), when a
/// figure is not a finite non-negative number or a run has no throughput (the line and
/// field), or when a JSON document is not JSON (its line).
pub fn parse(text: &str) -> Result<Vec<Run>, ParseError> {
    let cleaned;
    let text = if text.contains('\u{1b}') {
        cleaned = strip_ansi(text);
        cleaned.as_str()
    } else {
        text
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let runs = if text.trim_start().starts_with('{') {
        json(text)?
    } else {
        let tool = detect::text(text).ok_or_else(unknown)?;
        match tool {
            Tool::Wrk | Tool::Wrk2 => parse::by_lines::<parse::wrk::Wrk>(text)?,
            Tool::Oha => parse::by_lines::<parse::oha::Oha>(text)?,
            Tool::Hey => parse::by_lines::<parse::hey::Hey>(text)?,
            Tool::Ab => parse::by_lines::<parse::ab::Ab>(text)?,
            Tool::Siege => parse::by_lines::<parse::siege::Siege>(text)?,
            Tool::K6 => parse::by_lines::<parse::k6::K6>(text)?,
            Tool::Vegeta => parse::by_lines::<parse::vegeta::Vegeta>(text)?,
            Tool::Locust => parse::locust::parse(text)?,
            Tool::Csv => parse::csv::parse(text)?,
        }
    };
    if runs.is_empty() {
        return Err(unknown());
    }
    Ok(runs)
}

/// Every run in `text` with the host it ran on: where that host differs from the plan,
/// as a link's keys (`workers=4`, `cores=8&workers=17`; "" for the plan's own), from the
/// last `# host: KEYS` (or `host: KEYS`) line before it. The text between two such lines
/// is read by [`parse`] on its own, so outputs of different tools may follow one another
/// there; lines are numbered in the whole text.
///
/// # Errors
/// [`parse`]'s, at their line in the whole text; a text of host lines only is none of
/// the outputs read here.
pub fn parse_hosts(text: &str) -> Result<Vec<(String, Run)>, ParseError> {
    let mut out = Vec::new();
    // The part being gathered: its first byte and line (0-based), and its host.
    let (mut from, mut first, mut host) = (0, 0, String::new());
    let (mut at, mut n) = (0, 0);
    for line in text.split_inclusive('\n').map(Some).chain([None]) {
        let keys = line.map(host_line);
        if matches!(keys, Some(None)) {
            at += line.map_or(0, str::len);
            n += 1;
            continue;
        }
        let part = &text[from..at];
        if !part.trim().is_empty() {
            for mut run in parse(part).map_err(|mut e| {
                e.line += first;
                e
            })? {
                run.line += first;
                out.push((host.clone(), run));
            }
        }
        if let (Some(Some(k)), Some(l)) = (keys, line) {
            host = k.to_string();
            at += l.len();
            n += 1;
            (from, first) = (at, n);
        }
    }
    if out.is_empty() {
        return Err(unknown());
    }
    Ok(out)
}

/// The keys of a `# host: KEYS` or `host: KEYS` line (any case).
fn host_line(line: &str) -> Option<&str> {
    let t = line.trim();
    let t = t.strip_prefix('#').map_or(t, str::trim_start);
    t.get(..5).filter(|h| h.eq_ignore_ascii_case("host:")).map(|_| t[5..].trim())
}

/// Today (UTC) as YYYY-MM-DD: the day a calibration marks its plan with. The page's
/// clock in wasm (where `SystemTime` has none), the system's natively.
pub fn today() -> String {
    #[cfg(target_arch = "wasm32")]
    let ms = js_sys::Date::now();
    #[cfg(not(target_arch = "wasm32"))]
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    crate::model::calibration::day((ms / 86_400_000.0).floor() as i64)
}

/// The tools of `runs`, each once, in their order: "wrk", "wrk, hey".
pub fn tools(runs: &[Run]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for r in runs {
        if !names.contains(&r.tool.name()) {
            names.push(r.tool.name());
        }
    }
    names.join(", ")
}

fn unknown() -> ParseError {
    ParseError::new(1, format!("not a load-test output this reads; it reads {KNOWN}"))
}

/// One JSON document: oha `--json`, k6 `--summary-export`, vegeta `report -type=json` or
/// siege's JSON report.
fn json(text: &str) -> Result<Vec<Run>, ParseError> {
    let doc = crate::share::json::parse(text).map_err(|e| ParseError::new(e.line(), format!("not JSON: {e}")))?;
    let run = match detect::json(&doc) {
        Some(Tool::Oha) => parse::oha::json(&doc)?,
        Some(Tool::K6) => parse::k6::json(&doc)?,
        Some(Tool::Vegeta) => parse::vegeta::json(&doc)?,
        Some(Tool::Siege) => parse::siege::json(&doc)?,
        _ => return Err(unknown()),
    };
    Ok(vec![run])
}

/// The text without terminal colour codes (`ESC [ … letter`), which oha and k6 print
/// when their output is a terminal.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        if chars.clone().next() == Some('[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        }
    }
    out
}
