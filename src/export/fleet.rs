//! The "Find the cheapest fleet" panel's answer, written by the panels' worker
//! (src/bin/calibrate.rs; its code is not in the page's first load): the fleets that meet
//! the plan's target ([`crate::model::cheapest::search`]) as a table, cheapest first, the
//! cost–p95 front marked, each with a link that opens it; the node shapes refused; and a
//! chart of each fleet's monthly cost against its p95.

use crate::chart::{Axis, Chart, Colour, Figure, Mark};
use crate::model::cheapest::{search, FleetOption, Found};
use crate::model::details::html::put;
use crate::model::figure::{count, grouped, whole};
use crate::model::{query, Plan};

/// The most rows the table shows: the front's, then the cheapest others, up to this.
pub const MAX_ROWS: usize = 12;

/// The rows shown: every option on the front and the cheapest others, at most
/// [`MAX_ROWS`], cheapest first.
fn shown(options: &[FleetOption]) -> Vec<&FleetOption> {
    let mut rows: Vec<&FleetOption> = options.iter().filter(|o| o.pareto).take(MAX_ROWS).collect();
    for o in options.iter().filter(|o| !o.pareto) {
        if rows.len() >= MAX_ROWS {
            break;
        }
        rows.push(o);
    }
    rows.sort_by(|a, b| a.monthly_cost.total_cmp(&b.monthly_cost).then(a.p95_ms.total_cmp(&b.p95_ms)));
    rows
}

/// "4 cores, 16 GiB".
fn node(p: &Plan) -> String {
    format!("{} core{}, {} GiB", p.cores, if p.cores == 1 { "" } else { "s" }, grouped(p.ram_gib, 1))
}

/// "3 × 4 cores, 16 GiB", with the pods when a node runs several: "2 × 64 cores, 128 GiB
/// (33 pods, 32 a node)".
fn fleet(o: &FleetOption) -> String {
    let pods = if o.pods_per_node > 1 { format!(" ({}, {} a node)", count(o.plan.replicas, "pod", "pods"), o.pods_per_node) } else { String::new() };
    format!("{} × {}{pods}", o.nodes, node(&o.plan))
}

/// The answer's markup for `plan`: the table, the refused shapes and the chart; or why
/// there is nothing to search.
pub fn answer(plan: &Plan) -> String {
    let mut out = String::new();
    let found = match search(plan) {
        Ok(found) => found,
        Err(e) => {
            put(&mut out, &["<p class=\"note\">", &e.0, ".</p>"]);
            return out;
        }
    };
    let Some(first) = found.options.first() else {
        put(&mut out, &["<p class=\"note\">No node shape meets the target: ", &refused(&found), "</p>"]);
        return out;
    };
    let lead = format!(
        "{} fleets meet {} r/s at its peak. The cheapest: {} at ${} a month, p95 {} ms.",
        found.options.len(),
        whole(crate::model::outcome::peak_rps(plan)),
        fleet(first),
        whole(first.monthly_cost),
        whole(first.p95_ms)
    );
    put(&mut out, &["<p>", &lead, "</p>"]);
    if plan.platform == crate::model::choice::Platform::K8s {
        out.push_str("<p class=\"note\">On Kubernetes each node shape is also split into 2, 4, 8, … pods a node (at least 0.5 core each, with nginx's requests beside them), listed where that takes fewer nodes; a lost spare node loses all its pods.</p>");
    }
    out.push_str("<div class=\"table-scroll tiers\" tabindex=\"0\" role=\"region\" aria-label=\"Fleets that meet the target\"><table id=\"fleet-options\"><caption style=\"text-align:left\">Cheapest first, whole nodes billed; ★ on the cost–p95 front (every cheaper fleet's p95 at least 1 % higher)</caption><thead><tr>");
    for h in ["$ a month", "Node", "Nodes", "Pods a node", "Capacity (r/s)", "p95 (ms)", "Front", "Plan"] {
        put(&mut out, &["<th scope=\"col\">", h, "</th>"]);
    }
    out.push_str("</tr></thead><tbody>");
    for o in shown(&found.options) {
        let q = query::encode(&o.plan);
        let label = format!("Open {}", fleet(o));
        put(&mut out, &[
            "<tr><th scope=\"row\">", &whole(o.monthly_cost), "</th><td>", &node(&o.plan), "</td><td>", &o.nodes.to_string(),
            "</td><td>", &o.pods_per_node.to_string(), "</td><td>", &whole(o.capacity_rps), "</td><td>", &whole(o.p95_ms), "</td><td>", if o.pareto { "★" } else { "" },
            "</td><td><a href=\"#", &q, "\" aria-label=\"", &label, "\">Open</a></td></tr>",
        ]);
    }
    out.push_str("</tbody></table></div>");
    if !found.refused.is_empty() {
        put(&mut out, &["<p class=\"note\">", &refused(&found), "</p>"]);
    }
    out + &chart(&found.options)
}

