//! Solving for the target: when a plan misses its target rate or p95 objective, what
//! would meet it — first on the nodes the person has (more processes, threads or
//! concurrent requests per process, another server class, PgBouncer), then on bigger
//! nodes, then on more of them. Each suggestion is a plan the model has evaluated in full
//! and found to meet the target with no configuration error; it carries the fields it
//! changes as a query fragment, which the page applies with a click.

use super::capacity::{evaluate, Evaluation};
use super::choice::{Database, Platform, Server, Switch};
use super::figure::{count, whole};
use super::outcome::{fits, peak_rps};
use super::plan::Plan;
use super::rules::{self, Severity};
use super::Field;

/// One way to meet the target.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The fields it changes, as the share link writes them: `workers=24&threads=8`.
    pub plan: String,
    /// The change and what the model predicts with it.
    pub why: String,
}

/// Node sizes, in cores, a bigger node is chosen from: the sizes of the common cloud
/// machine families (2 to 192 vCPUs) and the planner's largest.
pub const NODE_CORES: &[u32] = &[2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];

/// The most suggestions shown: the first of each kind, nearest the plan first.
pub const MAX_SUGGESTIONS: usize = 4;

/// The plan with `changes` applied, if every value reads and is in range.
fn changed(plan: &Plan, changes: &[(Field, String)]) -> Option<Plan> {
    let mut p = plan.clone();
    for (f, text) in changes {
        p.set(*f, text).ok()?;
    }
    Some(p)
}

/// Why a plan is not a suggestion.
enum Miss {
    /// It misses the target.
    Target,
    /// It meets the target, but a warning of its configuration is an error.
    Broken,
}

/// `p`'s evaluation when it meets its target and no warning of its configuration is an
/// error ([`Severity::Error`]): a suggestion never trades a miss for a broken plan.
fn check(p: &Plan) -> Result<Evaluation, Miss> {
    let eval = evaluate(p);
    if !fits(p, &eval) {
        return Err(Miss::Target);
    }
    match broken(p) {
        true => Err(Miss::Broken),
        false => Ok(eval),
    }
}

/// Whether a warning of the plan's configuration is an error.
fn broken(p: &Plan) -> bool {
    rules::checked(p).warnings.iter().any(|w| w.severity == Severity::Error)
}

/// The suggestions of a plan, as [`suggestions`] gives them from its outcome.
pub fn for_plan(plan: &Plan) -> Vec<Suggestion> {
    let o = super::outcome::outcome(plan);
    suggestions(plan, &o.eval, o.verdict.replicas_needed)
}

/// The suggestions as text, one per line, `plan` and `why` split by a tab (neither holds
/// a tab or a line break): what the files' worker sends the page.
pub fn encode(list: &[Suggestion]) -> String {
    list.iter().map(|s| format!("{}\t{}", s.plan, s.why)).collect::<Vec<_>>().join("\n")
}

/// The suggestions' list as markup for the page: an Apply button per suggestion with
/// its `plan` and `why` in data attributes, described by its why; every text escaped.
pub fn markup(list: &[Suggestion]) -> String {
    use super::details::html::put;
    let mut out = String::new();
    for (i, s) in list.iter().enumerate() {
        let button = format!("<li><button type=\"button\" class=\"apply\" aria-describedby=\"sg-{i}\" data-plan=\"");
        let span = format!("\">Apply</button> <span id=\"sg-{i}\">");
        put(&mut out, &[&button, &s.plan, "\" data-why=\"", &s.why, &span, &s.why, "</span></li>"]);
    }
    out
}

/// What [`encode`] wrote; lines without a tab are skipped.
pub fn decode(text: &str) -> Vec<Suggestion> {
    text.lines().filter_map(|l| l.split_once('\t')).map(|(p, w)| Suggestion { plan: p.to_string(), why: w.to_string() }).collect()
}

/// [`check`] as an option: the plan's evaluation when it meets its target and runs.
pub fn verified(p: &Plan) -> Option<Evaluation> {
    check(p).ok()
}

/// A candidate: the changes, and the words for them.
#[derive(Clone)]
struct Candidate {
    changes: Vec<(Field, String)>,
    words: String,
}

