//! `planner fit` as a person runs it: the cheapest fleets for a target, each a plan whose
//! own report says it fits.

mod cli_support;
use cli_support::{json, planner};

#[test]
fn the_cheapest_fleet_is_verified_by_its_own_report() {
    let v = json(&["fit", "--plan", "rps=2000&replicas=2&spare=1&p95=300&pgbouncer=on", "--format", "json"]);
    let options = v["options"].as_array().unwrap();
    assert!(options.len() > 100, "{}", options.len());
    let first = &options[0];
    for key in ["plan", "monthly_cost", "capacity_rps", "p95_ms", "cores", "ram_gib", "replicas", "pods_per_node", "nodes", "pareto"] {
        assert!(!first[key].is_null(), "{key}: {first}");
    }
    assert_eq!(first["pareto"], true);
    // Its plan, reported on its own: fits with headroom, its spare node lost too.
    let report = json(&["report", "--plan", first["plan"].as_str().unwrap(), "--format", "json"]);
    assert_eq!(report["verdict"]["fit"], "headroom", "{}", report["verdict"]);
    assert_eq!(report["verdict"]["survives_spare"], true);
    assert!(report["latency_ms"]["p95"].as_f64().unwrap() <= 300.0);
    // Cheapest first, at the plan's prices: nodes × (cores × $/core-h + GiB × $/GiB-h) × 730 h.
    let costs: Vec<f64> = options.iter().map(|o| o["monthly_cost"].as_f64().unwrap()).collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]));
    let (n, c, r) = (first["replicas"].as_f64().unwrap(), first["cores"].as_f64().unwrap(), first["ram_gib"].as_f64().unwrap());
    assert!((costs[0] - n * (c * 0.021811 + r * 0.002923) * 730.0).abs() < 0.01, "{}", costs[0]);
}

#[test]
fn the_text_lists_the_front_and_says_what_was_refused() {
    let o = planner(&["fit", "--plan", "rps=2000&p95=300"]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.starts_with("   $/month  cores"), "{text}");
    assert!(text.contains("Refused: ") && text.contains("(pool-exceeds-max-connections;"), "{text}");
    assert!(text.contains("\nCheapest: v=1&"), "{text}");
}

#[test]
fn without_a_target_it_exits_2_saying_so() {
    let o = planner(&["fit", "--plan", "cores=8"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("set a target rate (rps) first"));
}

#[test]
fn a_pod_option_is_billed_as_whole_nodes_and_its_report_says_the_same() {
    // 300 r/s on Kubernetes without PgBouncer: node-sized pods of most shapes open more
    // connections than PostgreSQL takes; pods of them are searched, billed as whole nodes.
    let v = json(&["fit", "--plan", "platform=k8s&rps=300&replicas=2&spare=1&p95=300&pod_cpu=0.5", "--format", "json"]);
    let options = v["options"].as_array().unwrap();
    let pod = options.iter().find(|o| o["pods_per_node"].as_u64().unwrap_or(0) > 1).expect("a pod option");
    let (k, nodes, replicas) = (pod["pods_per_node"].as_u64().unwrap(), pod["nodes"].as_u64().unwrap(), pod["replicas"].as_u64().unwrap());
    assert_eq!(nodes, replicas.div_ceil(k), "{pod}");
    let (c, r) = (pod["cores"].as_f64().unwrap(), pod["ram_gib"].as_f64().unwrap());
    let cost = pod["monthly_cost"].as_f64().unwrap();
    assert!((cost - nodes as f64 * (c * 0.021811 + r * 0.002923) * 730.0).abs() < 0.01, "{pod}");
    // Its own report: fits with headroom with its spare node (k pods) lost, the same pods a
    // node and the same cost.
    let report = json(&["report", "--plan", pod["plan"].as_str().unwrap(), "--format", "json"]);
    assert_eq!((report["verdict"]["fit"].as_str(), report["verdict"]["survives_spare"].as_bool()), (Some("headroom"), Some(true)), "{}", report["verdict"]);
    assert_eq!(report["kubernetes"]["pods_per_node"].as_u64(), Some(k));
    assert_eq!(report["cost"]["nodes"].as_u64(), Some(nodes));
    assert!((report["cost"]["monthly_usd"].as_f64().unwrap() - cost).abs() < 0.01, "{}", report["cost"]);
    assert!(report["cost"]["why"].as_str().unwrap().starts_with(&format!("⌈{replicas} pods / {k} a node⌉ = {nodes} node")), "{}", report["cost"]);
    assert!(report["plan"].as_str().unwrap().contains(&format!("spare={k}")), "{}", report["plan"]);
    // The text lists nodes and pods a node.
    let o = planner(&["fit", "--plan", "platform=k8s&rps=300&replicas=2&spare=1&p95=300"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("nodes  pods/node  replicas") && text.contains("pods a node, billed as whole nodes"), "{text}");
}
