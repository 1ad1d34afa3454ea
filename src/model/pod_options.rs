//! Workers per pod or more pods? (issue 22): for a plan that sets the pod's CPU limit on
//! Kubernetes, the same total CPU as pods of half, the same and twice the limit, each
//! evaluated in full (capacity, p95 at the target, memory, database connections, what one
//! pod's loss costs), and the option the model prefers, with why. The report's, the CLI's
//! and the settings list's (in the files' worker): each option is a whole evaluation, too
//! slow for the page's redraw, and its code is not in the page's first load.

use super::figure::{count, dec, whole};
use super::outcome::{fits, replicas_to_fit};
use super::plan::Plan;
use super::{evaluate, pod, rules, workers};
use serde::Serialize;

/// One way to split the fleet's CPU into pods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodOption {
    /// Each pod's CPU limit, cores, and memory limit, GiB (None: the node's RAM caps the
    /// workers).
    pub pod_cpu: f64,
    pub pod_mem_gib: Option<f64>,
    pub pods: u32,
    pub workers_per_pod: u32,
    /// The fleet's rate at 70 % of its busiest resource, r/s.
    pub capacity_rps: f64,
    /// p95 at the target, ms; None without a target or over capacity.
    pub p95_ms: Option<f64>,
    /// Whether the fleet carries the target's peak within the objective after losing its
    /// spare pods.
    pub fits: bool,
    /// Pods a node like the plan's holds with their limits reserved ([`pod::per_node`],
    /// what the fleet is billed by), and the memory they request there, GiB (app
    /// container and nginx sidecar).
    pub pods_per_node: u32,
    pub memory_per_node_gib: f64,
    /// Connections the fleet's pools may open to the database (or PgBouncer); None without
    /// a database.
    pub db_connections: Option<u64>,
    /// Share of the fleet's capacity lost when one pod goes, %.
    pub lost_on_one_pct: f64,
}

/// The options and the one the model prefers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodOptions {
    pub options: Vec<PodOption>,
    /// Index in `options`.
    pub preferred: usize,
    pub why: String,
}

/// The pods carrying the plan: the fewest that fit its target (spares included), else its
/// replicas.
fn pods_for(plan: &Plan) -> u32 {
    let eval = evaluate(plan);
    replicas_to_fit(plan, &eval).unwrap_or(plan.replicas).max(1)
}

/// One option: `pods` pods of `cpu` cores (memory scaled with the CPU), evaluated in full.
fn option(plan: &Plan, cpu: f64, pods: u32) -> PodOption {
    let scale = cpu / pod::cpu_quota(plan).unwrap_or(cpu);
    let mem = pod::mem_limit_mib(plan).map(|m| m / 1024.0 * scale);
    let p = Plan { pod_cpu: cpu, pod_mem_gib: mem.unwrap_or(0.0), replicas: pods, spare: plan.spare.min(pods.saturating_sub(1)), ..plan.clone() };
    let eval = evaluate(&p);
    let w = workers::recommend(&p);
    let k = rules::recommend(&p).kubernetes;
    let (ppn, pod_mib) = k.as_ref().map_or((0, 0), |k| {
        let sidecar = k.nginx.as_ref().map_or(0, |n| n.resources.memory_request_mib.value);
        (pod::per_node(&p).unwrap_or(k.pods_per_node_by_requests.value), k.app.resources.memory_request_mib.value.saturating_add(sidecar))
    });
    let less = if pods > 1 { evaluate(&Plan { replicas: pods - 1, spare: 0, ..p.clone() }).capacity.rps } else { 0.0 };
    let cap = eval.capacity.rps;
    let (size, overflow) = rules::pool::pool_and_overflow(p.server, &w);
    PodOption {
        pod_cpu: cpu,
        pod_mem_gib: mem,
        pods,
        workers_per_pod: w.processes,
        capacity_rps: cap,
        p95_ms: (p.target_rps > 0.0 && !eval.latency.over_capacity).then_some(eval.latency.p95_ms),
        fits: p.target_rps <= 0.0 || fits(&p, &eval),
        pods_per_node: ppn,
        memory_per_node_gib: f64::from(ppn.min(pods)) * f64::from(pod_mib) / 1024.0,
        db_connections: p.has_db().then(|| u64::from(pods) * u64::from(w.processes) * u64::from(size + overflow)),
        lost_on_one_pct: if cap > 0.0 { (100.0 * (1.0 - less / cap)).clamp(0.0, 100.0) } else { 100.0 },
    }
}