fn candidate(changes: &[(Field, u32)], words: String) -> Candidate {
    Candidate { changes: changes.iter().map(|&(f, v)| (f, v.to_string())).collect(), words }
}

/// The least value in `from..=to` whose candidate verifies, with its plan and
/// evaluation: doubling from `from` until one does, then halving the gap (more of a
/// resource meets a target no worse, so the first found bounds the least).
fn least(plan: &Plan, from: u32, to: u32, make: &dyn Fn(u32) -> Candidate) -> Option<Found> {
    let try_at = |n: u32| verify(plan, make(n));
    let (mut lo, mut hi) = (from.saturating_sub(1), from);
    let mut found = loop {
        if hi > to {
            return None;
        }
        if let Some(f) = try_at(hi) {
            break f;
        }
        if hi == to {
            return None;
        }
        lo = hi;
        hi = hi.saturating_mul(2).min(to);
    };
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        match try_at(mid) {
            Some(f) => {
                found = f;
                hi = mid;
            }
            None => lo = mid,
        }
    }
    Some(found)
}

/// A candidate that verified, with its plan and evaluation.
type Found = (Candidate, Plan, Evaluation);

/// The candidate if its plan [`verified`]; else, when it meets the target but does not
/// run and the plan's PostgreSQL has no PgBouncer in front, the candidate with PgBouncer (more processes or nodes open more
/// connections than PostgreSQL takes; PgBouncer keeps them to its pool).
fn verify(plan: &Plan, c: Candidate) -> Option<Found> {
    let p = changed(plan, &c.changes)?;
    match check(&p) {
        Ok(e) => return Some((c, p, e)),
        Err(Miss::Target) => return None,
        Err(Miss::Broken) => {}
    }
    if plan.db != Database::Postgres || plan.pgbouncer == Switch::On || c.changes.iter().any(|(f, _)| *f == Field::Pgbouncer) {
        return None;
    }
    let mut c = c;
    c.changes.push((Field::Pgbouncer, "on".into()));
    c.words.push_str(", with PgBouncer");
    let p = changed(plan, &c.changes)?;
    verified(&p).map(|e| (c, p, e))
}

/// What one node of the plan runs as a replica: a pod on Kubernetes.
fn replicas_words(plan: &Plan, n: u32) -> String {
    match plan.platform {
        Platform::K8s => count(n, "pod", "pods"),
        _ => count(n, "node", "nodes"),
    }
}

