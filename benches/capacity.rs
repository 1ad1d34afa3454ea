//! Cost of the capacity model: capacity + latency (+ the tier table) for each benchmark
//! tier, and for the largest plans the ranges allow. Budgets: ≤ 20 µs per tier,
//! ≤ 1 ms for the largest plan.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use planner::model::{capacity, evaluate, queueing, tiers, Plan, Tier};

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