/// The options for the plan: N pods of its limit q, 2N of q/2 (from 0.1 core) and ⌈N/2⌉
/// of 2q (within the node's allocatable CPU and memory); None unless the plan sets
/// `pod_cpu` on Kubernetes.
pub fn pod_options(plan: &Plan) -> Option<PodOptions> {
    let q = pod::cpu_quota(plan)?;
    let n = pods_for(plan);
    // The node's allocatable resources alone: not the whole recommendation again.
    let (cpu_m, mem_mib) = rules::kubernetes::allocatable::of_plan(plan).whole();
    let (alloc_cpu, alloc_mem) = (cpu_m as f64, mem_mib as f64);
    let fits_node = |cpu: f64| cpu * 1000.0 <= alloc_cpu && pod::mem_limit_mib(plan).is_none_or(|m| m * cpu / q <= alloc_mem);
    let mut options = Vec::new();
    if q / 2.0 >= 0.1 {
        options.push(option(plan, q / 2.0, n.saturating_mul(2)));
    }
    options.push(option(plan, q, n));
    if fits_node(2.0 * q) {
        options.push(option(plan, 2.0 * q, n.div_ceil(2)));
    }
    let preferred = prefer(&options);
    let why = why(&options, preferred, plan.target_rps > 0.0);
    Some(PodOptions { options, preferred, why })
}

/// The option the model prefers: among those that carry the target, of at least two pods
/// where one such carries it (002: an HPA minimum of 2 for availability; one pod's loss
/// is the whole service), the lowest p95 (a tie within 5 % goes to fewer database
/// connections, then the smaller loss when one pod goes); without a target or when none
/// carries it, the most capacity.
pub fn prefer(options: &[PodOption]) -> usize {
    let mut carrying: Vec<usize> = (0..options.len()).filter(|&i| options[i].fits && options[i].p95_ms.is_some()).collect();
    if carrying.iter().any(|&i| options[i].pods >= 2) {
        carrying.retain(|&i| options[i].pods >= 2);
    }
    if carrying.is_empty() {
        return (0..options.len()).fold(0, |b, i| if options[i].capacity_rps > options[b].capacity_rps * 1.000_001 { i } else { b });
    }
    let p95 = |i: usize| options[i].p95_ms.unwrap_or(f64::INFINITY);
    let best = carrying.iter().copied().fold(carrying[0], |b, i| if p95(i) < p95(b) { i } else { b });
    let near: Vec<usize> = carrying.into_iter().filter(|&i| p95(i) <= p95(best) * 1.05).collect();
    near.into_iter()
        .min_by(|&a, &b| {
            let (x, y) = (&options[a], &options[b]);
            x.db_connections.cmp(&y.db_connections).then(x.lost_on_one_pct.total_cmp(&y.lost_on_one_pct))
        })
        .unwrap_or(best)
}

fn label(o: &PodOption) -> String {
    format!("{} of {} {}", count(o.pods, "pod", "pods"), dec(o.pod_cpu, 3), if o.pod_cpu == 1.0 { "core" } else { "cores" })
}

/// The sentence saying which option the model prefers and what the others trade.
fn why(options: &[PodOption], preferred: usize, target: bool) -> String {
    let o = &options[preferred];
    let reason = match (target, o.fits, o.p95_ms) {
        (true, true, Some(p95)) => format!("the lowest p95 at the target ({} ms) among the splits that carry it{}", whole(p95), if options.iter().any(|x| x.pods < 2 && x.fits) { " with two pods or more" } else { "" }),
        (true, _, _) => format!("none carries the target; it has the most capacity ({} r/s)", whole(o.capacity_rps)),
        _ => format!("the most capacity ({} r/s) for the same CPU", whole(o.capacity_rps)),
    };
    let mut out = format!("The model prefers {}: {reason}.", label(o));
    // What the smallest pods trade against the largest.
    if let (Some(small), Some(large)) = (options.first(), options.last()) {
        if options.len() > 1 {
            let db = match (small.db_connections, large.db_connections) {
                (Some(a), Some(b)) => format!(" and database connections ({} against {})", whole(a as f64), whole(b as f64)),
                _ => String::new(),
            };
            out.push_str(&format!(
                " Smaller pods lose less when one goes ({} % against {} % of the capacity); they run {} against {} workers per core (gunicorn's + 1 is per pod), each with its memory{db}; larger ones are throttled less, a burst having more quota per period.",
                whole(small.lost_on_one_pct),
                whole(large.lost_on_one_pct),
                dec(f64::from(small.workers_per_pod) / small.pod_cpu, 1),
                dec(f64::from(large.workers_per_pod) / large.pod_cpu, 1),
            ));
        }
    }
    out
}

