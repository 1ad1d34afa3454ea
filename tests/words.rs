//! Words and units in everything the planner says (issue 18): for a sample of plans, every
//! text a person reads — the verdict, the summary, the warnings, the settings list, the
//! tier table, the charts and the CLI's text report — has its plurals right ("1 node",
//! "3 nodes"), a space before each unit ("75 ms", never "75ms"), numbers grouped by
//! thousands, guides named by title (never "004"), and on Kubernetes "pods" for the app's
//! replicas where the verdict and the summary said "nodes".
#![cfg(not(target_arch = "wasm32"))]

use planner::chart;
use planner::model::query::decode_strict;
use planner::model::{details, outcome, report, summary, Plan};

/// The sample: the default plan, one core on one node, Kubernetes, a large fleet, one of
/// each server type with a target (verdicts of every fit), one broken by memory, and the
/// fleet and its database: the database's CPU first, spare nodes, the database on the app
/// node, a server that refuses.
fn plans() -> Vec<(&'static str, Plan)> {
    let q = |s: &str| decode_strict(s).unwrap_or_else(|e| panic!("{s}: {e:?}"));
    vec![
        ("default", Plan::default()),
        ("one core, one node", q("v=1&tier=custom&cores=1&ram=2&rps=50")),
        ("one sync node, no proxy", q("v=1&tier=custom&cores=1&ram=2&server=sync&proxy=none&rps=20&workers=1")),
        ("kubernetes", q("v=1&platform=k8s&replicas=3&rps=3000")),
        ("kubernetes, one pod", q("v=1&platform=k8s&replicas=1&rps=100&pgbouncer=on")),
        ("kubernetes over capacity", q("v=1&platform=k8s&replicas=2&rps=90000&pgbouncer=on&lb_cidr=10.0.0.0/8")),
        ("large", q("v=1&tier=large&replicas=40&rps=60000&pgbouncer=on&server=sync&db_cores=32&db_ram=256")),
        ("gthread", q("v=1&server=gthread&rps=800&db_host=app&cache_paths=/api/status")),
        ("gevent", q("v=1&server=gevent&rps=100000&replicas=12")),
        ("memory over the node", q("v=1&tier=custom&cores=16&ram=2&worker_mem=900&workers=30")),
        ("database CPU first", q("v=1&replicas=40&pgbouncer=on")),
        ("one spare of two, at peak", q("v=1&replicas=2&spare=1&rps=500&peak=1.5")),
        ("kubernetes with spares", q("v=1&platform=k8s&replicas=5&spare=2&rps=2000&pgbouncer=on")),
        ("database on the app node", q("v=1&db_host=app&rps=300&db_cpu_ms=2")),
        ("async refusing", q("v=1&rps=5000&usl_sigma=0.05&usl_kappa=0.001")),
    ]
}

/// (where, text) of everything the planner says about `plan`.
fn texts(plan: &Plan) -> Vec<(String, String)> {
    let o = outcome(plan);
    let mut out = vec![("verdict".to_string(), o.verdict.message.clone()), ("tier table".to_string(), summary::TIERS_WHY.to_string())];
    out.extend(o.warnings.iter().map(|w| (format!("warning {}", w.code), w.message.clone())));
    for v in summary::values(plan, &o) {
        out.push((format!("summary {}", v.id), format!("{}: {}{} — {}", v.title, v.number, v.unit, v.why)));
    }
    for s in details::sections(&planner::model::rules::recommend(plan)) {
        for l in s.lines {
            out.push((format!("setting {}.{}", s.id, l.name), format!("{} {} — {} — {}", l.value, l.unit, l.why, l.source)));
        }
    }
    // The report's first line is the plan's query string ("v=1&cores=1"): a link's text.
    let r = report::report(plan);
    out.extend(report::text(&r, plan).lines().filter(|l| !l.starts_with("Plan ")).map(|l| ("report".to_string(), l.to_string())));
    let charts = [chart::throughput::chart(plan), chart::latency::chart(plan), chart::memory::chart(plan), chart::connections::chart(plan), chart::workers::chart(plan)];
    for c in charts {
        out.push((format!("chart {}", c.title), c.summary.clone()));
        let svg = c.svg();
        for t in svg.split("<text").skip(1) {
            let inner = t.split_once('>').map_or("", |x| x.1);
            out.push((format!("chart {} text", c.title), inner.split('<').next().unwrap_or("").replace("&apos;", "'").replace("&#39;", "'")));
        }
    }
    out
}

/// Every (plan, where, text) of the sample.
fn all_texts() -> Vec<(&'static str, String, String)> {
    plans().into_iter().flat_map(|(name, p)| texts(&p).into_iter().map(move |(w, t)| (name, w, t))).collect()
}

/// The words of `text` with the position of each: letters, digits and the characters
/// numbers and units are made of, so "1,000", "0.5", "r/s" stay whole.
fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || matches!(c, ',' | '.' | '/' | '%' | '_' | '-' | '\'')))
        .map(|t| t.trim_end_matches([',', '.', '\'']))
        .filter(|t| !t.is_empty())
        .collect()
}

#[track_caller]
fn none(what: &str, bad: Vec<String>) {
    assert!(bad.is_empty(), "{what}:\n{}", bad.join("\n"));
}

#[test]
fn one_is_singular_and_more_are_plural() {
    const PLURALS: &[&str] = &[
        "nodes", "cores", "pods", "processes", "replicas", "connections", "requests", "threads", "greenlets", "slots",
        "errors", "fields", "workers", "clients", "files", "probes", "packets", "statements", "restarts", "targets",
    ];
    let mut bad = vec![];
    for (plan, at, text) in all_texts() {
        let words = tokens(&text);
        for pair in words.windows(2) {
            if pair[0] == "1" && PLURALS.contains(&pair[1]) {
                bad.push(format!("{plan} / {at}: \"1 {}\" in {text}", pair[1]));
            }
        }
    }
    none("a plural after 1", bad);
}

