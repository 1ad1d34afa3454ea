//! Suggestions: each one, applied as the page applies it, is a plan that meets the
//! target and runs; the nearest come first; a plan that meets its target gets none.

use super::*;
use crate::model::outcome::{outcome, Fit};
use crate::model::rules::tests::property::random_plan;
use crate::model::rng::Rng;

/// The plan with a suggestion's fragment applied field by field, as the page does.
fn applied(plan: &Plan, s: &Suggestion) -> Plan {
    let mut p = plan.clone();
    for pair in s.plan.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or_else(|| panic!("{pair} in {}", s.plan));
        let field = Field::from_key(key).unwrap_or_else(|| panic!("{key} is no field"));
        p.set(field, value).unwrap_or_else(|e| panic!("{}: {e}", s.plan));
    }
    p
}

fn fits(p: &Plan) -> bool {
    let o = outcome(p);
    o.verdict.fit == Fit::Headroom
}

/// An I/O-bound service on gunicorn sync: 8 ms of CPU and 150 ms of waiting per
/// request, one 4-core node, 120 r/s wanted within 1 s at p95.
fn waiting_sync() -> Plan {
    Plan {
        server: Server::Sync,
        mix_pct: crate::model::plan::three([0, 100, 0]),
        cpu_ms: crate::model::plan::three([8.0; 3]),
        wait_ms: crate::model::plan::three([150.0; 3]),
        db: Database::None,
        target_rps: 120.0,
        p95_objective_ms: 1000.0,
        ..Plan::default()
    }
}

#[test]
fn a_sync_server_that_waits_gets_more_processes_and_threads_on_the_same_node() {
    let plan = waiting_sync();
    let o = outcome(&plan);
    assert!(matches!(o.verdict.fit, Fit::AtRisk | Fit::OverCapacity), "{}", o.verdict.message);
    let s = &for_plan(&plan);
    let plans: Vec<&str> = s.iter().map(|s| s.plan.as_str()).collect();
    assert!(plans[0].starts_with("workers="), "{plans:?}");
    assert!(plans.iter().any(|p| p.starts_with("threads=") && p.ends_with("&server=gthread")), "{plans:?}");
    assert!(s.len() <= MAX_SUGGESTIONS);
    for x in s {
        let p = applied(&plan, x);
        assert!(fits(&p), "{}: {}", x.plan, outcome(&p).verdict.message);
        if !x.plan.starts_with("replicas=") && !x.plan.starts_with("cores=") {
            assert_eq!((p.cores, p.replicas), (plan.cores, plan.replicas), "{}: same nodes", x.plan);
        }
    }
    // The least: one process fewer than suggested does not fit.
    let n: u32 = plans[0].trim_start_matches("workers=").parse().unwrap();
    assert!(!fits(&Plan { workers: Some(n - 1), ..plan.clone() }), "{n}");
    assert!(s[0].why.starts_with(&format!("{n} processes per node instead of 9: ")), "{}", s[0].why);
    assert!(s[0].why.ends_with(" at 120 r/s."), "{}", s[0].why);
}

#[test]
fn a_cpu_bound_plan_gets_bigger_or_more_nodes_never_more_processes() {
    let cap = outcome(&Plan::default()).eval.capacity.rps;
    let plan = Plan { target_rps: (cap * 1.6).round(), ..Plan::default() };
    let o = outcome(&plan);
    assert_eq!(o.eval.capacity.bottleneck, crate::model::capacity::Bottleneck::Cpu);
    let list = for_plan(&plan);
    let plans: Vec<&str> = list.iter().map(|s| s.plan.as_str()).collect();
    assert!(!plans.iter().any(|p| p.starts_with("workers=")), "processes do not add cores: {plans:?}");
    // A bigger node of a size clouds sell, with PgBouncer for its processes' connections.
    let bigger = plans.iter().find(|p| p.starts_with("cores=")).unwrap_or_else(|| panic!("{plans:?}"));
    let cores: u32 = bigger.trim_start_matches("cores=").split('&').next().unwrap().parse().unwrap();
    assert!(NODE_CORES.contains(&cores) && bigger.contains("&ram="), "{bigger}");
    // Two nodes' pools would open 320 connections into PostgreSQL's 197: with PgBouncer.
    assert_eq!(plans.last(), Some(&"replicas=2&pgbouncer=on"), "{plans:?}");
    assert!(for_plan(&plan).last().unwrap().why.starts_with("2 nodes instead of 1, with PgBouncer: "));
    assert!(o.verdict.message.ends_with("2 nodes would serve it, but not as configured: see the suggestions."), "{}", o.verdict.message);
    let no_db = Plan { db: Database::None, ..plan.clone() };
    let o = outcome(&no_db);
    assert_eq!(for_plan(&no_db).last().map(|s| s.plan.as_str()), Some("replicas=2"));
    assert!(for_plan(&no_db).last().unwrap().why.starts_with("2 nodes instead of 1: "));
    assert!(o.verdict.message.ends_with("2 nodes would fit it."), "{}", o.verdict.message);
    let k8s = Plan { platform: Platform::K8s, ..no_db };
    let last = for_plan(&k8s).pop().unwrap();
    assert!(last.why.starts_with("2 pods instead of 1: "), "{}", last.why);
}

