//! Old share links keep decoding the same forever: every case of `golden_links.txt`
//! (its format is described at its top) is decoded and checked field by field.

use planner::model::query::{decode, Decoded};
use planner::model::Field;

const GOLDEN: &str = include_str!("golden_links.txt");

/// One case of the file: its line number, the link and its expectations.
struct Case<'a> {
    line: usize,
    link: &'a str,
    expects: Vec<(&'a str, &'a str)>,
}

/// Whether a line is a comment or blank (a link never holds a space).
fn is_comment(line: &str) -> bool {
    let line = line.trim();
    line.is_empty() || line == "#" || line.starts_with("# ")
}

/// Every case of the file, in order.
fn cases() -> Vec<Case<'static>> {
    GOLDEN
        .lines()
        .enumerate()
        .filter(|(_, l)| !is_comment(l))
        .map(|(i, l)| {
            let (link, expects) = l.split_once(" => ").unwrap_or_else(|| panic!("line {}: no ' => '", i + 1));
            let expects = expects
                .split_whitespace()
                .map(|e| e.split_once('=').unwrap_or_else(|| panic!("line {}: '{e}' has no '='", i + 1)))
                .collect();
            Case { line: i + 1, link: link.trim(), expects }
        })
        .collect()
}

/// The decoded value a `key=value` expectation refers to.
fn actual(d: &Decoded, key: &str, line: usize) -> String {
    let list = |xs: Vec<&str>| xs.join(",");
    match key {
        "!errors" => list(d.errors.iter().map(|e| e.field.key()).collect()),
        "!unknown" => list(d.unknown.iter().map(String::as_str).collect()),
        "!version" => d.bad_version.clone().unwrap_or_default(),
        _ => {
            let field = Field::from_key(key).unwrap_or_else(|| panic!("line {line}: unknown field {key}"));
            d.plan.get(field)
        }
    }
}

#[test]
fn golden_links_decode_as_they_always_did() {
    let cases = cases();
    assert!(cases.len() >= 15, "only {} cases", cases.len());
    for case in &cases {
        let d = decode(case.link);
        for &(key, want) in &case.expects {
            assert_eq!(actual(&d, key, case.line), want, "line {}: {} ({key})", case.line, case.link);
        }
        for problem in ["!errors", "!unknown", "!version"] {
            if !case.expects.iter().any(|(k, _)| *k == problem) {
                assert_eq!(actual(&d, problem, case.line), "", "line {}: {} ({problem})", case.line, case.link);
            }
        }
        assert!(d.plan.validate().is_empty(), "line {}", case.line);
    }
}

#[test]
fn golden_links_cover_every_key() {
    let cases = cases();
    for &field in Field::ALL {
        let key = field.key();
        let in_a_link = cases.iter().any(|c| c.link.split(['?', '#', '&']).any(|p| p.starts_with(&format!("{key}="))));
        assert!(in_a_link, "no golden link carries '{key}'");
    }
}
