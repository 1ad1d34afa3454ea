//! The page's summary: the headline values of a plan, each with its number, unit and
//! why, written from the outcome (nothing is computed here that the outcome does not
//! hold). The page shows them as they are; the tests read them natively.

use super::capacity::{db_on_app, Bottleneck};
use super::choice::Server;
use super::figure::{count, noun, replica_noun, replicas, whole};
use super::outcome::{peak_rps, survivors, Outcome};
use super::plan::Plan;
use super::sources::guide;

mod classes;
pub use classes::{class_rows, ClassRow};

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
/// (with a database), capacity, p95, how busy the database is (with one), the bottleneck
/// with every limit, and whether losing the spare nodes is carried (with spares).
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
            w.workers.why.to_string(),
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
            // The capacity counts default_pool_size; the reserve opens only after
            // reserve_pool_timeout (issue 19), so both are named.
            format!(
                ", through PgBouncer's {} ({} with its reserve)",
                count(f64::from(b.default_pool_size.value), "server connection", "server connections"),
                whole(b.server_connections.value as f64)
            )
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
    // Every limit per node: the shared database's are the fleet's divided by the nodes.
    let limit = |what: &str, rps: Option<f64>| rps.map_or(String::new(), |r| format!(", {what} at {} r/s", whole(r)));
    let db_limits = limit("connections", cap.db_limit_rps) + &limit("database CPU", cap.db_cpu_limit_rps);
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
    ]);
    values.extend(database_value(plan, o));
    values.extend([
        value(
            "v-bottleneck",
            "Bottleneck",
            bottleneck_label(cap.bottleneck).to_string(),
            "",
            format!(
                "reaches 70 % first: CPU at {} r/s, slots at {} r/s{db_limits} per {node}",
                whole(cap.cpu_limit_rps),
                whole(cap.slots_limit_rps)
            ),
        ),
    ]);
    values.extend(spare_value(plan, o));
    values.push(super::cost::value(plan));
    values
}

/// How busy the database is at the rate the plan is read at: the busier of its
/// connections (the node's pool or the server connections the fleet shares) and its
/// host's CPU, with both in the why. None without a database.
fn database_value(plan: &Plan, o: &Outcome) -> Option<Value> {
    if !plan.has_db() {
        return None;
    }
    let (node, lat) = (&o.eval.node, &o.eval.latency);
    let pct = |u: f64| whole(100.0 * u);
    // Over capacity the database sees what the fleet serves, every slot busy, not the rate asked.
    let rate = if lat.over_capacity { format!("the {} r/s served", whole(o.eval.capacity.max_rps)) } else { format!("{} r/s", whole(lat.rate_rps)) };
    let cpu = if db_on_app(plan) {
        format!(" at {rate}; its CPU is counted in the app {}'s", replica_noun(plan).0)
    } else {
        format!(", database host CPU {} % of {} at {rate}", pct(lat.db_cpu_utilisation), count(node.db_cores as f64, "core", "cores"))
    };
    Some(Value {
        id: "v-database",
        title: "Database",
        number: pct(lat.db_utilisation.max(lat.db_cpu_utilisation)),
        unit: " % busy".to_string(),
        why: format!(
            "connections {} % (pool of the fleet: {}){cpu}",
            pct(lat.db_utilisation),
            count(node.db_servers as f64, "server connection", "server connections"),
        ),
    })
}

/// With spare nodes and a target: whether the others carry the target at its peak once
/// the spares are lost (the verdict's `survives_spare`), shown whatever the fit, as a
/// broken or overloaded plan's verdict says something else first.
fn spare_value(plan: &Plan, o: &Outcome) -> Option<Value> {
    let carried = o.verdict.survives_spare?;
    let (lost, left) = (replicas(plan, plan.spare), replicas(plan, survivors(plan).replicas));
    let (number, verb) = if carried { ("Carried", "still carry") } else { ("Not carried", "would not carry") };
    let why = format!(
        "losing {lost}, the other {left} {verb} {} r/s within 70 % busy and the {} ms objective",
        whole(peak_rps(plan)),
        whole(plan.p95_objective_ms)
    );
    Some(Value { id: "v-spare", title: "Losing the spares", number: number.to_string(), unit: String::new(), why })
}

