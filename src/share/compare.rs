//! The pinned plans of "Compare plans" (issue 23) in the page's link: the fragment's
//! `compare=` part after the plan (`#v=1&cores=8&compare=v%3D1%0Av%3D1%26cores%3D4`),
//! the plans' queries joined by newlines and percent-encoded as one value, so their `&`
//! and `=` survive. The plan's decoder skips the key ([`crate::model::query::COMPARE_KEY`]), so a
//! link with a comparison opens the same plan as without, and old links have none.
//! localStorage `planner.compare` keeps the same value.

use crate::model::query::{percent, COMPARE_KEY};

/// The pinned plans' queries in a `compare` value (as the link holds it): every
/// non-empty line, trimmed. Never fails: what is not a plan is reported when compared.
pub fn decode(value: &str) -> Vec<String> {
    percent::decode(value).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// The `compare` value of the pinned plans' queries ("" for none).
pub fn encode(queries: &[String]) -> String {
    percent::encode(&queries.join("\n"))
}

/// The `compare=…` pair of the page's fragment (`#v=1&…&compare=…`), as it stands, to be
/// kept when the page writes another plan into its address; "" when it has none or its
/// value is empty. (Small: it is in the page's first load.)
pub fn pair(hash: &str) -> &str {
    let holds = |p: &str| p.strip_prefix(COMPARE_KEY).and_then(|v| v.strip_prefix('=')).is_some_and(|v| !v.is_empty());
    hash.split('&').find(|p| holds(p)).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::query::{decode as read, encode as write};
    use crate::model::Plan;

    #[test]
    fn pinned_queries_round_trip_with_their_separators() {
        let queries = vec!["v=1&cores=8&name=a%26b".to_string(), "v=1&mix=10,70,20&server=sync".to_string(), "v=1".to_string()];
        let value = encode(&queries);
        assert!(!value.contains(['&', '=', '#', '\n', '+']), "{value}");
        assert_eq!(decode(&value), queries);
        assert_eq!(decode(""), Vec::<String>::new());
        assert_eq!(encode(&[]), "");
    }

    #[test]
    fn the_plan_reads_the_same_with_a_comparison_and_says_nothing_of_it() {
        let plan = Plan::from_sets(&[(crate::model::Field::Cores, "8")]);
        let link = format!("{}&compare={}", write(&plan), encode(&["v=1&cores=4".to_string()]));
        let d = read(&link);
        assert_eq!((d.plan, d.unknown, d.errors), (plan, vec![], vec![]));
        // A key that only starts like it is still unknown.
        assert_eq!(read("v=1&compared=1").unknown, vec!["compared".to_string()]);
    }

    #[test]
    fn the_pair_is_found_wherever_it_stands_and_only_when_it_holds_plans() {
        assert_eq!(pair("#v=1&cores=8&compare=v%3D1"), "compare=v%3D1");
        assert_eq!(pair("#v=1&compare=v%3D1&cores=2"), "compare=v%3D1");
        assert_eq!(pair("compare=x"), "compare=x");
        // First in a fragment, before any plan: not the page's own address, not kept.
        assert_eq!(pair("#compare=x&v=1"), "");
        assert_eq!(pair("#v=1&compare="), "");
        assert_eq!(pair("#v=1&comparex=1&compare"), "");
        assert_eq!(pair("#v=1&xcompare=1"), "");
        assert_eq!(pair("é&compare=é"), "compare=é");
        assert_eq!(pair(""), "");
    }
}
