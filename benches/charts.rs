//! Cost of the charts (issue 6) for the default plan and the largest one: each chart's
//! series from the model, its figure drawn (and written as SVG, for the download), and
//! all four together. Budget:
//! well under 1 ms for all four natively (the page has 4 ms p95 for recompute and
//! redraw, and wasm runs 2–3 times slower).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use planner::chart::{connections, draw, latency, memory, svg, throughput, workers};
use planner::model::{curves, Plan, Tier};

fn bench(c: &mut Criterion) {
    let mut largest = Plan { cores: 256, ram_gib: 2048.0, replicas: 1000, workers: Some(4096), concurrency: Some(100_000), ..Plan::default() };
    largest.tier = Tier::Custom;
    for (name, plan) in [("default", Plan::default()), ("largest", largest)] {
        let mut g = c.benchmark_group(format!("charts/{name}"));
        let curve = curves::core_curve(&plan);
        let o = planner::model::outcome(&plan);
        g.bench_function("throughput/curve", |b| b.iter(|| curves::core_curve(black_box(&plan))));
        g.bench_function("throughput/beside-the-outcome", |b| b.iter(|| curves::throughput_beside(black_box(&curve), &plan, &o.eval, &o.tiers)));
        g.bench_function("latency/series", |b| b.iter(|| curves::latency(black_box(&plan))));
        g.bench_function("memory/series", |b| b.iter(|| curves::memory(black_box(&plan))));
        g.bench_function("connections/series", |b| b.iter(|| curves::connections(black_box(&plan))));
        let figures = [throughput::figure(&plan), latency::figure(&plan), memory::figure(&plan), connections::figure(&plan)];
        for (f, what) in figures.iter().zip(["throughput", "latency", "memory", "connections"]) {
            g.bench_function(format!("{what}/draw"), |b| b.iter(|| draw::render(black_box(f))));
            let drawing = draw::render(f);
            g.bench_function(format!("{what}/svg"), |b| b.iter(|| svg::document(black_box(&drawing))));
        }
        g.bench_function("throughput/chart", |b| b.iter(|| throughput::chart(black_box(&plan))));
        g.bench_function("throughput/chart-beside-the-outcome", |b| b.iter(|| throughput::chart_beside(black_box(&curve), &plan, &o.eval, &o.tiers)));
        g.bench_function("latency/chart-beside-the-outcome", |b| b.iter(|| latency::chart_beside(black_box(&plan), &o.eval)));
        g.bench_function("latency/chart", |b| b.iter(|| latency::chart(black_box(&plan))));
        g.bench_function("memory/chart", |b| b.iter(|| memory::chart(black_box(&plan))));
        g.bench_function("connections/chart", |b| b.iter(|| connections::chart(black_box(&plan))));
        g.bench_function("all-four", |b| {
            b.iter(|| {
                let p = black_box(&plan);
                (throughput::chart(p), latency::chart(p), memory::chart(p), connections::chart(p))
            })
        });
        g.bench_function("workers", |b| b.iter(|| workers::chart(black_box(&plan))));
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_millis(300)).measurement_time(std::time::Duration::from_secs(1)).sample_size(20);
    targets = bench
}
criterion_main!(benches);
