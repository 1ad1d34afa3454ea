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
    // A class's CPU or wait holds at most 600,000 ms (the fields' range).
    let most = Field::CpuMs.range().map_or(6e5, |r| r.1).min(Field::WaitMs.range().map_or(6e5, |r| r.1));
    let scaled = |xs: &[f64; MAX_CLASSES], to: f64, least: f64| {
        let from = weighted(xs);
        let mut out = *xs;
        for x in out.iter_mut().take(n) {
            *x = if from > 0.0 { round(x.max(0.0) * to / from) } else { round(to) }.clamp(least, most);
        }
        out
    };
    let server = capacity::overhead_ms(plan);
    let app = d.cpu_ms - server - driver_ms(plan);
    let mut p = Plan { wait_ms: scaled(&plan.wait_ms, d.wait_ms, 0.0), ..plan.clone() };
    if app >= least {
        p.cpu_ms = scaled(&plan.cpu_ms, app, least);
    } else {
        p.overhead_ms = Some(round((d.cpu_ms - driver_ms(plan) - least).max(0.0)).min(Field::Overhead.range().map_or(1e3, |r| r.1)));
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
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
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

/// A closed loop of `n` connections: its throughput (r/s) by exact MVA with `n` requests
/// in the node (every slot busy beyond the slots: the node's most, the rest waiting in the
/// listen queue), and its mean response time by Little's law, `n / X`, ms.
// Source: Reiser & Lavenberg (1980), exact MVA; Little (1961).
fn closed_loop(node: &Node, cap: &Capacity, n: f64) -> (f64, f64) {
    let x = if n >= node.slots as f64 { cap.node_max_rps } else { capacity::closed_throughput_rps(node, n) };
    (x, if x > 0.0 { 1000.0 * n / x } else { f64::INFINITY })
}

/// The rate at which the open model's mean response time is `mean_ms`: where a closed
/// loop's percentiles are read, the model's distribution with the loop's mean.
fn rate_with_mean(node: &Node, cap: &Capacity, mean_ms: f64) -> f64 {
    let top = cap.node_max_rps * (1.0 - 1e-9);
    let mean = |x: f64| mean_at(node, cap, x).unwrap_or(f64::INFINITY);
    super::queueing::solve_increasing(mean, 0.0, top, mean_ms, 1e-9)
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
    let (rate, shapes, mean) = match concurrency {
        Some(n) => {
            let (x, r) = closed_loop(node, cap, n);
            (x, shapes_at(node, cap, rate_with_mean(node, cap, r)), r)
        }
        None => {
            let x = run.throughput_rps.min(cap.node_max_rps * (1.0 - 1e-9));
            let shapes = shapes_at(node, cap, x);
            let mean = shapes.as_ref().map_or(f64::INFINITY, |s| s.mix.iter().zip(&s.means).map(|(c, m)| c.0 * m).sum());
            (x, shapes, mean)
        }
    };
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
        // None where the model has no finite latency (the rate is over what it serves).
        latency_error_pct: observed.zip(model_latency).map(|(seen, model)| pct(model, seen)).filter(|e| e.is_finite()),
    }
}

/// The log error of one run's prediction: its throughput (closed loop) or its latency at
/// its rate (open loop).
fn first_error(fit: &RunFit, run: &Observed) -> f64 {
    match fit.concurrency {
        Some(_) => ln_ratio(fit.predicted_rps, run.throughput_rps),
        None => {
            let seen = run.mean_ms.or_else(|| median(run)).unwrap_or(f64::NAN);
            let model = if run.mean_ms.is_some() { fit.predicted_mean_ms } else { fit.predicted_ms.iter().find(|p| p.0 == 50.0).map_or(f64::NAN, |p| p.1) };
            ln_ratio(model, seen)
        }
    }
}

/// The mean squared log error of one run's percentiles.
fn percentile_error(fit: &RunFit, run: &Observed) -> f64 {
    let seen: Vec<_> = run.percentiles_ms.iter().filter(|p| p.0 > 0.0 && p.0 < 100.0).collect();
    let e: f64 = seen.iter().zip(&fit.predicted_ms).map(|(o, m)| ln_ratio(m.1, o.1).powi(2)).sum();
    e / seen.len().max(1) as f64
}

/// `ln(model / seen)`, or 10 (far off) where either is not a positive number.
fn ln_ratio(model: f64, seen: f64) -> f64 {
    if model.is_finite() && model > 0.0 && seen > 0.0 {
        (model / seen).ln()
    } else {
        10.0
    }
}

/// Whether a run's percentiles tell the variability: it printed some above the median,
/// and either it is open loop or its connections do not queue for a slot (a closed loop's
/// queue for a slot is a steady line, not the open model's exponential wait).
fn tells_variability(fit: &RunFit, run: &Observed, slots: u64) -> bool {
    run.percentiles_ms.iter().any(|p| p.0 > 50.0 && p.0 < 100.0) && fit.concurrency.is_none_or(|n| n <= slots as f64)
}

/// `plan`'s own demands (its mix-weighted CPU with the server's overhead, its wait and
/// variability) held against `runs` without fitting: how well a plan, calibrated on other
/// runs (other workers, other cores), predicts these.
///
/// # Errors
/// As [`calibrate`].
pub fn check(plan: &Plan, runs: &[Observed]) -> Result<Calibration, CalibrationError> {
    usable(runs)?;
    let demands = Demands { cpu_ms: capacity::cpu_demand_ms(plan), wait_ms: capacity::wait_demand_ms(plan), cv: plan.cv };
    Ok(held(plan, runs, demands, false, Vec::new()))
}

