//! Numbers and durations as load-test tools print them. Every reader takes the line and
//! the field's name, so a figure that is not a finite, non-negative number is an error
//! naming both ("line 12: Requests/sec is not a finite non-negative number: \"-5\"").
//!
//! Durations: a number and a unit (`635.91us`, `1.2 ms`, `0.0012 secs`, `1.50m`), the
//! micro sign written `us`, `µs` (U+00B5) or `μs` (U+03BC), and Go's `time.Duration`
//! strings as vegeta and k6 print them (`1m0s`, `1h2m3.5s`, `250ms`, `0s`).

use super::run::ParseError;

/// A finite, non-negative number; `text` is trimmed.
pub(crate) fn number(text: &str, line: usize, field: &str) -> Result<f64, ParseError> {
    let t = text.trim();
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(not_a_number(t, line, field)),
    }
}

/// A count: a whole number (a fraction such as `1000.00` is rounded; one beyond
/// `u64::MAX` is clamped to it, never wrapped).
pub(crate) fn count(text: &str, line: usize, field: &str) -> Result<u64, ParseError> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(t.parse::<u64>().unwrap_or(u64::MAX));
    }
    number(t, line, field).map(clamp_count)
}

/// A finite, non-negative float as a count: rounded, and clamped to `u64::MAX`.
pub(crate) fn clamp_count(x: f64) -> u64 {
    if x.is_nan() || x <= 0.0 {
        0
    } else if x >= u64::MAX as f64 {
        u64::MAX
    } else {
        x.round() as u64
    }
}

/// A duration in milliseconds; the unit is required.
pub(crate) fn duration_ms(text: &str, line: usize, field: &str) -> Result<f64, ParseError> {
    parse_duration(text.trim(), None).ok_or_else(|| not_a_duration(text.trim(), line, field))
}

/// A duration in milliseconds; a bare number is in `default_ms` milliseconds per unit
/// (ab's whole milliseconds, hey's seconds).
pub(crate) fn duration_ms_or(text: &str, default_ms: f64, line: usize, field: &str) -> Result<f64, ParseError> {
    parse_duration(text.trim(), Some(default_ms)).ok_or_else(|| not_a_duration(text.trim(), line, field))
}

/// Milliseconds per `unit`, or None for a unit no tool here prints.
fn unit_ms(unit: &str) -> Option<f64> {
    Some(match unit {
        "ns" => 1e-6,
        "us" | "µs" | "μs" | "usec" => 1e-3,
        "ms" | "msec" => 1.0,
        "s" | "sec" | "secs" | "second" | "seconds" => 1e3,
        "m" | "min" | "mins" | "minute" | "minutes" => 60e3,
        "h" | "hr" | "hour" | "hours" => 3600e3,
        _ => return None,
    })
}

/// Sums `number unit` pairs (`1m30.5s`, `12.3 ms`). A single bare number takes
/// `default_ms`. None for anything else, or a sum that is not finite.
fn parse_duration(text: &str, default_ms: Option<f64>) -> Option<f64> {
    let mut rest = text;
    let mut total = 0.0;
    let mut pairs = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E')).unwrap_or(rest.len());
        // `e` belongs to the number only when digits follow it (`1e3s`), not in `secs`.
        let digits = trim_exponent(rest, digits);
        let (num, after) = rest.split_at(digits);
        let value: f64 = num.parse().ok()?;
        let after = after.trim_start();
        let unit_len = after.find(|c: char| !c.is_alphabetic()).unwrap_or(after.len());
        let (unit, tail) = after.split_at(unit_len);
        let ms = if unit.is_empty() {
            if pairs > 0 || !tail.trim().is_empty() {
                return None;
            }
            value * default_ms?
        } else {
            value * unit_ms(unit)?
        };
        total += ms;
        pairs += 1;
        rest = tail.trim_start();
    }
    (pairs > 0 && total.is_finite() && total >= 0.0).then_some(total)
}

/// The length of the number at the start of `text` given the first `len` bytes of
/// digits, dots and `e`s: cut before an `e` that no digit follows.
fn trim_exponent(text: &str, len: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = len;
    while end > 0 {
        let last = bytes.get(end - 1).copied().unwrap_or(b'0');
        if last == b'e' || last == b'E' {
            end -= 1;
        } else {
            break;
        }
    }
    match bytes.iter().take(end).position(|b| *b == b'e' || *b == b'E') {
        Some(i) if !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => i,
        _ => end,
    }
}

fn not_a_number(text: &str, line: usize, field: &str) -> ParseError {
    ParseError::new(line, format!("{} is not a finite non-negative number: {:?}", clip(field), clip(text)))
}

fn not_a_duration(text: &str, line: usize, field: &str) -> ParseError {
    ParseError::new(line, format!("{} is not a duration (a number and a unit such as ms): {:?}", clip(field), clip(text)))
}

/// At most 40 characters of a pasted field or name (a JSON key), for a message.
pub(crate) fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> Option<f64> {
        parse_duration(text, None)
    }

    #[test]
    fn micro_sign_is_read_in_all_three_spellings() {
        assert_eq!(ms("635.91us"), ms("635.91µs"));
        assert_eq!(ms("635.91µs"), ms("635.91μs"));
        assert!((ms("635.91us").unwrap() - 0.63591).abs() < 1e-12);
    }

    #[test]
    fn go_durations_sum_their_parts() {
        assert_eq!(ms("1m0s"), Some(60_000.0));
        assert_eq!(ms("1h2m3.5s"), Some(3_723_500.0));
        assert_eq!(ms("250ms"), Some(250.0));
        assert_eq!(ms("0s"), Some(0.0));
        assert_eq!(ms("10.094965987s"), Some(10_094.965987));
    }

    #[test]
    fn words_and_spaces_between_number_and_unit() {
        assert_eq!(ms("0.0012 secs"), Some(1.2));
        assert_eq!(ms("1.50m"), Some(90_000.0));
        assert_eq!(ms("2 ms"), Some(2.0));
        assert_eq!(ms("1e3ms"), Some(1000.0));
    }

    #[test]
    fn junk_is_none() {
        for bad in ["", "ms", "12", "1.2.3ms", "5 parsecs", "1e999s", "-1ms", "NaNms", "1ms 2"] {
            assert_eq!(ms(bad), None, "{bad}");
        }
        assert_eq!(parse_duration("12", Some(1000.0)), Some(12_000.0));
    }

    #[test]
    fn counts_clamp_instead_of_wrapping() {
        assert_eq!(count("99999999999999999999999", 1, "n"), Ok(u64::MAX));
        assert_eq!(count("1e300", 1, "n"), Ok(u64::MAX));
        assert_eq!(count("12.6", 1, "n"), Ok(13));
        assert!(count("-3", 1, "n").is_err());
        assert!(number("inf", 1, "x").is_err() && number("NaN", 1, "x").is_err());
    }
}