/// The trade-off of pod sizes as a table and the model's preference.
pub fn text(o: &PodOptions) -> String {
    let mut out = String::from("\nWorkers per pod or more pods? (the same CPU)\n");
    out.push_str(&format!("  {:<5} {:>5} {:>8} {:>7} {:>10} {:>9} {:>9} {:>11} {:>11} {:>9}\n", "pods", "cpu", "mem GiB", "workers", "capacity", "p95 ms", "pods/node", "GiB/node", "DB conns", "lost/pod"));
    for (i, p) in o.options.iter().enumerate() {
        let opt = |x: Option<String>| x.unwrap_or_else(|| "—".into());
        out.push_str(&format!(
            "{} {:<5} {:>5} {:>8} {:>7} {:>10} {:>9} {:>9} {:>11} {:>11} {:>8} %\n",
            if i == o.preferred { "*" } else { " " },
            p.pods,
            dec(p.pod_cpu, 3),
            opt(p.pod_mem_gib.map(|g| dec(g, 3))),
            p.workers_per_pod,
            whole(p.capacity_rps),
            opt(p.p95_ms.map(whole)),
            p.pods_per_node,
            dec(p.memory_per_node_gib, 1),
            opt(p.db_connections.map(|c| whole(c as f64))),
            whole(p.lost_on_one_pct),
        ));
    }
    out.push_str(&format!("  {}\n", o.why));
    out
}