/// p95 at the rate the plan is read at. Over capacity there is none: the queue grows
/// for as long as the rate lasts, so the value says so rather than give a time.
fn p95_value(plan: &Plan, o: &Outcome, rate_words: &str) -> Value {
    let (cap, lat) = (&o.eval.capacity, &o.eval.latency);
    let objective = whole(plan.p95_objective_ms);
    let (number, unit, why) = if lat.over_capacity {
        // A server that refuses what its slots do not hold (uvicorn's limit_concurrency,
        // gevent's worker_connections) has no queue to grow: it turns the excess away.
        let (rate, max) = (whole(lat.rate_rps), whole(cap.max_rps));
        match lat.rejected_pct.map(whole) {
            Some(pct) => {
                let refused = match plan.server {
                    Server::Gevent => format!("gevent stops accepting at worker_connections, and about {pct} % of requests are refused at the listen backlog"),
                    _ => format!("uvicorn refuses about {pct} % of requests (503)"),
                };
                let why = format!("at {rate_words} ({rate} r/s) every slot is busy, serving {max} r/s: {refused}; objective {objective} ms");
                (pct, " % refused", why)
            }
            None => {
                let why = format!("at {rate_words} ({rate} r/s) requests queue without limit: every slot busy serves {max} r/s; objective {objective} ms");
                ("Unbounded".to_string(), "", why)
            }
        }
    } else {
        let why = format!("at {rate_words} ({} r/s): p50 {} ms, p99 {} ms; objective {objective} ms", whole(lat.rate_rps), whole(lat.p50_ms), whole(lat.p99_ms));
        (whole(lat.p95_ms), " ms", why)
    };
    Value { id: "v-p95", title: "p95 latency", number, unit: unit.to_string(), why }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::query::decode_strict;
    use crate::model::{outcome, Database, Switch, Tier};

    fn find<'a>(values: &'a [Value], id: &str) -> &'a Value {
        values.iter().find(|v| v.id == id).unwrap_or_else(|| panic!("{id} missing"))
    }

    #[test]
    fn each_value_is_the_outcomes_number_with_the_figures_behind_it() {
        let plan = Plan { replicas: 3, target_rps: 1500.0, ..Plan::for_tier(Tier::Large) };
        let o = outcome(&plan);
        let v = values(&plan, &o);
        let ids: Vec<&str> = v.iter().map(|v| v.id).collect();
        assert_eq!(ids, ["v-workers", "v-per-process", "v-pool", "v-capacity", "v-p95", "v-database", "v-bottleneck", "v-cost"]);
        // 3 large nodes (8 cores, 16 GiB) at the default prices: 3 × 0.221256 × 730 = $485.
        assert_eq!(find(&v, "v-cost").number, "$485");
        let (cap, lat) = (&o.eval.capacity, &o.eval.latency);
        assert_eq!(find(&v, "v-workers").number, o.rules.gunicorn.workers.value.to_string());
        assert_eq!(find(&v, "v-workers").why, o.rules.gunicorn.workers.why);
        assert_eq!(find(&v, "v-per-process").why, format!("{} slots per node in all", whole(o.eval.node.slots as f64)));
        let pool = o.rules.db_pool.as_ref().unwrap();
        assert_eq!(find(&v, "v-pool").number, format!("{} + {}", pool.pool_size.value, pool.max_overflow.value));
        assert!(find(&v, "v-pool").why.contains(&format!("the fleet opens {} of", whole(pool.fleet_connections.value as f64))));
        // Behind PgBouncer: the server connections the capacity counts, and with the reserve.
        let bouncer = Plan { pgbouncer: Switch::On, pgbouncer_pool: Some(4), ..plan.clone() };
        let ob = outcome(&bouncer);
        let b = ob.rules.pgbouncer.as_ref().expect("PgBouncer on");
        assert_eq!(b.server_connections.value, 4 + b.reserve_pool_size.value);
        let through = format!(", through PgBouncer's 4 server connections ({} with its reserve)", b.server_connections.value);
        assert!(find(&values(&bouncer, &ob), "v-pool").why.ends_with(&through), "{}", find(&values(&bouncer, &ob), "v-pool").why);
        let capacity = find(&v, "v-capacity");
        assert_eq!(capacity.number, whole(cap.rps));
        assert_eq!(capacity.why, format!("{} at 70 % busy (link-server guide) on 3 nodes; {} r/s with every slot busy", bottleneck_label(cap.bottleneck), whole(cap.max_rps)));
        let p95 = find(&v, "v-p95");
        assert_eq!(p95.number, whole(lat.p95_ms));
        assert_eq!(p95.why, format!("at the target rate (1,500 r/s): p50 {} ms, p99 {} ms; objective 200 ms", whole(lat.p50_ms), whole(lat.p99_ms)));
        assert_eq!(find(&v, "v-bottleneck").number, bottleneck_label(cap.bottleneck));
        let limits = format!(
            "reaches 70 % first: CPU at {} r/s, slots at {} r/s, connections at {} r/s, database CPU at {} r/s per node",
            whole(cap.cpu_limit_rps),
            whole(cap.slots_limit_rps),
            whole(cap.db_limit_rps.unwrap()),
            whole(cap.db_cpu_limit_rps.unwrap())
        );
        assert_eq!(find(&v, "v-bottleneck").why, limits);
    }

    #[test]
    fn the_database_value_is_its_busier_resource_with_both_in_the_why() {
        let plan = decode_strict("v=1&replicas=40&pgbouncer=on").unwrap();
        let o = outcome(&plan);
        let (lat, cap) = (&o.eval.latency, &o.eval.capacity);
        assert_eq!(cap.bottleneck, Bottleneck::DbCpu);
        assert!(lat.db_cpu_utilisation > lat.db_utilisation && lat.db_utilisation > 0.0);
        let v = values(&plan, &o);
        let db = find(&v, "v-database");
        assert_eq!((db.title, db.number.clone(), db.unit.as_str()), ("Database", whole(100.0 * lat.db_cpu_utilisation), " % busy"));
        let why = format!(
            "connections {} % (pool of the fleet: {} server connections), database host CPU {} % of {} cores at {} r/s",
            whole(100.0 * lat.db_utilisation),
            o.eval.node.db_servers,
            whole(100.0 * lat.db_cpu_utilisation),
            plan.db_cores,
            whole(lat.rate_rps)
        );
        assert_eq!(db.why, why);
        assert_eq!(find(&v, "v-bottleneck").number, "database CPU");
        assert!(find(&v, "v-bottleneck").why.ends_with(&format!("database CPU at {} r/s per node", whole(cap.db_cpu_limit_rps.unwrap()))));
        // The connections busier: a long hold on few server connections.
        let plan = decode_strict("v=1&replicas=4&pgbouncer=on&pgbouncer_pool=5&db_hold_ms=40").unwrap();
        let o = outcome(&plan);
        let lat = &o.eval.latency;
        assert!(lat.db_utilisation > lat.db_cpu_utilisation, "{lat:?}");
        let db = find(&values(&plan, &o), "v-database").clone();
        assert_eq!(db.number, whole(100.0 * lat.db_utilisation));
        assert!(db.why.starts_with(&format!("connections {} % (pool of the fleet: 5 server connections)", db.number)), "{}", db.why);
    }

    #[test]
    fn on_the_app_node_the_databases_cpu_is_the_apps() {
        for (q, node) in [("v=1&db_host=app", "node"), ("v=1&db_host=app&platform=k8s", "pod")] {
            let plan = decode_strict(q).unwrap();
            let o = outcome(&plan);
            let lat = &o.eval.latency;
            assert_eq!(lat.db_cpu_utilisation, 0.0);
            let v = values(&plan, &o);
            let db = find(&v, "v-database");
            assert_eq!(db.number, whole(100.0 * lat.db_utilisation));
            let why = format!("connections {} % (pool of the fleet: 197 server connections) at {} r/s; its CPU is counted in the app {node}'s", db.number, whole(lat.rate_rps));
            assert_eq!(db.why, why);
            assert!(!find(&v, "v-bottleneck").why.contains("database CPU"));
        }
    }

    #[test]
    fn losing_the_spare_nodes_is_carried_or_not_whatever_the_fit() {
        for (q, carried) in [("v=1&spare=1&replicas=3&rps=2000", false), ("v=1&spare=1&replicas=4&rps=2000&pgbouncer=on", true), ("v=1&spare=2&replicas=4&rps=2000&pgbouncer=on", false)] {
            let plan = decode_strict(q).unwrap();
            let o = outcome(&plan);
            assert_eq!(o.verdict.survives_spare, Some(carried), "{q}");
            let spare = find(&values(&plan, &o), "v-spare").clone();
            let left = plan.replicas - plan.spare;
            let (number, verb) = if carried { ("Carried", "still carry") } else { ("Not carried", "would not carry") };
            assert_eq!(spare.number, number, "{q}");
            let why = format!("losing {}, the other {} {verb} 2,000 r/s within 70 % busy and the 200 ms objective", count(plan.spare, "node", "nodes"), count(left, "node", "nodes"));
            assert_eq!(spare.why, why, "{q}");
        }
        // The first link's configuration fails (pools over max_connections): the verdict
        // says so, and only the summary says whether the spares are carried (2 nodes serve
        // 2 × 988 r/s at 70 %).
        let plan = decode_strict("v=1&spare=1&replicas=3&rps=2000").unwrap();
        assert_eq!(outcome(&plan).verdict.fit, crate::model::Fit::Broken);
        // At its peak: the rate the fleet must carry.
        let plan = decode_strict("v=1&spare=1&replicas=4&rps=1000&peak=2&pgbouncer=on").unwrap();
        assert!(find(&values(&plan, &outcome(&plan)), "v-spare").why.contains(" carry 2,000 r/s "));
        for q in ["v=1&replicas=3&rps=2000", "v=1&spare=1&replicas=3"] {
            let plan = decode_strict(q).unwrap();
            assert!(values(&plan, &outcome(&plan)).iter().all(|v| v.id != "v-spare"), "{q}");
        }
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
        for server in [Server::Sync, Server::Gthread] {
            let base = Plan { server, ..Plan::default() };
            let c = outcome(&base).eval.capacity;
            let plan = Plan { target_rps: (c.max_rps * 1.5).floor(), ..base };
            let o = outcome(&plan);
            assert_eq!(o.eval.latency.rejected_pct, None);
            let p95 = find(&values(&plan, &o), "v-p95").clone();
            assert_eq!((p95.number.as_str(), p95.unit.as_str()), ("Unbounded", ""));
            assert_eq!(p95.why, format!("at the target rate ({} r/s) requests queue without limit: every slot busy serves {} r/s; objective 200 ms", whole(plan.target_rps), whole(c.max_rps)));
        }
    }

    #[test]
    fn over_capacity_a_server_that_refuses_says_how_much_and_where() {
        for server in [Server::Async, Server::Gevent] {
            let base = Plan { server, ..Plan::default() };
            let c = outcome(&base).eval.capacity;
            let plan = Plan { target_rps: (c.max_rps * 2.0).floor(), ..base };
            let o = outcome(&plan);
            let pct = o.eval.latency.rejected_pct.expect("refuses");
            assert!((45.0..55.0).contains(&pct), "{pct}: half of twice the most it serves");
            let p95 = find(&values(&plan, &o), "v-p95").clone();
            assert_eq!((p95.number.clone(), p95.unit.as_str()), (whole(pct), " % refused"));
            let refused = match server {
                Server::Async => format!("uvicorn refuses about {} % of requests (503)", whole(pct)),
                _ => format!("gevent stops accepting at worker_connections, and about {} % of requests are refused at the listen backlog", whole(pct)),
            };
            let why = format!("at the target rate ({} r/s) every slot is busy, serving {} r/s: {refused}; objective 200 ms", whole(plan.target_rps), whole(c.max_rps));
            assert_eq!(p95.why, why);
            // The database sees what is served, not what is asked: its figures say so.
            let db = find(&values(&plan, &o), "v-database").clone();
            assert!(db.why.ends_with(&format!("at the {} r/s served", whole(c.max_rps))), "{}", db.why);
            assert!(!db.why.contains(&whole(plan.target_rps)), "{}", db.why);
        }
    }
}

