//! `alerts.rules.yml`: Prometheus alerting rules for the thresholds of guides 002 and 004
//! ([`crate::model::rules::alerts`]), as data printed by the shared YAML writer.

use super::tree::{list, map, s, write_yaml, Node};
use crate::model::rules::Alert;
use crate::model::text::{cat, digits};
use crate::model::Plan;

/// A duration in Prometheus's notation: whole hours, minutes or seconds.
pub fn duration(seconds: u32) -> String {
    if seconds > 0 && seconds % 3600 == 0 {
        cat(&[&digits(seconds / 3600), "h"])
    } else if seconds > 0 && seconds % 60 == 0 {
        cat(&[&digits(seconds / 60), "m"])
    } else {
        cat(&[&digits(seconds), "s"])
    }
}

fn rule(a: &Alert) -> Node<'_> {
    let mut pairs = Vec::with_capacity(5);
    pairs.extend([("alert", s(a.name)), ("expr", s(a.expr.as_str()))]);
    if a.for_s > 0 {
        pairs.push(("for", s(duration(a.for_s))));
    }
    pairs.push(("labels", map([("severity", s(a.severity))])));
    pairs.push(("annotations", map([("summary", s(a.summary.as_str())), ("source", s(a.source))])));
    map(pairs)
}

/// alerts.rules.yml below its header.
pub fn body(out: &mut String, plan: &Plan, alerts: &[Alert]) {
    let doc = map([("groups", list([map([("name", s(plan.name.as_str())), ("rules", list(alerts.iter().map(rule)))])]))]);
    out.push_str("# Load with rule_files in prometheus.yml; check with promtool check rules.\n");
    write_yaml(out, &doc);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text_of;
    use crate::model::rules::recommend;

    #[test]
    fn durations_use_the_largest_whole_unit() {
        assert_eq!(duration(300), "5m");
        assert_eq!(duration(3600), "1h");
        assert_eq!(duration(45), "45s");
    }

    #[test]
    fn every_alert_of_the_rules_is_a_rule() {
        let plan = Plan::default();
        let rec = recommend(&plan);
        let t = text_of(&plan, "alerts.rules.yml");
        for a in &rec.alerts {
            assert!(t.contains(&format!("- alert: \"{}\"\n", a.name)), "{} in {t}", a.name);
        }
        assert!(t.contains("for: \"5m\""));
    }
}
