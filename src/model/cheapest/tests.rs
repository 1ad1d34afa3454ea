//! The cheapest-fleet search's tests, and its time (an ignored test).

use super::*;
use crate::model::outcome::Fit;
use crate::model::query::decode_strict;

#[test]
fn the_cheapest_option_fits_and_no_cheaper_shape_does() {
    let plan = decode_strict("rps=2000&replicas=2&spare=1&p95=300").unwrap();
    let options = search(&plan).unwrap().options;
    assert!(!options.is_empty());
    let first = &options[0];
    assert!(first.pareto, "the cheapest is always on the front");
    // Its own verdict: fits with headroom, with its spare node lost.
    let o = outcome::outcome(&first.plan);
    assert_eq!(o.verdict.fit, Fit::Headroom, "{}", o.verdict.message);
    assert!(first.capacity_rps >= 2000.0, "{}", first.capacity_rps);
    // One node fewer of the same shape does not fit.
    let fewer = Plan { replicas: first.plan.replicas - 1, ..first.plan.clone() };
    assert_ne!(outcome::outcome(&fewer).verdict.fit, Fit::Headroom);
    // Sorted by cost; the front's p95 falls as the cost rises.
    assert!(options.windows(2).all(|w| w[0].monthly_cost <= w[1].monthly_cost));
    let front: Vec<&FleetOption> = options.iter().filter(|o| o.pareto).collect();
    assert!(front.windows(2).all(|w| w[1].p95_ms < w[0].p95_ms * (1.0 - FRONT_STEP)));
    // Every option names its node and count, and meets the p95 objective.
    assert!(options.iter().all(|o| o.p95_ms <= 300.0 && o.plan.replicas >= 2 && o.monthly_cost > 0.0));
}

#[test]
fn prices_choose_the_shape() {
    // Free memory: the most RAM per core never costs more; dear memory: the least.
    let free = search(&decode_strict("rps=500&cost_gib_h=0").unwrap()).unwrap().options;
    let dear = search(&decode_strict("rps=500&cost_gib_h=1").unwrap()).unwrap().options;
    let per_core = |o: &FleetOption| o.plan.ram_gib / f64::from(o.plan.cores);
    assert!(per_core(&dear[0]) <= per_core(&free[0]), "{} against {}", per_core(&dear[0]), per_core(&free[0]));
    assert_eq!(per_core(&dear[0]), 2.0);
}

#[test]
fn shapes_whose_configuration_fails_are_counted_by_the_error() {
    // Without PgBouncer, a fleet of large nodes opens more connections than PostgreSQL takes.
    let found = search(&decode_strict("rps=2000&p95=300").unwrap()).unwrap();
    assert!(found.refused.iter().any(|&(code, n)| code == "pool-exceeds-max-connections" && n > 100), "{:?}", found.refused);
    assert!(found.options.iter().all(|o| o.plan.cores <= 2), "only small nodes stay within max_connections");
}

#[test]
fn a_pod_option_is_billed_as_whole_nodes_and_opens_as_itself() {
    // The plan's own pod size does not stop the search: it is replaced by the searched ones.
    // Without PgBouncer most node-sized pods open too many connections; pods of them do not.
    let plan = decode_strict("platform=k8s&rps=300&replicas=2&spare=1&p95=300&pod_cpu=0.5&pod_mem=1").unwrap();
    let options = search(&plan).unwrap().options;
    let pods: Vec<&FleetOption> = options.iter().filter(|o| o.pods_per_node > 1).collect();
    assert!(pods.len() > 20, "{}", pods.len());
    for o in pods.iter().take(5) {
        let p = &o.plan;
        // Losing the spare node loses its pods; ⌈pods / a node's⌉ nodes, whole nodes billed.
        assert_eq!((p.spare, crate::model::pod::per_node(p)), (o.pods_per_node, Some(o.pods_per_node)), "{p:?}");
        assert_eq!(o.nodes, p.replicas.div_ceil(o.pods_per_node));
        assert!((o.monthly_cost - f64::from(o.nodes) * cost::node_hourly_usd(p) * cost::HOURS_PER_MONTH).abs() < 1e-9);
        // Its query opens the same plan, whose own verdict fits with headroom and its spare node lost.
        let opened = decode_strict(&crate::model::query::encode(p)).unwrap();
        assert_eq!(&opened, p);
        let out = outcome::outcome(&opened);
        assert_eq!((out.verdict.fit, out.verdict.survives_spare), (Fit::Headroom, Some(true)), "{}", out.verdict.message);
        assert_eq!(cost::monthly_usd(&opened), o.monthly_cost);
    }
    // The pods left with the spare node lost are the fewest that carry the target.
    let many: Vec<&&FleetOption> = pods.iter().filter(|o| o.plan.replicas - o.plan.spare > 1).take(3).collect();
    assert!(!many.is_empty());
    for o in many {
        let fewer = Plan { replicas: o.plan.replicas - o.plan.spare - 1, spare: 0, ..o.plan.clone() };
        assert_ne!(outcome::outcome(&fewer).verdict.fit, Fit::Headroom, "{:?}", o.plan);
    }
}

