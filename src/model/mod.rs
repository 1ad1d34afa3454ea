//! The planning model: pure Rust, no web dependencies. Inputs ([`Plan`]), one
//! validation, and every rule of PLANNER.md as a small named function citing its guide.

pub mod calibration;
pub mod capacity;
pub mod cheapest;
pub mod choice;
pub mod cost;
pub mod curves;
pub mod date;
pub mod decimal;
pub mod details;
pub mod field;
pub mod figure;
pub mod lists;
pub mod memory;
pub mod outcome;
pub mod plan;
pub mod pod;
pub mod pod_options;
pub mod query;
pub mod queueing;
/// The CLI's report, and the results "Compare plans" reads in the files' worker (not
/// in the page: nothing of the page calls it).
pub mod report;
/// The seeded generator of the property and fuzz tests (tests/fuzzing uses it too).
#[doc(hidden)]
pub mod rng;
pub mod rules;
pub mod sources;
pub mod suggest;
pub mod summary;
pub mod text;
pub mod workers;

pub use capacity::{
    capacity, evaluate, latency, tiers, Bottleneck, Capacity, Evaluation, Latency, Node, TierRow,
};
pub use choice::*;
pub use field::{Field, FieldError};
pub use outcome::{outcome, Fit, Outcome, Verdict};
pub use plan::{Class, Plan};
pub use queueing::{MvaSolution, Network, Station, StationLoad, Usl};

/// `f64::clamp` without its panic message, which formats the bounds with core's float
/// formatter (about 13 KB of the page; [`decimal::shortest`] writes numbers instead).
/// The same result for every input: NaN stays NaN, the bounds are the caller's to order.
pub trait Within {
    fn within(self, lo: f64, hi: f64) -> f64;
}

impl Within for f64 {
    fn within(self, lo: f64, hi: f64) -> f64 {
        if self < lo {
            lo
        } else if self > hi {
            hi
        } else {
            self
        }
    }
}