/// The shapes refused, in words.
fn refused(found: &Found) -> String {
    if found.refused.is_empty() {
        return "none carries it at any count up to 1,000 nodes.".to_string();
    }
    let parts: Vec<String> = found.refused.iter().map(|(code, n)| format!("{n} node shapes whose configuration fails there ({code})")).collect();
    format!("Not shown: {}; open the plan with such nodes to see why.", parts.join("; "))
}

/// The chart's figure: each fleet's monthly cost against its p95, the front joined.
pub fn figure(options: &[FleetOption]) -> Figure {
    let all: Vec<(f64, f64)> = options.iter().map(|o| (o.p95_ms, o.monthly_cost)).collect();
    let front: Vec<(f64, f64)> = options.iter().filter(|o| o.pareto).map(|o| (o.p95_ms, o.monthly_cost)).collect();
    let (x_min, x_max) = all.iter().fold((f64::INFINITY, 0.0_f64), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
    let y_max = all.iter().map(|p| p.1).fold(0.0, f64::max) * 1.1;
    Figure {
        title: "Monthly cost against p95".to_string(),
        x: Axis::new("p95 at the target's peak (ms)", (x_min * 0.95).max(0.0), x_max * 1.05),
        y: Axis::new("app nodes' cost ($ a month)", 0.0, y_max),
        marks: vec![Mark::dots(Colour::C2, "a fleet that meets the target", 3, all), Mark::line(Colour::C1, "the cost–p95 front", front)],
        note: None,
    }
}

/// The chart's markup: the drawing (an image named by its title, described by its
/// caption) and the front in words.
fn chart(options: &[FleetOption]) -> String {
    let words: Vec<String> = options.iter().filter(|o| o.pareto).map(|o| format!("${} a month, p95 {} ms", whole(o.monthly_cost), whole(o.p95_ms))).collect();
    super::calibrate::figure_markup("fleet-chart", &Chart::new(&figure(options), format!("The front: {}.", words.join("; "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_is_a_table_of_fleets_each_opening_a_plan_that_fits() {
        let plan = query::decode_strict("rps=2000&replicas=2&spare=1&p95=300&pgbouncer=on").unwrap();
        let m = answer(&plan);
        assert!(m.contains("fleets meet 2,000 r/s at its peak. The cheapest: "), "{m}");
        let rows = m.matches("<tr><th scope=\"row\">").count();
        assert!((2..=MAX_ROWS).contains(&rows), "{rows}");
        // The first row's link is a plan whose own verdict is headroom.
        let start = m.find("<a href=\"#").unwrap() + 10;
        let q = &m[start..start + m[start..].find('"').unwrap()].replace("&amp;", "&");
        let opened = query::decode_strict(q).unwrap();
        assert_eq!(crate::model::outcome::outcome(&opened).verdict.fit, crate::model::outcome::Fit::Headroom);
        assert!(m.contains("<td>★</td>") && m.contains("id=\"fleet-chart\"") && m.contains("The front: $"), "{m}");
        assert!(m.contains("aria-label=\"Monthly cost against p95\""));
    }

    #[test]
    fn on_kubernetes_a_row_says_its_nodes_and_pods_a_node() {
        // Without PgBouncer node-sized pods of 4 cores open too many connections: 3 pods, 2 a
        // node, on 2 nodes (one lost with its 2 pods leaves the one pod the target needs).
        let m = answer(&query::decode_strict("platform=k8s&rps=300&replicas=2&spare=1&p95=300").unwrap());
        assert!(m.contains("<th scope=\"col\">Nodes</th><th scope=\"col\">Pods a node</th>"), "{m}");
        let label = "aria-label=\"Open 2 × 4 cores, 8 GiB (3 pods, 2 a node)\"";
        let at = m.find(label).expect(label);
        let row = &m[m[..at].rfind("<tr>").unwrap()..at];
        assert!(row.contains("<td>4 cores, 8 GiB</td><td>2</td><td>2</td>"), "{row}");
        let start = row.find("<a href=\"#").unwrap() + 10;
        let q = &row[start..start + row[start..].find('"').unwrap()].replace("&amp;", "&");
        let opened = query::decode_strict(q).unwrap();
        assert_eq!((opened.replicas, opened.spare, crate::model::cost::nodes(&opened)), (3, 2, 2));
        assert_eq!(crate::model::outcome::outcome(&opened).verdict.fit, crate::model::outcome::Fit::Headroom);
    }

    #[test]
    fn without_a_target_or_with_every_shape_refused_it_says_why() {
        assert!(answer(&Plan::default()).contains("set a target rate (rps) first"));
        let m = answer(&query::decode_strict("rps=2000&p95=300").unwrap());
        assert!(m.contains("Not shown: ") && m.contains("(pool-exceeds-max-connections)"), "{m}");
    }
}