/// The ways to meet the plan's target, nearest first, at most [`MAX_SUGGESTIONS`];
/// `eval` is the plan's own evaluation and `replicas_needed` the verdict's count.
/// Empty when the plan has no target, already meets it, or does not run as configured
/// (its errors say what to change first).
pub fn suggestions(plan: &Plan, eval: &Evaluation, replicas_needed: Option<u32>) -> Vec<Suggestion> {
    if plan.target_rps <= 0.0 || fits(plan, eval) || broken(plan) {
        return vec![];
    }
    let w = &eval.node.workers;
    let (processes, per) = (w.processes, w.per_process);
    let cap = &eval.capacity;
    // What each node must carry, against what its CPU and its slots carry at 70 %: more
    // slots never raise the CPU's limit (it only falls with contention), and a limit grows
    // at most in proportion to what it counts, so the ratios are where a search starts.
    let node_target = peak_rps(plan) / f64::from(plan.replicas.saturating_sub(plan.spare).max(1));
    let cpu_short = cap.cpu_limit_rps < node_target;
    let times = |limit: f64| if limit > 0.0 { (node_target / limit).max(1.0) } else { 1.0 };
    let start = |now: u32, limit: f64| ((f64::from(now) * times(limit)).ceil() as u32).max(now + 1);
    // A search goes to four times where it starts at most: past that, what binds is not
    // what it adds (a shared database, the memory), and each step costs an evaluation.
    let upto = |from: u32, most: u32| from.saturating_mul(4).min(most).max(from);
    let mut found: Vec<Found> = Vec::new();
    if !cpu_short {
        // More processes on the same node, as many as its memory holds.
        let from = start(processes, cap.slots_limit_rps);
        found.extend(least(plan, from, upto(from, w.memory_cap.max(processes + 1).min(4096)), &|n| {
            candidate(&[(Field::Workers, n)], format!("{} per node instead of {processes}", count(n, "process", "processes")))
        }));
        // More requests per process within the server class.
        match plan.server {
            Server::Gthread => found.extend(least(plan, start(per, cap.slots_limit_rps).min(64), 64, &|t| {
                candidate(&[(Field::Threads, t)], format!("{} per process instead of {per}", count(t, "thread", "threads")))
            })),
            Server::Async | Server::Gevent => found.extend(least(plan, start(per, cap.slots_limit_rps), upto(start(per, cap.slots_limit_rps), 100_000), &|c| {
                candidate(&[(Field::Concurrency, c)], format!("{} concurrent requests per process instead of {per}", whole(c.into())))
            })),
            Server::Sync => found.extend(least(plan, start(1, cap.slots_limit_rps).clamp(2, 64), 64, &|t| {
                let words = format!("gunicorn gthread with {} per process instead of sync", count(t, "thread", "threads"));
                let mut c = candidate(&[(Field::Threads, t)], words);
                c.changes.push((Field::Server, "gthread".into()));
                c
            })),
        }
    }
    // Another server class with its own rule's processes and slots.
    for &s in Server::ALL.iter().filter(|&&s| s != plan.server && !(s == Server::Gthread && plan.server == Server::Sync)) {
        let caveat = match s {
            Server::Async => "; the app must be ASGI",
            Server::Gevent => "; its database and HTTP clients must be gevent-safe",
            _ => "",
        };
        let c = Candidate { changes: vec![(Field::Server, s.key().into())], words: format!("{} instead of {}{caveat}", s.label(), plan.server.label()) };
        found.extend(verify(plan, c));
    }
    if plan.db == Database::Postgres && plan.pgbouncer == Switch::Off {
        let c = Candidate { changes: vec![(Field::Pgbouncer, "on".into())], words: "PgBouncer in front of PostgreSQL".into() };
        found.extend(verify(plan, c));
    }
    // Bigger nodes, of the sizes clouds sell: the cores and the RAM in proportion, from
    // the size whose cores could carry the target at best.
    let (cores, ram) = (plan.cores, plan.ram_gib);
    let from = start(cores, cap.cpu_limit_rps);
    let bigger = NODE_CORES.iter().filter(|&&c| c >= from).take(3).find_map(|&c| {
        let r = (ram * f64::from(c) / f64::from(cores) * 2.0).ceil() / 2.0;
        let mut cand = candidate(&[(Field::Cores, c)], format!("{c} cores and {} GiB per node instead of {cores} and {}", whole(r), whole(ram)));
        cand.changes.push((Field::Ram, crate::model::decimal::shortest(r)));
        verify(plan, cand)
    });
    found.extend(bigger);
    let mut out: Vec<Suggestion> = found
        .into_iter()
        .take(MAX_SUGGESTIONS - 1)
        .map(|(c, p, e)| suggestion(&c, &p, &e))
        .collect();
    out.extend(more_nodes(plan, replicas_needed));
    out
}

/// More of the same nodes: the verdict's count (with PgBouncer when their pools would
/// otherwise open more connections than PostgreSQL takes).
fn more_nodes(plan: &Plan, replicas_needed: Option<u32>) -> Option<Suggestion> {
    let n = replicas_needed.filter(|&n| n != plan.replicas)?;
    let words = format!("{} instead of {}", replicas_words(plan, n), plan.replicas);
    verify(plan, candidate(&[(Field::Replicas, n)], words)).map(|(c, p, e)| suggestion(&c, &p, &e))
}

fn suggestion(c: &Candidate, p: &Plan, e: &Evaluation) -> Suggestion {
    let plan = c.changes.iter().map(|(f, _)| format!("{}={}", f.key(), p.get(*f))).collect::<Vec<_>>().join("&");
    let why = format!(
        "{}: {} r/s at 70 %, p95 {} ms at {} r/s.",
        c.words,
        whole(e.capacity.rps),
        whole(e.latency.p95_ms),
        whole(p.target_rps)
    );
    Suggestion { plan, why }
}

#[cfg(test)]
mod tests;
