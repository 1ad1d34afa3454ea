//! Calibration from load tests (issue 21): the service demands — the app's CPU per
//! request, its off-CPU wait and their variability — that make the planner's own model
//! reproduce each measured run, by least squares on the logarithms of the ratios, and
//! the plan that takes them.
//!
//! A closed-loop run (wrk, hey, ab, oha, k6, locust, siege: N connections, each sending
//! its next request when the last is answered) is predicted at the throughput X where
//! Little's law closes, `X · R(X) = N`, with `R(X)` the model's mean response time at the
//! rate X; an open-loop run (vegeta, wrk2: a fixed offered rate) at its own rate. A run
//! that prints no concurrency gets it by Little's law from its throughput and mean.
// Source: Little (1961) for L = λW; the model's response time is capacity::latency_at's
// (PLANNER.md §3); least squares on log ratios so that a 10 % miss weighs the same at
// 1 ms and at 1 s.

mod simplex;

use super::capacity::{self, shapes_at, Capacity, Node};
use super::field::Field;
use super::plan::{Plan, MAX_CLASSES};
use super::queueing::quantile;

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

/// The database driver's CPU per request on `plan` (its share of requests that use the
/// database times the driver's per transaction), ms.
fn driver_ms(plan: &Plan) -> f64 {
    capacity::db_share(plan) * capacity::DRIVER_CPU_MS
}

/// The plan of the tested host: the plan's node, server and settings, one replica, no
/// target, and one request class with the demands `d` (the endpoint the runs loaded); its
/// CPU is all in the class, the server's overhead set to 0.
pub fn tested(plan: &Plan, d: &Demands) -> Plan {
    let mut mix_pct = [0; MAX_CLASSES];
    mix_pct[0] = 100;
    let (mut cpu_ms, mut wait_ms) = ([0.0; MAX_CLASSES], [0.0; MAX_CLASSES]);
    cpu_ms[0] = (d.cpu_ms - driver_ms(plan)).max(0.0);
    wait_ms[0] = d.wait_ms;
    Plan {
        replicas: 1,
        target_rps: 0.0,
        mix_pct,
        class_count: 1,
        class_names: String::new(),
        cpu_ms,
        wait_ms,
        overhead_ms: Some(0.0),
        cv: d.cv,
        cv_each: None,
        p95_each: None,
        ..plan.clone()
    }
}

/// The plan with the calibrated demands: its classes scaled so that their mix-weighted
/// CPU (with the server's overhead and the driver's) and wait are the measured ones, their
/// ratios kept, and their variability the fitted one. A measured CPU below the server's
/// overhead makes the overhead, the classes keeping the least CPU a class may have.
pub fn apply(plan: &Plan, d: &Demands, cv_fitted: bool) -> Plan {
    let least = Field::CpuMs.range().map_or(0.01, |r| r.0);
    let fr = plan.mix_fractions();
    let n = plan.class_count.min(MAX_CLASSES);
    let weighted = |xs: &[f64; MAX_CLASSES]| (0..n).map(|i| fr[i] * xs[i].max(0.0)).sum::<f64>();
    let scaled = |xs: &[f64; MAX_CLASSES], to: f64, least: f64| {
        let from = weighted(xs);
        let mut out = *xs;
        for x in out.iter_mut().take(n) {
            *x = if from > 0.0 { round(x.max(0.0) * to / from) } else { round(to) }.max(least);
        }
        out
    };
    let server = capacity::overhead_ms(plan);
    let app = d.cpu_ms - server - driver_ms(plan);
    let mut p = Plan { wait_ms: scaled(&plan.wait_ms, d.wait_ms, 0.0), ..plan.clone() };
    if app >= least {
        p.cpu_ms = scaled(&plan.cpu_ms, app, least);
    } else {
        p.overhead_ms = Some(round((d.cpu_ms - driver_ms(plan) - least).max(0.0)));
        p.cpu_ms[..n].fill(least);
    }
    if cv_fitted {
        p.cv = round(d.cv);
        p.cv_each = None;
    }
    p
}

/// Three significant figures: what a measurement supports, and a short link.
fn round(x: f64) -> f64 {
    if !(x > 0.0) || !x.is_finite() {
        return 0.0;
    }
    let scale = 10f64.powi(2 - x.log10().floor() as i32);
    (x * scale).round() / scale
}

