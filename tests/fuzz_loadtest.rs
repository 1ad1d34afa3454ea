//! Fuzzing the load-test readers with what a person might paste: random bytes, and the
//! fixtures of `tests/fixtures/loadtest/` mutated (lines dropped, duplicated, swapped or
//! cut short; numbers replaced by huge, negative, NaN or junk ones; units swapped; bytes
//! changed). Nothing may panic (the page would die), and every run read has finite,
//! non-negative figures and percentiles ascending in percent and in latency.
//!
//! `cargo test --test fuzz_loadtest` runs 20,000 cases (part of `make test`);
//! `make fuzz` runs `FUZZ_CASES=1000000` in release mode and prints the count and time.

use std::time::Instant;

mod fuzzing;
use fuzzing::{mutate_chars, random_bytes, Rng};

use planner::calibrate::{parse, parse_hosts, Run};

macro_rules! fixtures {
    ($($name:literal),* $(,)?) => {
        &[$(include_str!(concat!("fixtures/loadtest/", $name))),*]
    };
}

const FIXTURES: &[&str] = fixtures![
    "ab-non2xx.txt", "ab-plain.txt", "csv-header.csv", "csv-no-header.csv", "hey-errors.txt", "hey-non2xx.txt", "hey-plain.txt",
    "k6-summary-export.json", "k6-summary-legacy.txt", "k6-summary-v1.txt", "locust-stats-history.csv",
    "locust-stats.csv", "oha-json.json", "oha-json-non2xx.json", "oha-text.txt", "siege-json.json", "siege-non2xx.json", "siege-non2xx.txt",
    "siege-plain.txt", "vegeta-go-durations.txt", "vegeta-report.json", "vegeta-text.txt", "wrk-latency.txt",
    "wrk-non2xx.txt", "wrk-plain.txt", "wrk-socket-errors.txt", "wrk-sweep.txt", "wrk2-latency.txt", "wrk2-uncorrected.txt",
];

const NUMBERS: &[&str] = &[
    "0", "-0", "-1", "-3.5", "1e308", "1e309", "1e-320", "NaN", "nan", "inf", "-inf", "Infinity", "18446744073709551616",
    "99999999999999999999999999", "0.0000001", "1.2.3", "", " ", "x", "1,000", "+5", ".5", "5.", "0x10", "1e", "e5",
    "100.0", "200", "null", "\"7\"", "{}", "[]", "%", "101%",
];
const UNITS: &[&str] = &[
    "us", "µs", "μs", "ms", "s", "secs", "sec", "m", "h", "ns", "1m0s", "ms ms", "", "parsecs", "%", "/s", "s)",
];
const JUNK: &[char] = &[
    '%', ':', ',', '.', '0', '9', '-', 'e', 'µ', 'μ', '\u{0}', ' ', '\t', '\n', '"', '{', '}', '[', ']', '✓', '✗', '\u{1b}',
];



/// Lines dropped, duplicated, swapped or cut short.
fn mutate_lines(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for _ in 0..=rng.below(4) {
        if lines.is_empty() {
            break;
        }
        let at = rng.below(lines.len());
        match rng.below(4) {
            0 => drop(lines.remove(at)),
            1 => {
                let copy = lines[at].clone();
                lines.insert(rng.below(lines.len() + 1), copy);
            }
            2 => {
                let other = rng.below(lines.len());
                lines.swap(at, other);
            }
            _ => {
                let chars: Vec<char> = lines[at].chars().collect();
                lines[at] = chars[..rng.below(chars.len() + 1)].iter().collect();
            }
        }
    }
    if rng.below(4) == 0 {
        lines.truncate(rng.below(lines.len() + 1));
    }
    lines.join("\n")
}

/// Numbers (runs of digits and dots) replaced by odd ones, and units swapped.
fn mutate_numbers(rng: &mut Rng, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    let odds = 1 + rng.below(6);
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut number = String::from(c);
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() || d == '.' {
                    number.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            if rng.below(odds * 4) == 0 {
                out.push_str(rng.pick::<&str>(NUMBERS));
            } else {
                out.push_str(&number);
            }
            let unit: String = std::iter::from_fn(|| chars.next_if(|u| u.is_alphabetic())).collect();
            if !unit.is_empty() && rng.below(odds * 3) == 0 {
                out.push_str(rng.pick::<&str>(UNITS));
            } else {
                out.push_str(&unit);
            }
        } else {
            out.push(c);
        }
    }
    out
}


