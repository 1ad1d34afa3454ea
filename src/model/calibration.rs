//! Calibration from load tests (issue 21): the service demands — the app's CPU per
//! request, its off-CPU wait and their variability — that make the planner's own model
//! reproduce each measured run, by least squares on the logarithms of the ratios, and
//! the plan that takes them.
//!
//! A closed-loop run (wrk, hey, ab, oha, k6, locust, siege: N connections, each sending
//! its next request when the last is answered) is the node's closed network with N
//! requests in it: its throughput by exact MVA (the node's most once N passes its slots),
//! its mean by Little's law, N / X, and its percentiles the model's distribution with that
//! mean. An open-loop run (vegeta, wrk2: a fixed offered rate) is the open model at its
//! own rate. A run that prints no concurrency gets it by Little's law from its throughput
//! and mean.
// Source: Little (1961) for L = λW; the model's response time is capacity::latency_at's
// (PLANNER.md §3); least squares on log ratios so that a 10 % miss weighs the same at
// 1 ms and at 1 s.

mod apply;
mod fit;
mod predict;
mod simplex;

pub use crate::model::date::day;
pub use apply::{apply, source};
pub use fit::{calibrate, check};
pub use predict::{predict, tested};

/// What one load-test run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    /// Connections, virtual users or users; None when the tool does not print it.
    pub concurrency: Option<f64>,
    /// The tool offered a fixed rate (vegeta, wrk2): its latency is the model's at it.
    pub open_loop: bool,
    /// Completed requests per second.
    pub throughput_rps: f64,
    pub mean_ms: Option<f64>,
    /// (percent, ms), ascending.
    pub percentiles_ms: Vec<(f64, f64)>,
    /// Where the tested host differs from the plan, as a link's keys (`workers=4`,
    /// `cores=8&workers=17`); empty for the plan's own.
    pub host: String,
}

/// The calibrated service demands of the tested endpoint.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Demands {
    /// CPU per request in the app's process, the app server's and the database driver's
    /// included: what the runs measured, ms.
    pub cpu_ms: f64,
    /// Off-CPU wait per request, ms.
    pub wait_ms: f64,
    /// Coefficient of variation of the CPU time and the wait.
    pub cv: f64,
    /// The USL's σ and κ of the node's CPU, fitted where the runs' hosts differ in the
    /// cores their processes use; None keeps the plan's.
    pub usl: Option<(f64, f64)>,
}

/// The model's figures for one run under the calibrated demands.
#[derive(Debug, Clone, PartialEq)]
pub struct RunFit {
    /// The concurrency the prediction holds (printed, or by Little's law); None for an
    /// open-loop run.
    pub concurrency: Option<f64>,
    pub predicted_rps: f64,
    pub predicted_mean_ms: f64,
    /// The model's percentiles at the run's observed ones, (percent, ms).
    pub predicted_ms: Vec<(f64, f64)>,
    /// Model against measurement, %: throughput, and mean latency (p50 without a mean).
    pub throughput_error_pct: f64,
    pub latency_error_pct: Option<f64>,
}

/// The fit: the demands, each run beside its prediction, and what to know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    pub demands: Demands,
    pub runs: Vec<RunFit>,
    /// Root mean square of the runs' throughput and latency errors, %.
    pub rms_error_pct: f64,
    /// The variability was fitted (the runs gave percentiles); else the plan's is kept.
    pub cv_fitted: bool,
    pub notes: Vec<String>,
}

/// Why runs cannot be calibrated against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalibrationError(pub String);

impl std::fmt::Display for CalibrationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
#[path = "calibration/tests.rs"]
mod tests;