/// The model's mean response time at `rate` r/s on the tested node; None over capacity.
fn mean_at(node: &Node, cap: &Capacity, rate: f64) -> Option<f64> {
    let s = shapes_at(node, cap, rate)?;
    Some(s.mix.iter().zip(&s.means).map(|(c, m)| c.0 * m).sum())
}

/// The throughput where N requests in flight close Little's law, r/s.
fn closed_rate(node: &Node, cap: &Capacity, n: f64) -> f64 {
    let top = cap.node_max_rps * (1.0 - 1e-9);
    let in_flight = |x: f64| mean_at(node, cap, x).map_or(f64::INFINITY, |r| x * r / 1000.0);
    super::queueing::solve_increasing(in_flight, 0.0, top, n, 1e-9)
}

/// The concurrency a closed-loop run held: printed, or by Little's law.
fn concurrency_of(run: &Observed) -> Option<f64> {
    let little = || Some(run.throughput_rps * run.mean_ms.or_else(|| median(run))? / 1000.0);
    run.concurrency.or_else(little).filter(|n| *n > 0.0 && n.is_finite())
}

fn median(run: &Observed) -> Option<f64> {
    run.percentiles_ms.iter().find(|p| p.0 == 50.0).map(|p| p.1)
}

/// The model's figures for `run` on `plan`'s tested host with demands `d`.
pub fn predict(plan: &Plan, d: &Demands, run: &Observed) -> RunFit {
    let eval = capacity::evaluate(&tested(plan, d));
    predict_on(&eval.node, &eval.capacity, run)
}

fn predict_on(node: &Node, cap: &Capacity, run: &Observed) -> RunFit {
    let concurrency = if run.open_loop { None } else { concurrency_of(run) };
    let rate = match concurrency {
        Some(n) => closed_rate(node, cap, n),
        None => run.throughput_rps.min(cap.node_max_rps * (1.0 - 1e-9)),
    };
    let shapes = shapes_at(node, cap, rate);
    let mean = shapes.as_ref().map_or(f64::INFINITY, |s| s.mix.iter().zip(&s.means).map(|(c, m)| c.0 * m).sum());
    let predicted_ms = run
        .percentiles_ms
        .iter()
        .filter(|p| p.0 > 0.0 && p.0 < 100.0)
        .map(|&(q, _)| (q, shapes.as_ref().map_or(f64::INFINITY, |s| quantile(q / 100.0, &s.mix))))
        .collect();
    let observed = run.mean_ms.or_else(|| median(run));
    let model_latency = if run.mean_ms.is_some() { Some(mean) } else { shapes.as_ref().map(|s| quantile(0.5, &s.mix)) };
    let pct = |model: f64, seen: f64| 100.0 * (model / seen - 1.0);
    RunFit {
        concurrency,
        predicted_rps: rate,
        predicted_mean_ms: mean,
        predicted_ms,
        throughput_error_pct: pct(rate, run.throughput_rps),
        latency_error_pct: observed.zip(model_latency).map(|(seen, model)| pct(model, seen)),
    }
}

/// The squared log errors of one run's prediction: its throughput (closed loop) or its
/// latency at its rate (open loop), then its percentiles, together weighted as one more.
fn squared_errors(fit: &RunFit, run: &Observed, with_percentiles: bool) -> f64 {
    let ln = |model: f64, seen: f64| if model.is_finite() && model > 0.0 && seen > 0.0 { (model / seen).ln() } else { 10.0 };
    let first = match fit.concurrency {
        Some(_) => ln(fit.predicted_rps, run.throughput_rps),
        None => {
            // Open loop over the model's capacity: far off, by how far.
            let seen = run.mean_ms.or_else(|| median(run)).unwrap_or(f64::NAN);
            let model = if run.mean_ms.is_some() { fit.predicted_mean_ms } else { fit.predicted_ms.iter().find(|p| p.0 == 50.0).map_or(f64::NAN, |p| p.1) };
            ln(model, seen)
        }
    };
    let mut sum = first * first;
    let seen: Vec<_> = run.percentiles_ms.iter().filter(|p| p.0 > 0.0 && p.0 < 100.0).collect();
    if with_percentiles && !seen.is_empty() {
        let e: f64 = seen.iter().zip(&fit.predicted_ms).map(|(o, m)| ln(m.1, o.1).powi(2)).sum();
        sum += e / seen.len() as f64;
    }
    sum
}

