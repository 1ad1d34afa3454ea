//! Cost of the capacity model: capacity + latency (+ the tier table) for each benchmark
//! tier, and for the largest plans the ranges allow. Budgets: ≤ 20 µs per tier,
//! ≤ 1 ms for the largest plan.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use planner::model::{capacity, evaluate, outcome, queueing, tiers, Plan, Tier};

fn bench(c: &mut Criterion) {
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
    for (name, plan) in [("largest/slowest", capacity::largest_plan(true)), ("largest/fastest", capacity::largest_plan(false))] {
        c.bench_function(&format!("evaluate/{name}"), |b| b.iter(|| evaluate(black_box(&plan))));
    }
    // The parts of one evaluation: MVA, the slots' 70 % rate, the latency.
    for (name, plan) in [("medium", Plan::for_tier(Tier::Medium)), ("large", Plan::for_tier(Tier::Large)), ("largest/slowest", capacity::largest_plan(true)), ("largest/fastest", capacity::largest_plan(false))] {
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
