//! Everything the planner says about a plan in one value: the configuration rules, the
//! capacity model's evaluation, the benchmark tiers and the verdict against the target,
//! with the warnings of both (the rules' consistency checks and the CPU target).

use super::figure::{count, noun, replica_noun, replicas, whole};
use super::capacity::{evaluate, evaluate_beside, plan_row, tiers_beside, Evaluation, TierRow};
use super::plan::Plan;
use std::rc::Rc;

use super::rules::{self, checks, Checked, Severity, Warning};

/// How the plan meets its target rate and latency objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The configuration fails as written (a warning of [`Severity::Error`]): whatever the
    /// capacity says, the plan does not run as described. Before every other fit.
    Broken,
    /// No target rate is set: the capacity is the answer.
    NoTarget,
    /// The target is within the 70 % capacity and p95 meets the objective.
    Headroom,
    /// The target is served, but above the 70 % target or with p95 over the objective.
    AtRisk,
    /// The target is at or above what the fleet can serve with every slot busy.
    OverCapacity,
}

impl Fit {
    /// A stable key for tests, CSS and the JSON report.
    pub fn key(self) -> &'static str {
        match self {
            Fit::Broken => "broken",
            Fit::NoTarget => "no-target",
            Fit::Headroom => "headroom",
            Fit::AtRisk => "at-risk",
            Fit::OverCapacity => "over-capacity",
        }
    }

    /// In words, for the summary.
    pub fn label(self) -> &'static str {
        match self {
            Fit::Broken => "Broken",
            Fit::NoTarget => "No target rate set",
            Fit::Headroom => "Fits the target with headroom",
            Fit::AtRisk => "At risk",
            Fit::OverCapacity => "Over capacity",
        }
    }
}

/// The verdict: the fit, the replicas that would meet the target, and a sentence. What
/// else would meet the target is [`super::suggest::suggestions`]'s (the page asks the
/// files' worker for it, off the edit's path).
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub fit: Fit,
    /// With `spare` nodes: whether the others carry the target at its peak, within 70 %
    /// and the objective. None without spares or without a target.
    pub survives_spare: Option<bool>,
    /// The fewest replicas at which the target rate is within the 70 % capacity and p95
    /// meets the objective; None without a target or when no replica count up to
    /// [`MAX_REPLICAS`] meets it.
    pub replicas_needed: Option<u32>,
    pub message: String,
}

/// The most replicas the verdict considers (the `replicas` input's upper bound).
pub const MAX_REPLICAS: u32 = 1000;

/// Everything about a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The rules the summary shows, with every warning ([`rules::checked`]).
    pub rules: Rc<Checked>,
    pub eval: Evaluation,
    pub tiers: Vec<TierRow>,
    /// The plan's own row of the tier table (at its 70 % rate, like the tiers).
    pub plan_row: TierRow,
    pub verdict: Verdict,
    /// The rules' warnings, then the capacity model's.
    pub warnings: Vec<Warning>,
}

/// The whole outcome of a plan. Never panics on a valid plan.
pub fn outcome(plan: &Plan) -> Outcome {
    let rules = rules::checked(plan);
    let eval = evaluate(plan);
    let mut warnings = rules.warnings.clone();
    warnings.extend(cpu_warning(plan, &eval));
    let plan_row = plan_row(plan, &eval);
    let verdict = broken(&warnings).unwrap_or_else(|| verdict(plan, &eval));
    let verdict = Verdict { survives_spare: survives_spare(plan, &eval), ..verdict };
    Outcome { verdict, tiers: tiers_beside(plan, &plan_row), plan_row, eval, rules: Rc::new(rules), warnings }
}

/// The verdict of a plan whose configuration fails: its first error says why, and how
/// many more there are. None when no warning is an error.
pub fn broken(warnings: &[Warning]) -> Option<Verdict> {
    let mut errors = warnings.iter().filter(|w| w.severity == Severity::Error);
    let first = errors.next()?;
    let more = errors.count();
    let rest = match more {
        0 => String::new(),
        n => format!(" (and {} under Warnings)", count(n as u32, "more error", "more errors")),
    };
    let message = format!("The configuration fails as written: {}{rest}", first.message);
    Some(Verdict { fit: Fit::Broken, survives_spare: None, replicas_needed: None, message })
}