/// Each run predicted with `demands`, and the errors' root mean square.
fn held(plan: &Plan, runs: &[Observed], demands: Demands, cv_fitted: bool, notes: Vec<String>) -> Calibration {
    let eval = capacity::evaluate(&tested(plan, &demands));
    let fits: Vec<RunFit> = runs.iter().map(|r| predict_on(&eval.node, &eval.capacity, r)).collect();
    let errors: Vec<f64> = fits.iter().flat_map(|f| [Some(f.throughput_error_pct).filter(|_| f.concurrency.is_some()), f.latency_error_pct]).flatten().collect();
    let rms_error_pct = (errors.iter().map(|e| e * e).sum::<f64>() / errors.len().max(1) as f64).sqrt();
    Calibration { demands, runs: fits, rms_error_pct, cv_fitted, notes }
}

/// None, or why the runs cannot be held against the model.
fn usable(runs: &[Observed]) -> Result<(), CalibrationError> {
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
    Ok(())
}

/// Calibrates `plan`'s demands to `runs`.
///
/// # Errors
/// No runs, or a run with no throughput or neither a concurrency nor a latency.
pub fn calibrate(plan: &Plan, runs: &[Observed]) -> Result<Calibration, CalibrationError> {
    usable(runs)?;
    let start = start_from(plan, runs);
    // First the CPU and the wait, from each run's throughput (closed loop: exact MVA, which
    // the variability does not move) or mean (open loop), at the plan's variability.
    let mut d = fit_demands(plan, runs, start, start);
    // Then the variability alone, from the percentiles of the runs that tell it; with
    // open-loop runs, whose mean it moves, the CPU and the wait again at the one found.
    let eval = capacity::evaluate(&tested(plan, &d));
    let telling: Vec<&Observed> = runs.iter().filter(|r| tells_variability(&predict_on(&eval.node, &eval.capacity, r), r, eval.node.slots)).collect();
    let cv_fitted = !telling.is_empty();
    if cv_fitted {
        let mut objective = |x: &[f64]| {
            let trial = Demands { cv: x[0].exp().clamp(0.05, 4.0), ..d };
            let eval = capacity::evaluate(&tested(plan, &trial));
            telling.iter().map(|r| percentile_error(&predict_on(&eval.node, &eval.capacity, r), r)).sum::<f64>()
        };
        let (x, _) = simplex::minimise(&mut objective, &[d.cv.max(0.05).ln()], &[0.7], 1e-12, 300);
        d.cv = x[0].exp().clamp(0.05, 4.0);
        if runs.iter().any(|r| r.open_loop) {
            d = fit_demands(plan, runs, d, start);
        }
    }
    let mut c = held(plan, runs, d, cv_fitted, notes(runs));
    for (i, f) in c.runs.iter().enumerate() {
        if !f.predicted_mean_ms.is_finite() {
            c.notes.push(format!("Run {}: the model cannot serve {:.0} r/s on this host at any CPU and wait it may take.", i + 1, runs[i].throughput_rps));
        }
    }
    if c.notes.is_empty() && split_is_loose(plan, runs, &c) {
        c.notes.push("These runs hardly tell the CPU from the wait (half or twice the CPU, the same time per request, fits them nearly as well): nothing they measured ran short of CPU. A sweep that loads the cores (more workers, more connections) separates them.".into());
    }
    if c.rms_error_pct > 25.0 {
        c.notes.push(format!(
            "The model reproduces these runs only to {:.0} % (root mean square): check that the plan describes the tested host (its cores, server type, workers and threads, database, proxy and cache).",
            c.rms_error_pct
        ));
    }
    Ok(c)
}

/// Whether half or twice the fitted CPU, the time per request kept, fits the runs within
/// 2 points of the error's root mean square: the runs do not pin the split.
fn split_is_loose(plan: &Plan, runs: &[Observed], c: &Calibration) -> bool {
    let d = c.demands;
    [0.5, 2.0].iter().all(|k| {
        let cpu = d.cpu_ms * k;
        let wait = d.wait_ms + d.cpu_ms - cpu;
        wait >= 0.0 && held(plan, runs, Demands { cpu_ms: cpu, wait_ms: wait, ..d }, c.cv_fitted, Vec::new()).rms_error_pct <= c.rms_error_pct + 2.0
    })
}

/// The CPU and the wait that make each run's first error least, from `from`, at its
/// variability, with a faint pull towards `prior` (1e-4 of a run's weight per unit of
/// ln²): one run cannot tell the CPU from the wait, and the pull keeps their split where
/// the plan had it; against runs that do tell them apart it weighs nothing.
fn fit_demands(plan: &Plan, runs: &[Observed], from: Demands, prior: Demands) -> Demands {
    // Within what the plan's fields hold (cpu_ms, wait_ms: up to 600,000 ms).
    let most = |f: Field| f.range().map_or(6e5, |r| r.1);
    let at = |x: &[f64]| Demands { cpu_ms: x[0].exp().clamp(1e-3, most(Field::CpuMs)), wait_ms: x[1].exp().clamp(1e-3, most(Field::WaitMs)), cv: from.cv };
    let pull = [prior.cpu_ms.ln(), prior.wait_ms.ln()];
    let mut objective = |x: &[f64]| {
        let eval = capacity::evaluate(&tested(plan, &at(x)));
        let fit: f64 = runs.iter().map(|r| first_error(&predict_on(&eval.node, &eval.capacity, r), r).powi(2)).sum();
        fit + 1e-4 * x.iter().zip(&pull).map(|(a, b)| (a - b).powi(2)).sum::<f64>()
    };
    let (x, _) = simplex::minimise(&mut objective, &[from.cpu_ms.ln(), from.wait_ms.ln()], &[0.7, 0.7], 1e-12, 1_000);
    at(&x)
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