/// `text` has a digit glued to a unit: "75ms", "8GiB", "70%", "4GB", "500r/s".
fn glued(text: &str) -> Option<String> {
    const UNITS: &[&str] = &["ms", "GiB", "MiB", "KiB", "GB", "MB", "kB", "r/s", "r/min", "%", "s"];
    let b = text.as_bytes();
    for i in 0..b.len() {
        if !b[i].is_ascii_digit() {
            continue;
        }
        // A digit inside a word is a name ("k8s", "p95", "s3"), not a number.
        let starts_word = text[..i].chars().rev().find(|c| !c.is_ascii_digit() && *c != '.' && *c != ',').is_none_or(|c| !c.is_alphanumeric());
        if !starts_word {
            continue;
        }
        let rest = &text[i + 1..];
        for unit in UNITS {
            if let Some(after) = rest.strip_prefix(unit) {
                let ends = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
                if ends {
                    return Some(text[i.saturating_sub(12)..(i + 1 + unit.len()).min(text.len())].to_string());
                }
            }
        }
    }
    None
}

#[test]
fn a_space_comes_before_every_unit() {
    assert_eq!(glued("p95 75ms at 1,000 r/s"), Some("p95 75ms".to_string()));
    assert_eq!(glued("4GB"), Some("4GB".to_string()));
    assert_eq!(glued("70%"), Some("70%".to_string()));
    assert_eq!(glued("75 ms, 70 %, k8s, p95, 4 GB"), None);
    let bad = all_texts().into_iter().filter_map(|(plan, at, text)| glued(&text).map(|g| format!("{plan} / {at}: \"{g}\" in {text}"))).collect();
    none("a unit glued to its number", bad);
}

/// Numbers a person reads as names, not quantities: ports, the app's uid, PostgreSQL
/// versions, and a port limit.
const NAMES: &[&str] = &["8000", "8080", "9090", "6379", "6432", "5432", "10001", "1024"];

#[test]
fn numbers_of_four_digits_or_more_are_grouped_by_thousands() {
    let mut bad = vec![];
    for (plan, at, text) in all_texts() {
        // User and group ids ("uid 999, group 1000", the 1000–9999 range) are names.
        if text.contains("uid") {
            continue;
        }
        for t in tokens(&text) {
            let int = t.split('.').next().unwrap_or(t);
            if int.len() >= 4 && int.bytes().all(|b| b.is_ascii_digit()) && !NAMES.contains(&int) {
                bad.push(format!("{plan} / {at}: \"{t}\" in {text}"));
            }
        }
    }
    none("an ungrouped number", bad);
}

#[test]
fn guides_are_named_by_title_never_by_file_number() {
    let mut bad = vec![];
    for (plan, at, text) in all_texts() {
        for t in tokens(&text) {
            if ["000", "002", "003", "004"].iter().any(|n| t == *n || t.starts_with(&format!("{n}'"))) || t.eq_ignore_ascii_case("guide") && text.contains("guide 0") {
                bad.push(format!("{plan} / {at}: \"{t}\" in {text}"));
            }
        }
    }
    none("a guide by number", bad);
    let t = all_texts();
    for title in ["Flask + PostgreSQL guide", "Kubernetes guide", "link-server guide", "FastAPI guide"] {
        assert!(t.iter().any(|(_, _, text)| text.contains(title)), "{title} is never named");
    }
}

#[test]
fn on_kubernetes_the_replicas_are_pods_in_the_verdict_the_summary_and_the_warnings() {
    let mut bad = vec![];
    for (plan, at, text) in all_texts() {
        if !plan.starts_with("kubernetes") || !(at == "verdict" || at.starts_with("summary") || at.starts_with("warning")) {
            continue;
        }
        // A Kubernetes node (where pods run) is still a node: the ingress's, a drain's, and
        // the nodes the pods are billed by (whole nodes, "App nodes' cost").
        let replica_words = tokens(&text).into_iter().filter(|w| *w == "node" || *w == "nodes").count();
        let k8s_nodes = text.matches("or a node").count() + text.matches("node drain").count() + text.matches("App nodes' cost").count();
        if replica_words > k8s_nodes {
            bad.push(format!("{plan} / {at}: {text}"));
        }
    }
    none("\"node\" for a pod", bad);
    let (_, k8s) = plans().into_iter().find(|p| p.0 == "kubernetes").unwrap_or_else(|| unreachable!());
    let o = outcome(&k8s);
    let v = summary::values(&k8s, &o);
    assert!(v.iter().any(|v| v.title == "Processes per pod"), "{v:?}");
    assert!(v.iter().any(|v| v.why.contains("on 3 pods")), "{v:?}");
    let (_, one) = plans().into_iter().find(|p| p.0 == "kubernetes, one pod").unwrap_or_else(|| unreachable!());
    assert!(outcome(&one).verdict.message.contains("on 1 pod:"), "{}", outcome(&one).verdict.message);
}

#[test]
fn on_hosts_one_node_sustains_and_three_nodes_sustain() {
    let one = outcome(&Plan::default());
    assert!(one.verdict.message.starts_with("1 node sustains "), "{}", one.verdict.message);
    let three = Plan { replicas: 3, db: planner::model::Database::None, ..Plan::default() };
    assert!(outcome(&three).verdict.message.starts_with("3 nodes sustain"), "{}", outcome(&three).verdict.message);
    let k8s = Plan { platform: planner::model::Platform::K8s, ..three };
    assert!(outcome(&k8s).verdict.message.starts_with("3 pods sustain"), "{}", outcome(&k8s).verdict.message);
}