/// The rate the fleet must carry: the target at its peak (`target × peak`), r/s.
pub fn peak_rps(plan: &Plan) -> f64 {
    plan.target_rps * if plan.peak.is_finite() { plan.peak.max(1.0) } else { 1.0 }
}

/// The plan with its spare nodes lost: the fleet that must still carry the peak.
pub fn survivors(plan: &Plan) -> Plan {
    Plan { replicas: plan.replicas.saturating_sub(plan.spare).max(1), spare: 0, ..plan.clone() }
}

/// Whether the plan fits its target once it has lost its spare nodes ([`meets_target`] of
/// [`survivors`]; the plan itself, beside `eval`, without spares).
pub fn fits(plan: &Plan, eval: &Evaluation) -> bool {
    if plan.spare == 0 {
        return meets_target(plan, eval);
    }
    let rest = survivors(plan);
    meets_target(&rest, &evaluate_beside(&rest, eval))
}

/// With spare nodes and a target: whether the fleet survives losing them.
fn survives_spare(plan: &Plan, eval: &Evaluation) -> Option<bool> {
    (plan.spare > 0 && plan.target_rps > 0.0).then(|| fits(plan, eval))
}

/// The CPU's utilisation at the target rate against 003's 70 % ([`checks::cpu_over_target`]);
/// without a target the plan is read at its own 70 % capacity, so there is nothing to say.
pub fn cpu_warning(plan: &Plan, eval: &Evaluation) -> Option<Warning> {
    (plan.target_rps > 0.0).then(|| checks::cpu_over_target(eval.latency.cpu_utilisation, plan.target_rps))?
}

/// Whether `eval` meets the plan's target at its peak ([`peak_rps`]): rate within the 70 %
/// capacity, and p95 at that rate within the objective (every node up).
pub fn meets_target(plan: &Plan, eval: &Evaluation) -> bool {
    peak_rps(plan) <= eval.capacity.rps * (1.0 + 1e-9) && !eval.latency.over_capacity && objectives_met(plan, eval)
}

/// Whether every request class the mix uses meets its own p95 objective (the one
/// objective of the plan, or one per class).
pub fn objectives_met(plan: &Plan, eval: &Evaluation) -> bool {
    let classes = plan.classes();
    if eval.latency.classes.len() != classes.len() {
        return eval.latency.p95_ms <= plan.p95_objective_ms;
    }
    classes.iter().zip(&eval.latency.classes).all(|(c, l)| c.share <= 0.0 || l.p95_ms <= c.p95_objective_ms)
}

/// The class used by the mix whose p95 is furthest above (or least below) its objective:
/// its name, p95 and objective, ms. None with fewer than two classes in use.
pub fn worst_class(plan: &Plan, eval: &Evaluation) -> Option<(String, f64, f64)> {
    let used: Vec<_> = plan.classes().into_iter().zip(&eval.latency.classes).filter(|(c, _)| c.share > 0.0).collect();
    if used.len() < 2 {
        return None;
    }
    used.into_iter()
        .map(|(c, l)| (c.name, l.p95_ms, c.p95_objective_ms))
        .max_by(|a, b| (a.1 / a.2).total_cmp(&(b.1 / b.2)))
}

