//! The page's summary: the headline values of a plan, each with its number, unit and
//! why, written from the outcome (nothing is computed here that the outcome does not
//! hold). The page shows them as they are; the tests read them natively.

use super::capacity::Bottleneck;
use super::choice::Server;
use super::figure::{count, noun, replica_noun, replicas, whole};
use super::outcome::Outcome;
use super::plan::Plan;
use super::sources::guide;

/// One headline value.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The page's element id ("v-capacity").
    pub id: &'static str,
    pub title: &'static str,
    pub number: String,
    /// With its leading space (" r/s"); empty for a word.
    pub unit: String,
    pub why: String,
}

/// What one process serves at once, in words, for `n` of them.
pub fn per_process_label(server: Server, n: u32) -> &'static str {
    match server {
        Server::Sync => "request per process (sync)",
        Server::Gthread => noun(n, "thread per process", "threads per process"),
        Server::Gevent => noun(n, "greenlet per process (worker_connections)", "greenlets per process (worker_connections)"),
        Server::Async => noun(n, "concurrent request per process", "concurrent requests per process"),
    }
}

/// The tier table's caption: what its rows are.
pub const TIERS_WHY: &str = concat!(
    "The ", guide!(004), "'s Small (2 cores, 4 GiB), Medium (4, 8) and Large (8, 16) nodes with the rest of this plan, ",
    "each at the rate where its busiest resource is 70 % busy."
);

/// The resource that limits throughput, in words.
pub fn bottleneck_label(b: Bottleneck) -> &'static str {
    match b {
        Bottleneck::Cpu => "CPU",
        Bottleneck::Workers => "worker slots",
        Bottleneck::DbConnections => "database connections",
        Bottleneck::DbCpu => "database CPU",
    }
}

/// The summary of `plan` from its outcome: processes, per process, the database pool
/// (with a database), capacity, p95 and the bottleneck.
pub fn values(plan: &Plan, o: &Outcome) -> Vec<Value> {
    let value = |id, title, number: String, unit: &str, why: String| Value { id, title, number, unit: unit.to_string(), why };
    let w = &o.rules.gunicorn;
    let cap = &o.eval.capacity;
    let node = replica_noun(plan).0;
    let (processes, per_process) = (w.workers.value, w.per_process.value);
    let mut values = vec![
        value(
            "v-workers",
            if node == "pod" { "Processes per pod" } else { "Processes per node" },
            whole(f64::from(processes)),
            noun(processes, " process", " processes"),
            w.workers.why.clone(),
        ),
        value(
            "v-per-process",
            "Per process",
            whole(f64::from(per_process)),
            &format!(" {}", per_process_label(plan.server, per_process)),
            format!("{} per {node} in all", count(o.eval.node.slots as f64, "slot", "slots")),
        ),
    ];
    if let Some(p) = &o.rules.db_pool {
        let through = o.rules.pgbouncer.as_ref().map_or(String::new(), |b| {
            format!(", through PgBouncer's {} server connections", whole(b.server_connections.value as f64))
        });
        values.push(value(
            "v-pool",
            "Database pool per process",
            format!("{} + {}", p.pool_size.value, p.max_overflow.value),
            " connections (pool + overflow)",
            format!(
                "{}; the fleet opens {} of PostgreSQL's {}{through}",
                p.pool_size.why,
                whole(p.fleet_connections.value as f64),
                whole(p.server_limit_connections.value as f64),
            ),
        ));
    }
    let rate_words = if plan.target_rps > 0.0 { "the target rate" } else { "the 70 % capacity" };
    let db_limit = cap.db_limit_rps.map_or(String::new(), |d| format!(", connections at {} r/s", whole(d)));
    values.extend([
        value(
            "v-capacity",
            "Capacity",
            whole(cap.rps),
            " r/s",
            format!(
                concat!("{} at 70 % busy (", guide!(003), ") on {}; {} r/s with every slot busy"),
                bottleneck_label(cap.bottleneck),
                replicas(plan, cap.replicas),
                whole(cap.max_rps)
            ),
        ),
        p95_value(plan, o, rate_words),
        value(
            "v-bottleneck",
            "Bottleneck",
            bottleneck_label(cap.bottleneck).to_string(),
            "",
            format!(
                "reaches 70 % first: CPU at {} r/s, slots at {} r/s{db_limit} per {node}",
                whole(cap.cpu_limit_rps),
                whole(cap.slots_limit_rps)
            ),
        ),
    ]);
    values
}

