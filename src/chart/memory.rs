//! Chart 3: the memory budget of one node as stacked bars (OS reserve, database, cache,
//! nginx, workers) against its RAM and the 80 % target; a second bar shows the CPU
//! rule's processes when the memory cap cut them.

use super::figure::{Axis, Colour, Figure, Mark};
use super::format::{count, gib, whole};
use super::Chart;
use crate::model::curves::{self, Memory};
use crate::model::Plan;

/// The inputs the chart reads: the worker rule's and the memory budget's.
pub fn inputs(plan: &Plan) -> Plan {
    let d = Plan::default();
    Plan { replicas: d.replicas, threads: d.threads, concurrency: d.concurrency, db_cores: d.db_cores, pgbouncer: d.pgbouncer, ..super::budget_inputs(plan) }
}

/// The bars: the recommended processes, and the CPU rule's when the cap cut them.
fn bars(m: &Memory) -> Vec<(String, u32)> {
    let w = &m.workers;
    let mut bars = vec![(format!("recommended: {} × {} MiB", count(w.processes, "process", "processes"), crate::model::decimal::shortest(m.worker_mib)), w.processes)];
    if w.by_cpu > w.processes && w.processes == w.memory_cap {
        bars.push((format!("CPU rule: {}, before the memory cap", count(w.by_cpu, "process", "processes")), w.by_cpu));
    }
    bars
}

/// The figure of [`curves::memory`], in GiB.
pub fn figure_of(m: &Memory) -> Figure {
    let bars = bars(m);
    let b = &m.budget;
    let widest = bars.iter().map(|&(_, n)| m.used_mib(n)).fold(b.ram_mib, f64::max);
    let (x, y) = (Axis::new("memory of one node (GiB)", 0.0, widest / 1024.0 * 1.06), Axis::bars(bars.len()));
    let row = |i: usize| (bars.len() - 1 - i) as f64;
    let fixed = [
        (Colour::C6, "OS reserve", b.os_mib),
        (Colour::C2, "PostgreSQL on the node", b.database_mib),
        (Colour::C4, "Redis", b.cache_mib),
        (Colour::C5, "nginx", b.proxy_mib),
    ];
    let mut marks = vec![];
    let mut start = 0.0;
    for (colour, name, mib) in fixed.into_iter().filter(|f| f.2 > 0.0) {
        let segs = (0..bars.len()).map(|i| [start / 1024.0, row(i) - 0.25, (start + mib) / 1024.0, row(i) + 0.25]).collect();
        marks.push(Mark::bars(colour, format!("{name} {}", gib(mib)), segs));
        start += mib;
    }
    let workers = bars.iter().enumerate().map(|(i, &(_, n))| [start / 1024.0, row(i) - 0.25, (start + m.workers_mib(n)) / 1024.0, row(i) + 0.25]).collect();
    marks.push(Mark::bars(Colour::C1, format!("app processes ({} MiB each)", crate::model::decimal::shortest(m.worker_mib)), workers));
    marks.push(Mark::at_x(Colour::C3, format!("80 % target {}", gib(m.target_mib)), m.target_mib / 1024.0, &y));
    marks.push(Mark::at_x(Colour::Fg, format!("RAM {}", gib(b.ram_mib)), b.ram_mib / 1024.0, &y));
    marks.push(Mark::labels(Colour::Fg, bars.iter().enumerate().map(|(i, (name, _))| (0.0, row(i) + 0.25, name.clone())).collect()));
    Figure { title: "Memory budget of one node".to_string(), x, y, marks, note: None }
}

/// The key numbers in words.
pub fn summary(m: &Memory) -> String {
    let b = &m.budget;
    let w = &m.workers;
    let mut parts = vec![format!("OS reserve {}", gib(b.os_mib))];
    for (name, mib) in [("PostgreSQL", b.database_mib), ("Redis", b.cache_mib), ("nginx", b.proxy_mib)] {
        if mib > 0.0 {
            parts.push(format!("{name} {}", gib(mib)));
        }
    }
    let used = m.used_mib(w.processes);
    let side = if used <= m.target_mib { "under" } else { "over" };
    let mut s = format!(
        "Of the node's {} of RAM: {}, and {} × {} MiB = {}; {} in all ({} % of RAM), {side} the 80 % target of {}.",
        gib(b.ram_mib),
        parts.join(", "),
        count(w.processes, "process", "processes"),
        crate::model::decimal::shortest(m.worker_mib),
        gib(m.workers_mib(w.processes)),
        gib(used),
        whole(100.0 * used / b.ram_mib),
        gib(m.target_mib),
    );
    if w.by_cpu > w.processes && w.processes == w.memory_cap {
        s += &format!(" The CPU rule's {} would take {}: the memory cap keeps {}.", count(w.by_cpu, "process", "processes"), gib(m.used_mib(w.by_cpu)), whole(w.processes.into()));
    }
    s
}

/// The figure for a plan.
pub fn figure(plan: &Plan) -> Figure {
    figure_of(&curves::memory(plan))
}

/// The chart for a plan: computed once, drawn, said in words.
pub fn chart(plan: &Plan) -> Chart {
    let m = curves::memory(plan);
    Chart::new(&figure_of(&m), summary(&m))
}