/// The plan's verdict: headroom when [`meets_target`]; over capacity when the target
/// needs more than every slot busy can give; at risk in between. The replicas that would
/// fit it come from [`replicas_to_fit`].
// Source: 003 (CPU < 70 %); PLANNER.md §3 (capacity.rps at the 70 % target).
pub fn verdict(plan: &Plan, eval: &Evaluation) -> Verdict {
    let cap = &eval.capacity;
    if plan.target_rps <= 0.0 {
        return Verdict {
            fit: Fit::NoTarget,
            survives_spare: None,
            replicas_needed: None,
            message: format!(
                "{} {} {} r/s with its busiest resource ({}) at 70 %; set a target rate to check it.",
                replicas(plan, plan.replicas),
                noun(plan.replicas, "sustains", "sustain"),
                whole(cap.rps),
                cap.bottleneck
            ),
        };
    }
    let fit = if fits(plan, eval) {
        Fit::Headroom
    } else if eval.latency.over_capacity {
        Fit::OverCapacity
    } else {
        Fit::AtRisk
    };
    let needed = replicas_to_fit(plan, eval);
    // Over capacity the queue grows without bound: no time is a latency to hold.
    let rate = rate_words(plan);
    let now = if fit == Fit::OverCapacity {
        // A server that refuses what its slots do not hold answers 503 for the excess
        // instead of queueing it: no latency for those, the accepted ones wait no longer.
        let fate = match eval.latency.rejected_pct {
            Some(pct) => format!("it refuses about {} % of the requests (503), so no p95 holds for the rate asked", whole(pct)),
            None => "requests would queue without limit, so no p95 holds".to_string(),
        };
        format!(
            "{} on {} is more than the {} r/s {} with every slot busy ({} first): {fate}.",
            rate,
            replicas(plan, plan.replicas),
            whole(cap.max_rps),
            noun(plan.replicas, "it serves", "they serve"),
            cap.bottleneck.words(),
        )
    } else {
        format!(
            "{} on {}: capacity {} r/s at 70 % ({} first), p95 {}.{}",
            rate,
            replicas(plan, plan.replicas),
            whole(cap.rps),
            cap.bottleneck.words(),
            p95_words(plan, eval),
            spare_words(plan, eval)
        )
    };
    // The replicas that serve the target, unless their configuration fails there.
    let runs = |n: u32| n == plan.replicas || super::suggest::verified(&Plan { replicas: n, ..plan.clone() }).is_some();
    let advice = match needed {
        Some(n) if n == plan.replicas => String::new(),
        Some(n) if !runs(n) => format!(" {} would serve it, but not as configured: see the suggestions.", replicas(plan, n)),
        Some(n) if n < plan.replicas => format!(" {} would also fit it.", replicas(plan, n)),
        Some(n) => format!(" {} would fit it.", replicas(plan, n)),
        None => format!(
            " No replica count up to {} fits it: {}.",
            whole(f64::from(MAX_REPLICAS)),
            why_none(plan, eval)
        ),
    };
    Verdict { fit, survives_spare: None, replicas_needed: needed, message: now + &advice }
}

/// "80 ms against 200 ms", and with several classes the one furthest from its objective:
/// "80 ms; checkout 140 ms against 120 ms".
fn p95_words(plan: &Plan, eval: &Evaluation) -> String {
    match worst_class(plan, eval) {
        Some((name, p95, objective)) => format!("{} ms; {name} {} ms against {} ms", whole(eval.latency.p95_ms), whole(p95), whole(objective)),
        None => format!("{} ms against {} ms", whole(eval.latency.p95_ms), whole(plan.p95_objective_ms)),
    }
}

/// "3,000 r/s", or "3,000 r/s at peak (1,500 × 2)" with a peak factor.
fn rate_words(plan: &Plan) -> String {
    if peak_rps(plan) > plan.target_rps {
        format!("{} r/s at peak ({} × {})", whole(peak_rps(plan)), whole(plan.target_rps), super::figure::dec(plan.peak, 2))
    } else {
        format!("{} r/s", whole(plan.target_rps))
    }
}

/// What the fleet does when it loses its spare nodes ("" without spares).
fn spare_words(plan: &Plan, eval: &Evaluation) -> String {
    if plan.spare == 0 {
        return String::new();
    }
    let rest = survivors(plan);
    let left = replicas(plan, rest.replicas);
    let lost = replicas(plan, plan.spare);
    let verb = noun(rest.replicas, "carries", "carry");
    if fits(plan, eval) {
        format!(" Losing {lost}, the other {left} still {verb} it.")
    } else {
        format!(" Losing {lost}, the other {left} would not carry it.")
    }
}

/// Why no fleet up to [`MAX_REPLICAS`] meets the target: a shared database resource
/// that does not grow with the nodes, or an objective below the unloaded response time.
fn why_none(plan: &Plan, eval: &Evaluation) -> String {
    let shared = shared_limit_rps(&eval.node);
    match shared {
        Some((b, rps)) if rps < peak_rps(plan) => format!(
            "{} can carry {} r/s at 70 % whatever the number of {}",
            b.words(),
            whole(rps),
            replica_noun(plan).1,
        ),
        _ => "the p95 objective is below what a request takes at low load".to_string(),
    }
}

