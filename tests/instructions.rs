//! The work `scripts/instructions.sh` counts under callgrind: each test runs one piece of
//! the page's edit or of `full/<tier>` `N` times (env, default 1), so the instructions per
//! run are the difference between `N` and 0 runs. Instruction counts do not move with the
//! machine's load or speed as times do (docs/performance.md), so two builds compare on a
//! busy machine. Ignored: they time nothing and check nothing; `make test` skips them.

use planner::model::{curves, outcome, query::decode_strict, Plan, Tier};

fn runs() -> usize {
    std::env::var("N").ok().and_then(|s| s.parse().ok()).unwrap_or(1)
}

/// The plans measured: the default (Medium) plan, and a gthread plan (the GIL's convoy).
fn plan(name: &str) -> Plan {
    match name {
        "gthread" => decode_strict("server=gthread").expect("plan"),
        _ => Plan::default(),
    }
}

/// The outcome and every exported file of each benchmark tier (`full/<tier>` of
/// `make bench`), three tiers per run.
#[test]
#[ignore]
fn full_three_tiers() {
    for t in Tier::BENCHMARKS {
        let mut p = Plan::default();
        p.apply_tier(t);
        for _ in 0..runs() {
            let o = outcome(&p);
            let rec = planner::model::rules::recommend_beside(&p, &o.rules);
            let files = planner::export::files_from(&p, &rec).expect("files");
            std::hint::black_box((o, files));
        }
    }
}

/// The throughput chart's curve (the capacity at each core count).
#[test]
#[ignore]
fn throughput_curve() {
    let p = plan("default");
    for _ in 0..runs() {
        std::hint::black_box(curves::core_curve(&p));
    }
}

/// The latency chart's series (every point's p50/p95/p99 and each class's p95).
#[test]
#[ignore]
fn latency_series() {
    for name in ["default", "gthread"] {
        let p = plan(name);
        for _ in 0..runs() {
            std::hint::black_box(curves::latency(&p));
        }
    }
}

/// The page's outcome of an edit (the evaluation, the tier rows, the rules, the verdict).
#[test]
#[ignore]
fn outcome_default() {
    let p = plan("default");
    for _ in 0..runs() {
        std::hint::black_box(outcome(&p));
    }
}