/// p95 at the rate the plan is read at. Over capacity there is none: the queue grows
/// for as long as the rate lasts, so the value says so rather than give a time.
fn p95_value(plan: &Plan, o: &Outcome, rate_words: &str) -> Value {
    let (cap, lat) = (&o.eval.capacity, &o.eval.latency);
    let objective = whole(plan.p95_objective_ms);
    let (number, unit, why) = if lat.over_capacity {
        let why = format!(
            "at {rate_words} ({} r/s) requests queue without limit: every slot busy serves {} r/s; objective {objective} ms",
            whole(lat.rate_rps),
            whole(cap.max_rps)
        );
        ("Unbounded".to_string(), "", why)
    } else {
        let why = format!("at {rate_words} ({} r/s): p50 {} ms, p99 {} ms; objective {objective} ms", whole(lat.rate_rps), whole(lat.p50_ms), whole(lat.p99_ms));
        (whole(lat.p95_ms), " ms", why)
    };
    Value { id: "v-p95", title: "p95 latency", number, unit: unit.to_string(), why }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{outcome, Database, Tier};

    fn find<'a>(values: &'a [Value], id: &str) -> &'a Value {
        values.iter().find(|v| v.id == id).unwrap_or_else(|| panic!("{id} missing"))
    }

    #[test]
    fn each_value_is_the_outcomes_number_with_the_figures_behind_it() {
        let plan = Plan { replicas: 3, target_rps: 1500.0, ..Plan::for_tier(Tier::Large) };
        let o = outcome(&plan);
        let v = values(&plan, &o);
        let ids: Vec<&str> = v.iter().map(|v| v.id).collect();
        assert_eq!(ids, ["v-workers", "v-per-process", "v-pool", "v-capacity", "v-p95", "v-bottleneck"]);
        let (cap, lat) = (&o.eval.capacity, &o.eval.latency);
        assert_eq!(find(&v, "v-workers").number, o.rules.gunicorn.workers.value.to_string());
        assert_eq!(find(&v, "v-workers").why, o.rules.gunicorn.workers.why);
        assert_eq!(find(&v, "v-per-process").why, format!("{} slots per node in all", whole(o.eval.node.slots as f64)));
        let pool = o.rules.db_pool.as_ref().unwrap();
        assert_eq!(find(&v, "v-pool").number, format!("{} + {}", pool.pool_size.value, pool.max_overflow.value));
        assert!(find(&v, "v-pool").why.contains(&format!("the fleet opens {} of", whole(pool.fleet_connections.value as f64))));
        let capacity = find(&v, "v-capacity");
        assert_eq!(capacity.number, whole(cap.rps));
        assert_eq!(capacity.why, format!("{} at 70 % busy (link-server guide) on 3 nodes; {} r/s with every slot busy", bottleneck_label(cap.bottleneck), whole(cap.max_rps)));
        let p95 = find(&v, "v-p95");
        assert_eq!(p95.number, whole(lat.p95_ms));
        assert_eq!(p95.why, format!("at the target rate (1,500 r/s): p50 {} ms, p99 {} ms; objective 200 ms", whole(lat.p50_ms), whole(lat.p99_ms)));
        assert_eq!(find(&v, "v-bottleneck").number, bottleneck_label(cap.bottleneck));
        assert!(find(&v, "v-bottleneck").why.contains(&format!("CPU at {} r/s, slots at {} r/s", whole(cap.cpu_limit_rps), whole(cap.slots_limit_rps))));
    }

    #[test]
    fn without_a_database_there_is_no_pool_and_without_a_target_the_rate_is_the_capacity() {
        let plan = Plan { db: Database::None, ..Plan::default() };
        let o = outcome(&plan);
        let v = values(&plan, &o);
        assert!(v.iter().all(|v| v.id != "v-pool"));
        assert!(find(&v, "v-p95").why.starts_with(&format!("at the 70 % capacity ({} r/s)", whole(o.eval.latency.rate_rps))));
        assert!(find(&v, "v-capacity").why.contains("on 1 node;"));
    }

    #[test]
    fn over_capacity_the_p95_is_unbounded_not_a_time() {
        let c = outcome(&Plan::default()).eval.capacity;
        let plan = Plan { target_rps: (c.max_rps * 1.5).floor(), ..Plan::default() };
        let o = outcome(&plan);
        let p95 = find(&values(&plan, &o), "v-p95").clone();
        assert_eq!((p95.number.as_str(), p95.unit.as_str()), ("Unbounded", ""));
        assert_eq!(p95.why, format!("at the target rate ({} r/s) requests queue without limit: every slot busy serves {} r/s; objective 200 ms", whole(plan.target_rps), whole(c.max_rps)));
    }
}