/// The fleet rate at which the busiest resource shared by every node (the server
/// connections, the database host's CPU) reaches 70 %, with it; None without a database.
pub fn shared_limit_rps(node: &super::capacity::Node) -> Option<(super::capacity::Bottleneck, f64)> {
    use super::capacity::{Bottleneck, UTILISATION_TARGET};
    let at = |s: super::queueing::Station| UTILISATION_TARGET * s.max_rate_per_ms() * 1000.0;
    let conns = node.server_station().map(|s| (Bottleneck::DbConnections, at(s)));
    let cpu = node.db_cpu_station().map(|s| (Bottleneck::DbCpu, at(s)));
    [conns, cpu].into_iter().flatten().fold(None, |best: Option<(Bottleneck, f64)>, x| match best {
        Some(b) if b.1 <= x.1 => Some(b),
        _ => Some(x),
    })
}

/// The fewest replicas (1 to [`MAX_REPLICAS`]) at which the plan [`meets_target`], each
/// count evaluated in full (the database's connections per node shrink as nodes are
/// added) beside the plan's own evaluation `eval` ([`evaluate_beside`]). A doubling
/// search then bisection; if more nodes stop helping (a shared connection limit), the
/// linear scan of the last bracket still finds the least.
pub fn replicas_to_fit(plan: &Plan, eval: &Evaluation) -> Option<u32> {
    if plan.target_rps <= 0.0 {
        return None;
    }
    // The nodes that carry the peak, plus the spares that may be lost.
    let spare = plan.spare;
    let plan = &Plan { spare: 0, ..plan.clone() };
    let fits = |n: u32| {
        if n == plan.replicas {
            return meets_target(plan, eval);
        }
        let p = Plan { replicas: n, ..plan.clone() };
        meets_target(&p, &evaluate_beside(&p, eval))
    };
    let mut hi = 1;
    while !fits(hi) {
        if hi >= MAX_REPLICAS {
            return None;
        }
        hi = (hi * 2).min(MAX_REPLICAS);
    }
    let mut lo = hi / 2; // does not fit (or 0)
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    (hi + spare <= MAX_REPLICAS).then_some(hi + spare)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::capacity::Bottleneck;
    use crate::model::choice::{Server, Switch};

    #[test]
    fn the_outcomes_rules_are_the_full_rules_the_summary_reads_with_every_warning() {
        use crate::model::Platform;
        for p in [Plan::default(), Plan { platform: Platform::K8s, pgbouncer: Switch::On, ..Plan::default() }] {
            let (o, full) = (outcome(&p), rules::recommend(&p));
            assert!(!full.alerts.is_empty());
            assert_eq!((&o.rules.gunicorn, &o.rules.db_pool, &o.rules.pgbouncer, &o.rules.redis, &o.rules.warnings), (&full.gunicorn, &full.db_pool, &full.pgbouncer, &full.redis, &full.warnings));
            assert_eq!(crate::model::report::report(&p).settings.alerts, full.alerts, "the CLI's report has them");
        }
    }

    #[test]
    fn every_class_meets_its_own_objective_or_the_verdict_names_the_worst() {
        use crate::model::query::decode_strict;
        let q = |p95: &str| decode_strict(&format!("mix=85,15&classes=search,checkout&cpu_ms=3,40&wait_ms=20,5&rps=300&p95={p95}")).unwrap();
        let met = q("200,300");
        let o = outcome(&met);
        let l = &o.eval.latency;
        assert!(l.classes[1].p95_ms > l.p95_ms && l.classes[1].p95_ms < 200.0, "checkout's tail is the longer: {} {}", l.classes[1].p95_ms, l.p95_ms);
        assert_eq!(o.verdict.fit, Fit::Headroom);
        // The mixture's p95 is within both objectives, checkout's own p95 is not within its own.
        let objective = (l.p95_ms + l.classes[1].p95_ms) / 2.0;
        let missed = q(&format!("300,{}", whole(objective)));
        let o = outcome(&missed);
        assert!(o.eval.latency.p95_ms < missed.p95_objective_ms);
        assert_eq!(o.verdict.fit, Fit::AtRisk);
        let words = format!("checkout {} ms against {} ms", whole(o.eval.latency.classes[1].p95_ms), whole(objective));
        assert!(o.verdict.message.contains(&words), "{}", o.verdict.message);
    }

    #[test]
    fn without_a_target_the_verdict_gives_the_capacity() {
        let p = Plan::default();
        let o = outcome(&p);
        assert_eq!(o.verdict.fit, Fit::NoTarget);
        assert_eq!(o.verdict.replicas_needed, None);
        assert!(o.verdict.message.contains(&format!("{} r/s", whole(o.eval.capacity.rps))), "{}", o.verdict.message);
    }

    #[test]
    fn the_plans_row_is_its_own_tier_row_at_its_70_percent_rate() {
        let p = Plan { cores: 6, ..Plan::default() };
        let o = outcome(&p);
        assert_eq!((o.plan_row.name, o.plan_row.cores), ("plan", 6));
        assert_eq!(o.plan_row.rps, o.eval.capacity.rps);
        assert!(o.plan_row.rps > o.tiers[1].rps && o.plan_row.rps < o.tiers[2].rps);
    }

    #[test]
    fn the_tiers_beside_an_evaluation_are_the_tiers_solved_alone() {
        for p in [Plan::default(), Plan { cores: 6, target_rps: 900.0, ..Plan::default() }, Plan::for_tier(crate::model::Tier::Large)] {
            assert_eq!(outcome(&p).tiers, crate::model::tiers(&p));
        }
    }

    #[test]
    fn the_plans_row_with_or_without_a_target_is_its_tier_row_solved_alone() {
        for target_rps in [0.0, 900.0] {
            let p = Plan { target_rps, ..Plan::default() };
            let medium = crate::model::tiers(&p).remove(1);
            assert_eq!(outcome(&p).plan_row, TierRow { tier: p.tier, name: "plan", ..medium });
        }
    }

    #[test]
    fn an_evaluation_beside_another_is_the_evaluation_solved_alone() {
        let base = Plan { target_rps: 3000.0, ..Plan::default() };
        let known = evaluate(&base);
        // 1–8 replicas share the node; with PgBouncer's shared pool the connections per
        // node shrink as nodes are added, so the node differs.
        for pgbouncer in [Switch::Off, Switch::On] {
            for replicas in [1, 2, 3, 8, 40] {
                let p = Plan { replicas, pgbouncer, ..base.clone() };
                assert_eq!(evaluate_beside(&p, &known), evaluate(&p), "{replicas} {pgbouncer:?}");
            }
        }
    }

    #[test]
    fn a_target_within_70_percent_and_the_objective_has_headroom() {
        let cap = outcome(&Plan::default()).eval.capacity.rps;
        let p = Plan { target_rps: (cap * 0.8).floor(), ..Plan::default() };
        let o = outcome(&p);
        assert_eq!(o.verdict.fit, Fit::Headroom, "{}", o.verdict.message);
        assert_eq!(o.verdict.replicas_needed, Some(1));
    }

    #[test]
    fn between_70_percent_and_saturation_is_at_risk_and_two_nodes_fit() {
        let c = outcome(&Plan::default()).eval.capacity;
        let p = Plan { target_rps: ((c.rps + c.max_rps) / 2.0).floor(), ..Plan::default() };
        let o = outcome(&p);
        assert_eq!(o.verdict.fit, Fit::AtRisk, "{}", o.verdict.message);
        assert_eq!(o.verdict.replicas_needed, Some(2));
        assert!(o.warnings.iter().any(|w| w.code == "cpu-over-70"), "{:?}", o.warnings);
        // Two nodes' pools (2 × 160 connections) would not fit PostgreSQL's 197: the
        // count serves the rate, the suggestions say how it runs.
        assert!(o.verdict.message.ends_with("2 nodes would serve it, but not as configured: see the suggestions."), "{}", o.verdict.message);
        let suggested = crate::model::suggest::suggestions(&p, &o.eval, o.verdict.replicas_needed);
        assert_eq!(suggested.last().map(|s| s.plan.as_str()), Some("replicas=2&pgbouncer=on"));
        let pooled = outcome(&Plan { pgbouncer: Switch::On, ..p });
        assert!(pooled.verdict.message.ends_with("2 nodes would fit it."), "{}", pooled.verdict.message);
    }

    #[test]
    fn over_capacity_no_time_is_given_as_a_latency() {
        let c = outcome(&Plan::default()).eval.capacity;
        let o = outcome(&Plan { target_rps: (c.max_rps * 2.0).floor(), ..Plan::default() });
        assert_eq!(o.verdict.fit, Fit::OverCapacity);
        assert!(o.verdict.message.starts_with(&format!("{} r/s on 1 node is more than the {} r/s it serves with every slot busy (the CPU first): it refuses about {} % of the requests (503), so no p95 holds for the rate asked.", whole((c.max_rps * 2.0).floor()), whole(c.max_rps), whole(o.eval.latency.rejected_pct.unwrap_or(0.0)))), "{}", o.verdict.message);
        assert!(!o.verdict.message.contains(" ms"), "{}", o.verdict.message);
        // uvicorn at twice what it serves refuses half (1 − X/λ).
        assert!((o.eval.latency.rejected_pct.unwrap_or(0.0) - 50.0).abs() < 0.1, "{:?}", o.eval.latency.rejected_pct);
        // sync queues the excess: no refusals, no time.
        let sync = Plan { server: crate::model::Server::Sync, target_rps: 5000.0, ..Plan::default() };
        let o = outcome(&sync);
        assert_eq!((o.verdict.fit, o.eval.latency.rejected_pct), (Fit::OverCapacity, None));
        assert!(o.verdict.message.contains("(the worker slots first): requests would queue without limit, so no p95 holds."), "{}", o.verdict.message);
    }

    #[test]
    fn above_saturation_is_over_capacity_and_the_replicas_scale_with_the_target() {
        // A database host large enough for ten nodes (4 cores carry about 3,500 r/s).
        let base = Plan { db_cores: 32, ..Plan::default() };
        let c = outcome(&base).eval.capacity;
        let p = Plan { target_rps: (c.rps * 10.0).floor(), ..base };
        let o = outcome(&p);
        assert_eq!(o.verdict.fit, Fit::OverCapacity);
        let n = o.verdict.replicas_needed.unwrap();
        // 10 × one node's 70 % rate needs 10 nodes, or 11 if rounding down the rate misses
        assert!((10..=11).contains(&n), "{n}");
        let fewer = Plan { replicas: n - 1, ..p.clone() };
        assert!(!meets_target(&fewer, &evaluate(&fewer)));
        let enough = Plan { replicas: n, ..p };
        assert!(meets_target(&enough, &evaluate(&enough)));
    }

    #[test]
    fn an_objective_below_the_unloaded_response_time_fits_no_replica_count() {
        // the default mix takes ~20 ms per request at any load
        let p = Plan { target_rps: 100.0, p95_objective_ms: 5.0, ..Plan::default() };
        let o = outcome(&p);
        assert_eq!(o.verdict.fit, Fit::AtRisk);
        assert_eq!(o.verdict.replicas_needed, None);
        assert!(o.verdict.message.contains("No replica count up to 1,000"));
    }

    #[test]
    fn a_shared_pgbouncer_pool_makes_the_database_the_bottleneck_of_a_large_fleet() {
        // 20 server connections for the fleet, on a database host large enough that its CPU is not the limit first.
        let p = Plan { replicas: 8, pgbouncer: Switch::On, pgbouncer_pool: Some(20), target_rps: 1000.0, db_cores: 32, ..Plan::default() };
        let o = outcome(&p);
        assert_eq!(o.eval.capacity.bottleneck, Bottleneck::DbConnections);
        assert!(o.verdict.message.contains("(the database connections first)"), "{}", o.verdict.message);
    }

    #[test]
    fn a_plan_whose_configuration_fails_is_broken_whatever_its_capacity() {
        // 20 nodes without PgBouncer: 3,200 connections into PostgreSQL's 197.
        let p = Plan { replicas: 20, target_rps: 100.0, ..Plan::default() };
        let o = outcome(&p);
        assert_eq!(o.verdict.fit, Fit::Broken);
        assert!(o.verdict.message.starts_with("The configuration fails as written: The fleet's pools may open 3,200 connections"), "{}", o.verdict.message);
        assert!(o.verdict.message.ends_with("(and 1 more error under Warnings)"), "{}", o.verdict.message);
        assert_eq!(o.verdict.replicas_needed, None);
        // Memory over the node: 200 processes of 1 GiB on 8 GiB.
        let o = outcome(&Plan { workers: Some(200), worker_mem_mib: 1024, ..Plan::default() });
        assert_eq!(o.verdict.fit, Fit::Broken);
        assert!(o.warnings.iter().any(|w| w.code == "memory-over-node" && w.severity == Severity::Error));
        assert!(!o.warnings.iter().any(|w| w.code == "memory-over-80"), "one memory warning, the worse");
        // Cautions and notes leave the verdict to the capacity.
        let o = outcome(&Plan { target_rps: 100.0, ..Plan::default() });
        assert_eq!(o.verdict.fit, Fit::Headroom);
    }

    /// 2,000 random valid plans (the capacity model's own property test runs 10,000):
    /// the outcome never panics, its numbers are finite, the verdict agrees with the
    /// target and the capacity, and the replicas it names do fit while one fewer does not.
    #[test]
    fn random_plans_give_consistent_verdicts() {
        use crate::model::rules::tests::property::{random_plan, Rng};
        let mut rng = Rng(0x5eed_0f0c_7c0e);
        for i in 0..2000 {
            let p = random_plan(&mut rng);
            let o = outcome(&p);
            let c = &o.eval.capacity;
            assert!(c.rps.is_finite() && c.rps >= 0.0 && c.max_rps >= c.rps * (1.0 - 1e-9), "{i}: {p:?}");
            assert!(o.plan_row.rps.is_finite() && o.tiers.iter().all(|t| t.rps.is_finite() && t.p95_ms >= 0.0), "{i}");
            let errors = o.warnings.iter().any(|w| w.severity == Severity::Error);
            assert_eq!(o.verdict.fit == Fit::Broken, errors, "{i}: never green over an error, never broken without one");
            match o.verdict.fit {
                Fit::Broken => assert!(o.verdict.message.starts_with("The configuration fails as written: "), "{i}"),
                Fit::NoTarget => assert!(p.target_rps <= 0.0),
                Fit::Headroom => assert!(meets_target(&p, &o.eval), "{i}"),
                Fit::OverCapacity => assert!(o.eval.latency.over_capacity, "{i}"),
                Fit::AtRisk => assert!(!meets_target(&p, &o.eval) && !o.eval.latency.over_capacity, "{i}"),
            }
            if let Some(n) = o.verdict.replicas_needed {
                let fits = |r: u32| {
                    let q = Plan { replicas: r, ..p.clone() };
                    meets_target(&q, &evaluate(&q))
                };
                assert!(fits(n), "{i}: {n} replicas for {p:?}");
                assert!(n == 1 || !fits(n - 1), "{i}: {} replicas also fit {p:?}", n - 1);
            }
        }
    }

    #[test]
    fn a_capacity_below_one_request_a_second_is_written_with_two_figures_not_as_zero() {
        // 20 s of waiting per request on three sync workers: about 0.1 r/s.
        let slow = Plan { server: Server::Sync, cores: 1, wait_ms: crate::model::plan::three([20_000.0; 3]), ..Plan::default() };
        let o = outcome(&slow);
        let rps = o.eval.capacity.rps;
        assert!(rps > 0.01 && rps < 1.0, "{rps}");
        assert!(o.verdict.message.contains(&format!("sustains {} r/s", whole(rps))), "{}", o.verdict.message);
        assert!(!o.verdict.message.contains("sustains 0 r/s"), "{}", o.verdict.message);
        let with_target = outcome(&Plan { target_rps: 0.05, ..slow });
        assert!(with_target.verdict.message.starts_with("0.05 r/s on 1 node"), "{}", with_target.verdict.message);
    }

    #[test]
    fn the_cpu_warning_follows_the_utilisation_at_the_target() {
        let sync = Plan { server: Server::Sync, ..Plan::default() };
        let cap = outcome(&sync).eval.capacity.rps;
        let low = outcome(&Plan { target_rps: (cap * 0.5).floor(), ..sync.clone() });
        assert!(!low.warnings.iter().any(|w| w.code == "cpu-over-70"));
        let p = Plan::default();
        let c = outcome(&p).eval.capacity;
        let high = outcome(&Plan { target_rps: (c.rps * 1.2).floor(), ..p });
        let w = high.warnings.iter().find(|w| w.code == "cpu-over-70").expect("cpu-over-70");
        assert!(w.message.contains("above the 70 % target"), "{}", w.message);
    }
}
