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
    for key in ["plan", "monthly_cost", "capacity_rps", "p95_ms", "cores", "ram_gib", "replicas", "pareto"] {
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