/// Calibrates `plan`'s demands to `runs`.
///
/// # Errors
/// No runs, or a run with no throughput or neither a concurrency nor a latency.
pub fn calibrate(plan: &Plan, runs: &[Observed]) -> Result<Calibration, CalibrationError> {
    if runs.is_empty() {
        return Err(CalibrationError("no runs to calibrate against".into()));
    }
    for (i, r) in runs.iter().enumerate() {
        if !(r.throughput_rps > 0.0 && r.throughput_rps.is_finite()) {
            return Err(CalibrationError(format!("run {}: no requests completed (throughput 0 r/s)", i + 1)));
        }
        if !r.open_loop && concurrency_of(r).is_none() {
            return Err(CalibrationError(format!("run {}: neither its concurrency nor its latency is known", i + 1)));
        }
    }
    let cv_fitted = runs.iter().any(|r| r.percentiles_ms.iter().any(|p| p.0 > 50.0 && p.0 < 100.0));
    let start = start_from(plan, runs);
    let demands = |x: &[f64]| Demands {
        cpu_ms: x[0].exp(),
        wait_ms: x[1].exp(),
        cv: if cv_fitted { x[2].exp().clamp(0.05, 4.0) } else { plan.cv },
    };
    // A faint pull towards the start (1e-4 of a run's weight per unit of ln²): one run
    // cannot tell the CPU from the wait, and this keeps their split where the plan had it;
    // against runs that do tell them apart it weighs nothing.
    let prior = [start.cpu_ms.ln(), start.wait_ms.ln(), start.cv.max(0.05).ln()];
    let mut objective = |x: &[f64]| {
        let d = demands(x);
        let eval = capacity::evaluate(&tested(plan, &d));
        let fit: f64 = runs.iter().map(|r| squared_errors(&predict_on(&eval.node, &eval.capacity, r), r, cv_fitted)).sum();
        fit + 1e-4 * x.iter().zip(&prior).map(|(a, b)| (a - b).powi(2)).sum::<f64>()
    };
    let dims = if cv_fitted { 3 } else { 2 };
    let step = [0.7; 3];
    let (x, _) = simplex::minimise(&mut objective, &prior[..dims], &step[..dims], 1e-12, 1_500);
    let demands = demands(&x);
    let eval = capacity::evaluate(&tested(plan, &demands));
    let fits: Vec<RunFit> = runs.iter().map(|r| predict_on(&eval.node, &eval.capacity, r)).collect();
    let errors: Vec<f64> = fits.iter().flat_map(|f| [Some(f.throughput_error_pct).filter(|_| f.concurrency.is_some()), f.latency_error_pct]).flatten().collect();
    let rms_error_pct = (errors.iter().map(|e| e * e).sum::<f64>() / errors.len().max(1) as f64).sqrt();
    let mut notes = notes(runs);
    if rms_error_pct > 25.0 {
        notes.push(format!(
            "The model reproduces these runs only to {rms_error_pct:.0} % (root mean square): check that the plan describes the tested host (its cores, server type, workers and threads, database, proxy and cache)."
        ));
    }
    Ok(Calibration { demands, runs: fits, rms_error_pct, cv_fitted, notes })
}

/// Where the search starts: the plan's CPU per request (with the server's overhead) and
/// its wait, scaled together so that they make the fastest run's mean (or median).
fn start_from(plan: &Plan, runs: &[Observed]) -> Demands {
    let (cpu, wait) = (capacity::cpu_demand_ms(plan).max(0.1), capacity::wait_demand_ms(plan).max(0.1));
    let fastest = runs.iter().filter_map(|r| r.mean_ms.or_else(|| median(r))).fold(f64::INFINITY, f64::min);
    let k = if fastest.is_finite() && fastest > 0.0 { fastest / (cpu + wait) } else { 1.0 };
    Demands { cpu_ms: (cpu * k).max(1e-3), wait_ms: (wait * k).max(1e-3), cv: plan.cv.max(0.05) }
}

/// What a person should know about the runs before trusting the fit.
fn notes(runs: &[Observed]) -> Vec<String> {
    let mut out = Vec::new();
    let mut levels: Vec<f64> = runs.iter().filter_map(|r| if r.open_loop { Some(r.throughput_rps) } else { concurrency_of(r) }).collect();
    levels.sort_by(f64::total_cmp);
    levels.dedup_by(|a, b| (*a - *b).abs() <= 1e-9 * b.abs());
    if levels.len() < 2 {
        out.push("One load level: it cannot tell the CPU from the wait, so their split stays the plan's. A sweep (several concurrencies) separates them.".into());
    }
    out
}

#[cfg(test)]
#[path = "calibration/tests.rs"]
mod tests;