#[test]
fn pods_bring_back_big_nodes_whose_node_sized_pods_open_too_many_connections() {
    // 50 r/s without PgBouncer: a node-sized pod of 64 cores runs 128 async workers,
    // more connections than PostgreSQL takes; 32 pods a node of 1.78 cores each (3
    // workers) open few enough, and one of them carries the target: one node billed.
    let plan = decode_strict("platform=k8s&rps=50").unwrap();
    let found = search(&plan).unwrap();
    let big: Vec<&FleetOption> = found.options.iter().filter(|o| o.plan.cores == 64).collect();
    assert_eq!(big.len(), 3, "one a RAM per core");
    for o in &big {
        assert_eq!((o.pods_per_node, o.plan.pod_cpu, crate::model::workers::recommend(&o.plan).processes), (32, 1.78, 3), "{o:?}");
        assert_eq!((o.nodes, o.plan.replicas), (1, 1), "{o:?}");
        assert_eq!(o.monthly_cost, cost::node_hourly_usd(&o.plan) * cost::HOURS_PER_MONTH);
        assert_eq!(outcome::outcome(&o.plan).verdict.fit, Fit::Headroom);
    }
    // Node-sized, the same shape fails, and the cheapest is still a small node.
    assert!(matches!(option(&plan, 64, 128.0), Some(Err("pool-exceeds-max-connections"))));
    // Every shape is carried, node-sized or as pods: none is refused.
    assert_eq!((found.options.len(), found.refused.len()), (192, 0), "{:?}", found.refused);
    assert!(found.options[0].plan.cores < 64 && found.options[0].pods_per_node == 1);
}

#[test]
fn no_pods_are_tried_where_the_node_sized_fleet_is_already_the_fewest_nodes() {
    // 2,000 r/s with PgBouncer: 64 cores carry it on one node and a spare; pods can only
    // take as many nodes, so none is listed; on the smallest nodes pods cost more.
    let found = search(&decode_strict("platform=k8s&rps=2000&replicas=2&spare=1&p95=300&pgbouncer=on").unwrap()).unwrap();
    assert!(found.options.iter().all(|o| o.pods_per_node == 1), "{:?}", found.options.iter().find(|o| o.pods_per_node > 1));
    assert_eq!(found.options.len(), 192);
}

#[test]
fn on_plain_hosts_the_pod_keys_are_ignored_and_only_node_sized_fleets_are_listed() {
    let found = search(&decode_strict("cores=16&ram=64&pod_cpu=0.5&rps=300&replicas=3").unwrap()).unwrap();
    assert!(!found.options.is_empty() && found.options.iter().all(|o| o.pods_per_node == 1 && o.nodes == o.plan.replicas));
}

#[test]
fn without_a_target_there_is_nothing_to_search() {
    assert!(search(&Plan::default()).unwrap_err().0.contains("target rate"));
}

mod timing {
    /// The search's time natively (run in release: `cargo test --release --lib
    /// cheapest::tests::timing -- --ignored --nocapture`), on plain hosts and on Kubernetes.
    #[test]
    #[ignore]
    fn search_time() {
        for q in ["rps=2000&replicas=2&spare=1&p95=300&pgbouncer=on", "platform=k8s&rps=2000&replicas=2&spare=1&p95=300&pgbouncer=on", "platform=k8s&rps=50", "platform=k8s&rps=300&replicas=2&spare=1&p95=300", "platform=k8s&rps=20000&p95=300&pgbouncer=on", "rps=5000&p95=300&pgbouncer=on&db_cores=16", "platform=k8s&rps=5000&p95=300&pgbouncer=on&db_cores=16"] {
            let plan = crate::model::query::decode_strict(q).unwrap();
            let t = std::time::Instant::now();
            let mut found = super::super::Found::default();
            for _ in 0..5 {
                found = super::super::search(&plan).unwrap_or_default();
            }
            println!("search {q}: {:.3} s, {} options, {:?} refused", t.elapsed().as_secs_f64() / 5.0, found.options.len(), found.refused);
            for o in found.options.iter().filter(|o| o.pareto || o.plan.cores == 64).take(24) {
                println!("  ${:.0} {}×{} GiB, {} pods a node, {} nodes, {} pods, p95 {:.1}{}", o.monthly_cost, o.plan.cores, o.plan.ram_gib, o.pods_per_node, o.nodes, o.plan.replicas, o.p95_ms, if o.pareto { " *" } else { "" });
            }
        }
    }
}