#[test]
fn a_plan_that_meets_its_target_or_has_none_gets_no_suggestion() {
    assert!(for_plan(&Plan::default()).is_empty());
    let cap = outcome(&Plan::default()).eval.capacity.rps;
    assert!(for_plan(&Plan { target_rps: (cap * 0.5).round(), ..Plan::default() }).is_empty());
}

#[test]
fn an_objective_no_resource_can_meet_gets_no_suggestion() {
    // ~20 ms a request at any load: 5 ms is out of reach of any size.
    assert!(for_plan(&Plan { target_rps: 100.0, p95_objective_ms: 5.0, ..Plan::default() }).is_empty());
}

#[test]
fn a_suggestion_never_breaks_the_plan() {
    // More processes would meet the rate but not fit the node's memory: not suggested.
    let plan = Plan { worker_mem_mib: 1500, ..waiting_sync() };
    for s in for_plan(&plan) {
        let o = outcome(&applied(&plan, &s));
        assert!(o.warnings.iter().all(|w| w.severity != Severity::Error), "{}: {:?}", s.plan, o.warnings);
    }
}

/// 400 random plans with a target: every suggestion, applied as the page applies it,
/// meets the target without an error; the list is empty exactly when the plan fits.
#[test]
fn every_suggestion_of_random_plans_meets_the_target() {
    let mut rng = Rng(0x5_0cce_55);
    let mut with = 0;
    for i in 0..400 {
        // A target near the plan's capacity, below it to four times over, and an
        // objective within reach: three times the p95 at the 70 % capacity.
        let mut plan = random_plan(&mut rng);
        let at70 = outcome(&Plan { target_rps: 0.0, ..plan.clone() }).eval;
        plan.target_rps = (at70.capacity.rps * rng.log(0.8, 4.0)).max(0.01);
        plan.p95_objective_ms = (at70.latency.p95_ms * 3.0).clamp(1.0, 600_000.0);
        let o = outcome(&plan);
        if o.verdict.fit == Fit::Headroom || o.verdict.fit == Fit::Broken {
            assert!(for_plan(&plan).is_empty(), "{i}");
        }
        for s in &for_plan(&plan) {
            with += 1;
            let p = applied(&plan, s);
            assert_ne!(p, plan, "{i}: {}", s.plan);
            assert!(fits(&p), "{i}: {} on {plan:?}: {}", s.plan, outcome(&p).verdict.message);
        }
    }
    assert!(with > 100, "only {with} suggestions in 400 plans");
}



#[test]
fn the_text_the_worker_sends_reads_back_as_the_list() {
    let list = for_plan(&waiting_sync());
    assert!(list.len() >= 2);
    assert_eq!(decode(&encode(&list)), list);
    assert_eq!(decode("no tab\nplan\twhy"), [Suggestion { plan: "plan".into(), why: "why".into() }]);
    assert!(decode("").is_empty());
}

#[test]
fn the_markup_has_an_apply_button_per_suggestion_with_its_plan_and_why() {
    let list = for_plan(&waiting_sync());
    let m = markup(&list);
    assert_eq!(m.matches("class=\"apply\"").count(), list.len());
    assert!(m.starts_with(&format!("<li><button type=\"button\" class=\"apply\" aria-describedby=\"sg-0\" data-plan=\"{}\"", list[0].plan.replace('&', "&amp;"))), "{m}");
    assert!(markup(&[Suggestion { plan: "a=1".into(), why: "<b>".into() }]).contains("<span id=\"sg-0\">&lt;b&gt;</span>"));
}