#[track_caller]
fn check_figure(value: f64, what: &str, text: &str) {
    assert!(value.is_finite() && value >= 0.0, "{what} = {value} from {text:?}");
}

#[track_caller]
fn check_run(run: &Run, text: &str) {
    assert!(run.line >= 1 && run.line <= text.lines().count().max(1), "line {} from {text:?}", run.line);
    check_figure(run.throughput_rps, "throughput", text);
    for (value, what) in [
        (run.concurrency, "concurrency"),
        (run.rate_rps, "rate"),
        (run.duration_s, "duration"),
        (run.mean_ms, "mean"),
        (run.max_ms, "max"),
    ] {
        if let Some(v) = value {
            check_figure(v, what, text);
        }
    }
    for (percent, ms) in &run.percentiles_ms {
        assert!((0.0..=100.0).contains(percent), "percent {percent} from {text:?}");
        check_figure(*ms, "percentile", text);
    }
    for pair in run.percentiles_ms.windows(2) {
        assert!(pair[0].0 < pair[1].0 && pair[0].1 <= pair[1].1, "{:?} from {text:?}", run.percentiles_ms);
    }
}

/// Whether `text` reads, checking what it reads: [`parse`] alone, and [`parse_hosts`],
/// which reads the same runs (on the plan's host) from a text without host lines.
fn check(text: &str) -> bool {
    let hosts = parse_hosts(text);
    if !text.lines().any(|l| l.trim().trim_start_matches('#').trim_start().to_ascii_lowercase().starts_with("host:")) {
        let alone = parse(text).map(|runs| runs.into_iter().map(|r| (String::new(), r)).collect::<Vec<_>>());
        assert_eq!(hosts, alone, "{text:?}");
    }
    if let Ok(runs) = &hosts {
        for (host, run) in runs {
            assert!(!host.contains('\n') && run.line >= 1 && run.line <= text.lines().count().max(1), "{host:?} {} from {text:?}", run.line);
        }
    }
    match hosts.map(|runs| runs.into_iter().map(|r| r.1).collect::<Vec<_>>()) {
        Ok(runs) => {
            assert!(!runs.is_empty(), "Ok with no run from {text:?}");
            runs.iter().for_each(|r| check_run(r, text));
            true
        }
        Err(e) => {
            assert!(e.line >= 1 && !e.message.is_empty() && e.message.chars().count() < 400, "{e:?} from {text:?}");
            false
        }
    }
}

#[test]
fn every_fixture_reads() {
    for text in FIXTURES {
        assert!(check(text), "{text}");
    }
}

#[test]
fn pasted_outputs_never_panic_and_always_read_to_sane_runs() {
    let cases: usize = std::env::var("FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let mut rng = Rng(0x10AD_7E57_u64);
    let started = Instant::now();
    let mut read = 0usize;
    for i in 0..cases {
        let fixture = *rng.pick(FIXTURES);
        let text = match i % 6 {
            0 => random_bytes(&mut rng, 64),
            1 => mutate_lines(&mut rng, fixture),
            2 => mutate_numbers(&mut rng, fixture),
            3 => mutate_chars(&mut rng, fixture, JUNK),
            4 => {
                // Half of them with a host line between the two outputs.
                let host = ["# host: workers=4\n", "host: cores=8&workers=17\n", "HOST:\n", "# Host: x\n", "", "", "", ""][i / 6 % 8];
                let twice = format!("{fixture}\n{host}{}", rng.pick(FIXTURES));
                let numbers = mutate_numbers(&mut rng, &twice);
                mutate_lines(&mut rng, &numbers)
            }
            _ => {
                let lines = mutate_lines(&mut rng, fixture);
                let numbers = mutate_numbers(&mut rng, &lines);
                mutate_chars(&mut rng, &numbers, JUNK)
            }
        };
        read += usize::from(check(&text));
    }
    // The mutations must leave a fifth of the texts readable (about a quarter are), or
    // they test only the error paths.
    assert!(cases < 1000 || read * 5 > cases, "only {read} of {cases} read");
    eprintln!("fuzz: {cases} load-test outputs in {:.1} s ({read} read)", started.elapsed().as_secs_f64());
}
