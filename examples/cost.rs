//! Instruction counts of the page's work per change, for `perf stat -e instructions:u`
//! when the machine is too busy for a timed bench: `cost PART N` runs PART N times.
use planner::model::{outcome, Plan};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let part = args.get(1).map_or("full", String::as_str);
    let n: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let plan = Plan::default();
    let mut sink = 0usize;
    for _ in 0..n {
        sink += match part {
            "files" => planner::export::files(std::hint::black_box(&plan)).map_or(0, |f| f.len()),
            "outcome" => outcome(std::hint::black_box(&plan)).tiers.len(),
            "svg" => {
                let c = [
                    planner::chart::throughput::chart(&plan).svg,
                    planner::chart::latency::chart(&plan).svg,
                    planner::chart::memory::chart(&plan).svg,
                    planner::chart::connections::chart(&plan).svg,
                    planner::chart::workers_vs_cores(&plan).into(),
                ];
                if n == 1 {
                    for s in &c {
                        println!("{} bytes, {} elements", s.len(), s.matches('<').count());
                    }
                }
                c.len()
            }
            "recommend" => planner::model::rules::recommend(std::hint::black_box(&plan)).alerts.len(),
            _ => outcome(std::hint::black_box(&plan)).tiers.len() + planner::export::files(&plan).map_or(0, |f| f.len()),
        };
    }
    println!("{sink}");
}
