//! The summary's table of request classes: each class the mix uses, at the rate the plan
//! is read at, against its own p95 objective.

use crate::model::outcome::Outcome;
use crate::model::plan::Plan;

/// One class's row: its figures, None over capacity (unbounded), and whether its p95
/// meets its objective ([`crate::model::outcome::objectives_met`], class by class).
#[derive(Debug, Clone, PartialEq)]
pub struct ClassRow {
    pub name: String,
    pub share_pct: f64,
    /// p50, p95 and p99, ms.
    pub ms: Option<[f64; 3]>,
    pub objective_ms: f64,
    pub met: bool,
}

/// The rows of the classes the mix uses, in the plan's order; none with fewer than two.
pub fn class_rows(plan: &Plan, o: &Outcome) -> Vec<ClassRow> {
    let lat = &o.eval.latency;
    let rows: Vec<_> = plan
        .classes()
        .into_iter()
        .zip(&lat.classes)
        .filter(|(c, _)| c.share > 0.0)
        .map(|(c, l)| ClassRow {
            share_pct: 100.0 * c.share,
            ms: (!lat.over_capacity).then_some([l.p50_ms, l.p95_ms, l.p99_ms]),
            met: !lat.over_capacity && l.p95_ms <= c.p95_objective_ms,
            objective_ms: c.p95_objective_ms,
            name: c.name,
        })
        .collect();
    if rows.len() < 2 {
        Vec::new()
    } else {
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::outcome::outcome;
    use crate::model::query::decode_strict;

    #[test]
    fn a_row_per_used_class_with_its_figures_against_its_objective() {
        let p = decode_strict("mix=85,15,0&classes=search,checkout,idle&cpu_ms=3,40,1&wait_ms=20,5,0&p95=100,300,50&rps=300").unwrap();
        let o = outcome(&p);
        let rows = class_rows(&p, &o);
        let l = &o.eval.latency.classes;
        assert_eq!(rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["search", "checkout"], "the unused class has no row");
        assert_eq!(rows[0].ms, Some([l[0].p50_ms, l[0].p95_ms, l[0].p99_ms]));
        assert_eq!(rows[1].ms, Some([l[1].p50_ms, l[1].p95_ms, l[1].p99_ms]));
        assert_eq!((rows[0].share_pct, rows[1].share_pct), (85.0, 15.0));
        assert_eq!((rows[0].objective_ms, rows[1].objective_ms), (100.0, 300.0));
        // search's p95 is over its 100 ms, checkout's under its 300 ms.
        assert!(l[0].p95_ms > 100.0 && l[1].p95_ms < 300.0, "{} {}", l[0].p95_ms, l[1].p95_ms);
        assert_eq!((rows[0].met, rows[1].met), (false, true));
        // Over capacity, no figure and no class met.
        let over = decode_strict("mix=85,15&cpu_ms=3,40&wait_ms=20,5&rps=100000").unwrap();
        let rows = class_rows(&over, &outcome(&over));
        assert!(rows.len() == 2 && rows.iter().all(|r| r.ms.is_none() && !r.met));
        // One class in use: no table.
        let one = decode_strict("mix=100,0,0").unwrap();
        assert!(class_rows(&one, &outcome(&one)).is_empty());
    }
}
