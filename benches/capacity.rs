//! Cost of what the page computes: the outcome and every exported file of each benchmark
//! tier (≤ 50 µs per tier), its halves, each file's generator alone, and the capacity
//! model: capacity + latency (+ the tier table) for each tier (≤ 20 µs) and for the
//! largest plans the ranges allow (≤ 1 ms).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use planner::export::File;
use planner::model::{capacity, evaluate, outcome, queueing, rules, tiers, Outcome, Plan, Platform, Switch, Tier};

/// The outcome and every exported file, from every rule (the outcome has those the page
/// reads; the files' worker computes the rest).
fn full(plan: &Plan) -> (Outcome, Vec<File>) {
    let o = outcome(plan);
    let rec = rules::recommend_beside(plan, &o.rules);
    let files = planner::export::files_from(plan, &rec).expect("a valid plan");
    (o, files)
}

fn bench(c: &mut Criterion) {
    // What the page computes on every change: the outcome (rules, capacity, latency, tier
    // table, verdict) and every exported file. Budget: ≤ 50 µs per tier.
    for tier in Tier::BENCHMARKS {
        let plan = Plan::for_tier(tier);
        c.bench_function(&format!("full/{}", tier.key()), |b| {
            b.iter(|| full(black_box(&plan)))
        });
        let with_target = Plan { target_rps: 800.0, ..plan };
        c.bench_function(&format!("full/{}-target", tier.key()), |b| {
            b.iter(|| full(black_box(&with_target)))
        });
    }
    // What the page and the files' worker compute on an edit: the outcome, and the files
    // panel's listing from every rule (every name, the one file shown).
    for tier in Tier::BENCHMARKS {
        let plan = Plan { target_rps: 800.0, ..Plan::for_tier(tier) };
        c.bench_function(&format!("page/{}-target", tier.key()), |b| {
            b.iter(|| {
                let o = outcome(black_box(&plan));
                let listing = planner::export::listing(black_box(&plan), &rules::recommend(&plan), "gunicorn.conf.py");
                (o, listing)
            })
        });
    }
    // A target the plan misses: the outcome with the verdict's suggestions (each one a
    // search over a resource, every candidate evaluated and checked).
    let over = Plan { target_rps: 2500.0, ..Plan::default() };
    use planner::model::plan::three;
    let waiting = Plan { server: planner::model::Server::Sync, mix_pct: three([0, 100, 0]), wait_ms: three([150.0; 3]), cpu_ms: three([8.0; 3]), target_rps: 120.0, p95_objective_ms: 1000.0, ..Plan::default() };
    for (name, plan) in [("outcome/missed-cpu", over), ("outcome/missed-slots", waiting)] {
        let suggest = |plan: &Plan| {
            let o = outcome(plan);
            let s = planner::model::suggest::suggestions(plan, &o.eval, o.verdict.replicas_needed);
            (o, s)
        };
        assert!(!suggest(&plan).1.is_empty(), "{name}");
        c.bench_function(name, |b| b.iter(|| suggest(black_box(&plan))));
    }
    // The two halves of `full`, and the rules both of them start from.
    for tier in Tier::BENCHMARKS {
        let plan = Plan { target_rps: 800.0, ..Plan::for_tier(tier) };
        c.bench_function(&format!("outcome/{}-target", tier.key()), |b| b.iter(|| outcome(black_box(&plan))));
        c.bench_function(&format!("files/{}-target", tier.key()), |b| b.iter(|| planner::export::files(black_box(&plan))));
        c.bench_function(&format!("rules/{}", tier.key()), |b| b.iter(|| rules::recommend(black_box(&plan))));
    }
    // Each generator alone, on the medium tier (Kubernetes' two on the same node as a pod),
    // from the rules computed once.
    export_benches(c);
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
        let cap = capacity::capacity_of(&node);
        c.bench_function(&format!("part/{name}/mva"), |b| b.iter(|| queueing::mva(black_box(&net), node.slots)));
        c.bench_function(&format!("part/{name}/slots_limit"), |b| b.iter(|| capacity::slots_limit_rps(black_box(&node))));
        c.bench_function(&format!("part/{name}/latency"), |b| b.iter(|| capacity::latency_at(black_box(&node), &cap, cap.node_rps)));
    }
}

fn export_benches(c: &mut Criterion) {
    // A Kubernetes plan with every object (nginx sidecar, Redis, PgBouncer): its manifest and
    // Nix file embed the other files, so it writes more than a host plan.
    let k8s = Plan { platform: Platform::K8s, replicas: 3, pgbouncer: Switch::On, ..Plan::for_tier(Tier::Medium) };
    c.bench_function("full/k8s-medium", |b| b.iter(|| full(black_box(&k8s))));
    // Each file written alone (`export::file`, as the page's panel writes the one it shows),
    // on a host plan and a Kubernetes plan.
    let hosts = Plan { pgbouncer: Switch::On, ..Plan::for_tier(Tier::Medium) };
    let pods = Plan { platform: Platform::K8s, replicas: 3, ..hosts.clone() };
    for plan in [&hosts, &pods] {
        let rec = rules::recommend(plan);
        let names: Vec<String> = planner::export::files(plan).expect("a valid plan").into_iter().map(|f| f.name).collect();
        for name in names.iter().filter(|n| plan == &hosts || n.ends_with(".yaml") || n.ends_with(".nix")) {
            c.bench_function(&format!("export/{name}"), |b| b.iter(|| planner::export::file(black_box(plan), &rec, name)));
        }
    }
    c.bench_function("export/validate", |b| b.iter(|| black_box(&hosts).validate()));
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2)).sample_size(30);
    targets = bench
}
criterion_main!(benches);