/// The trade-off as a section of the settings list (the page's "Settings, component by
/// component", written in the files' worker): a line per option, the preferred one first
/// marked, and the model's reason.
pub fn section(o: &PodOptions) -> super::details::Section {
    let lines = o
        .options
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let opt = |x: Option<String>, unit: &str| x.map_or_else(|| "—".to_string(), |v| format!("{v}{unit}"));
            super::details::Line {
                // The option as the keys that set it, a part of a share link.
                name: format!("replicas={}&pod_cpu={}{}", p.pods, dec(p.pod_cpu, 3), p.pod_mem_gib.map_or(String::new(), |g| format!("&pod_mem={}", dec(g, 3)))),
                value: whole(p.capacity_rps),
                unit: "r/s".to_string(),
                why: format!(
                    "{}{} per pod; p95 at the target {}; {}; {} per node ({} GiB); database connections {}; one pod's loss takes {} % of the capacity",
                    if i == o.preferred { "The model's choice. " } else { "" },
                    count(p.workers_per_pod, "worker", "workers"),
                    opt(p.p95_ms.map(whole), " ms"),
                    if p.fits { "carries the target" } else { "does not carry the target" },
                    count(p.pods_per_node, "pod", "pods"),
                    dec(p.memory_per_node_gib, 1),
                    opt(p.db_connections.map(|c| whole(c as f64)), ""),
                    whole(p.lost_on_one_pct)
                ),
                // The reason once, on the option chosen.
                source: if i == o.preferred { o.why.clone() } else { "the model, each option evaluated in full".to_string() },
            }
        })
        .collect();
    super::details::Section { id: "pods".to_string(), title: "Workers per pod or more pods?".to_string(), lines }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::query::decode_strict;

    #[track_caller]
    fn plan(q: &str) -> Plan {
        decode_strict(q).unwrap_or_else(|e| panic!("{q}: {e:?}"))
    }

    #[test]
    fn the_settings_list_shows_each_option_and_the_choice() {
        let o = pod_options(&plan("platform=k8s&cores=16&ram=64&server=sync&pod_cpu=0.5&pod_mem=1&rps=100&replicas=3")).expect("options");
        let s = section(&o);
        assert_eq!(s.lines.len(), o.options.len());
        let names: Vec<&str> = s.lines.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["replicas=4&pod_cpu=0.25&pod_mem=0.5", "replicas=2&pod_cpu=0.5&pod_mem=1", "replicas=1&pod_cpu=1&pod_mem=2"]);
        let chosen = &s.lines[o.preferred];
        assert!(chosen.why.starts_with("The model's choice. "), "{}", chosen.why);
        assert_eq!(s.lines.iter().filter(|l| l.why.starts_with("The model's choice")).count(), 1);
        assert_eq!(chosen.value, whole(o.options[o.preferred].capacity_rps));
        assert_eq!(chosen.source, o.why);
        assert_eq!(s.lines.iter().filter(|l| l.source == o.why).count(), 1);
        // The settings list (the files' worker's answer) carries it; a plan without pod_cpu does not.
        use crate::export::request::{answer, details, Reply};
        let markup = |q: &str| match answer(&details(q, "")) {
            Reply::Details(m) => m,
            _ => panic!("{q}: no settings list"),
        };
        assert!(markup("v=1&platform=k8s&cores=16&ram=64&pod_cpu=0.5&rps=100&replicas=3").contains("id=\"d-pods\""));
        assert!(!markup("v=1&platform=k8s&cores=16&ram=64&rps=100&replicas=3").contains("id=\"d-pods\""));
    }

    #[test]
    fn the_same_cpu_as_half_as_many_large_pods_or_twice_as_many_small_ones() {
        let p = plan("platform=k8s&cores=16&ram=64&server=sync&pod_cpu=1&pod_mem=1&rps=200&db=postgres");
        let o = pod_options(&p).expect("pod_cpu is set");
        let n = pods_for(&p);
        assert_eq!(o.options.iter().map(|x| (x.pod_cpu, x.pods)).collect::<Vec<_>>(), [(0.5, 2 * n), (1.0, n), (2.0, n.div_ceil(2))]);
        assert_eq!(o.options.iter().map(|x| x.workers_per_pod).collect::<Vec<_>>(), [2, 3, 5], "2 × q + 1 each, the memory scaled with the CPU capping none");
        assert_eq!(o.options[1].pod_mem_gib, Some(1.0));
        assert_eq!(o.options[2].pod_mem_gib, Some(2.0));
        for x in &o.options {
            assert!(x.capacity_rps > 0.0 && x.db_connections.is_some() && x.pods_per_node > 0, "{x:?}");
            assert!(x.lost_on_one_pct > 0.0 && x.lost_on_one_pct <= 100.0, "{x:?}");
        }
        // More pods, less lost with one.
        assert!(o.options[0].lost_on_one_pct < o.options[2].lost_on_one_pct);
        assert!(o.preferred < 3 && o.why.starts_with("The model prefers "), "{}", o.why);
        let t = text(&o);
        assert!(t.contains("Workers per pod or more pods?") && t.contains(&o.why), "{t}");
    }

    #[test]
    fn a_larger_pod_than_the_node_allows_is_not_an_option() {
        let p = plan("platform=k8s&cores=4&ram=16&pod_cpu=2.5");
        let o = pod_options(&p).expect("pod_cpu is set");
        assert_eq!(o.options.iter().map(|x| x.pod_cpu).collect::<Vec<_>>(), [1.25, 2.5]);
        assert!(pod_options(&plan("platform=k8s")).is_none());
        assert!(pod_options(&plan("pod_cpu=1")).is_none(), "plain hosts");
    }

    #[test]
    fn the_preference_is_the_lowest_p95_that_carries_the_target_else_the_most_capacity() {
        let o = |p95: Option<f64>, fits: bool, cap: f64, db: u64| PodOption {
            pod_cpu: 1.0, pod_mem_gib: None, pods: 2, workers_per_pod: 3, capacity_rps: cap, p95_ms: p95, fits,
            pods_per_node: 10, memory_per_node_gib: 1.0, db_connections: Some(db), lost_on_one_pct: 50.0,
        };
        assert_eq!(prefer(&[o(Some(90.0), true, 100.0, 10), o(Some(50.0), true, 90.0, 10), o(Some(20.0), false, 200.0, 10)]), 1);
        // Within 5 %: fewer connections.
        assert_eq!(prefer(&[o(Some(50.0), true, 100.0, 40), o(Some(51.0), true, 100.0, 20)]), 1);
        assert_eq!(prefer(&[o(None, false, 100.0, 1), o(None, false, 300.0, 1)]), 1);
        // One pod is no option while two carry the target.
        let one = PodOption { pods: 1, ..o(Some(10.0), true, 100.0, 1) };
        assert_eq!(prefer(&[o(Some(50.0), true, 100.0, 10), one]), 0);
    }
}
