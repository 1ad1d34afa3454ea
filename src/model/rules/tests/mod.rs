//! Tests of the rules, one per rule and named after it, plus a property test over
//! random valid plans and the two extreme nodes.

mod alerts;
mod checks;
mod gunicorn;
mod kernel;
mod kubernetes;
mod lean;
mod nginx;
mod pgbouncer;
mod pod;
mod pool;
mod postgres;
pub(crate) mod property;
mod redis;

use super::{recommend, Recommendation};
use crate::model::plan::Plan;

/// The plan after `edit`, checked valid.
#[track_caller]
pub(super) fn plan(edit: impl FnOnce(&mut Plan)) -> Plan {
    let mut p = Plan::default();
    edit(&mut p);
    assert_eq!(p.validate(), vec![], "test plan must be valid");
    p
}

/// The recommendation for the plan after `edit`.
#[track_caller]
pub(super) fn rec(edit: impl FnOnce(&mut Plan)) -> Recommendation {
    recommend(&plan(edit))
}

/// The warning codes of a recommendation.
pub(super) fn codes(r: &Recommendation) -> Vec<&'static str> {
    r.warnings.iter().map(|w| w.code).collect()
}
