//! Cost of the capacity model: capacity + latency (+ the tier table) for each benchmark
//! tier, and for the largest plans the ranges allow. Budgets: ≤ 20 µs per tier,
//! ≤ 1 ms for the largest plan.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use planner::model::{capacity, evaluate, outcome, queueing, tiers, Plan, Tier};

/// Every numeric input at its maximum (cores, RAM, processes, concurrency, times, cv).
fn largest(slow: bool) -> Plan {
    let mut p = Plan {
        cores: 256,
        ram_gib: 2048.0,
        replicas: 1000,
        concurrency: Some(100_000),
        workers: Some(4096),
        target_rps: 10_000_000.0,
        db_share_pct: 100.0,
        db_hold_ms: 600_000.0,
        cpu_ms: [600_000.0; 3],
        wait_ms: [600_000.0; 3],
        overhead_ms: Some(1000.0),
        cv: 10.0,
        ..Plan::default()
    };
    if !slow {
        // The same population with the shortest CPU and hold times: the knee of the
        // throughput curve lies far beyond the exact range (large-population path).
        p.cpu_ms = [0.01; 3];
        p.overhead_ms = Some(0.0);
        p.db_hold_ms = 0.01;
        p.target_rps = 0.0;
    }
    p.tier = Tier::Custom;
    p
}

fn bench(c: &mut Criterion) {
    {
        let plan = Plan::default();
        c.bench_function("piece/recommend", |b| b.iter(|| planner::model::rules::recommend(black_box(&plan))));
        c.bench_function("piece/files", |b| b.iter(|| planner::export::files(black_box(&plan))));
        c.bench_function("piece/validate", |b| b.iter(|| black_box(&plan).validate()));
        let rec = planner::model::rules::recommend(&plan);
        c.bench_function("piece/gunicorn", |b| b.iter(|| planner::export::gunicorn::render(black_box(&plan), &rec)));
        c.bench_function("piece/env", |b| b.iter(|| planner::export::env::render(black_box(&plan), &rec)));
        c.bench_function("piece/nginx", |b| b.iter(|| planner::export::nginx::render(black_box(&plan), rec.nginx.as_ref().unwrap())));
        c.bench_function("piece/postgres", |b| b.iter(|| planner::export::postgres::render(black_box(&plan), rec.postgres.as_ref().unwrap())));
        c.bench_function("piece/alerts", |b| b.iter(|| planner::export::alerts::render(black_box(&plan), &rec.alerts)));
        c.bench_function("piece/sysctl", |b| b.iter(|| planner::export::sysctl::render(black_box(&plan), &rec.kernel, "sysctl.conf")));
        c.bench_function("piece/header", |b| b.iter(|| planner::export::header("#", "x", black_box(&plan))));
        c.bench_function("piece/workers", |b| b.iter(|| planner::model::workers::recommend(black_box(&plan))));
        c.bench_function("piece/one_line", |b| b.iter(|| planner::export::one_line(black_box("a rule with some words in it and more words to see the cost"))));
        c.bench_function("piece/evaluate", |b| b.iter(|| evaluate(black_box(&plan))));
        c.bench_function("piece/plan_row", |b| b.iter(|| capacity::plan_row(black_box(&plan))));
    }
    // What the page computes on every change: the outcome (rules, capacity, latency, tier
    // table, verdict) and every exported file. Budget: ≤ 50 µs per tier.
    for tier in Tier::BENCHMARKS {
        let plan = Plan::for_tier(tier);
        c.bench_function(&format!("full/{}", tier.key()), |b| {
            b.iter(|| (outcome(black_box(&plan)), planner::export::files(black_box(&plan))))
        });
        let with_target = Plan { target_rps: 800.0, ..plan };
        c.bench_function(&format!("full/{}-target", tier.key()), |b| {
            b.iter(|| (outcome(black_box(&with_target)), planner::export::files(black_box(&with_target))))
        });
    }
    for tier in Tier::BENCHMARKS {
        let plan = Plan::for_tier(tier);
        c.bench_function(&format!("evaluate/{}", tier.key()), |b| b.iter(|| evaluate(black_box(&plan))));
    }
    let plan = Plan::default();
    c.bench_function("tiers/all-three", |b| b.iter(|| tiers(black_box(&plan))));
    for (name, plan) in [("largest/slowest", largest(true)), ("largest/fastest", largest(false))] {
        c.bench_function(&format!("evaluate/{name}"), |b| b.iter(|| evaluate(black_box(&plan))));
    }
    // The parts of one evaluation: MVA, the slots' 70 % rate, the latency.
    for (name, plan) in [("medium", Plan::for_tier(Tier::Medium)), ("large", Plan::for_tier(Tier::Large)), ("largest/slowest", largest(true)), ("largest/fastest", largest(false))] {
        let node = capacity::Node::new(&plan);
        let net = node.network();
        let cap = capacity::capacity_of(&node, plan.replicas);
        c.bench_function(&format!("part/{name}/mva"), |b| b.iter(|| queueing::mva(black_box(&net), node.slots)));
        c.bench_function(&format!("part/{name}/slots_limit"), |b| b.iter(|| capacity::slots_limit_rps(black_box(&node))));
        c.bench_function(&format!("part/{name}/latency"), |b| b.iter(|| capacity::latency_at(black_box(&node), &cap, cap.node_rps)));
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2)).sample_size(30);
    targets = bench
}
criterion_main!(benches);
