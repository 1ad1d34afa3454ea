//! The model's figures for one load-test run: the tested host's closed network for a
//! closed loop, the open model for an open one; and the errors the fit weighs.

use super::{Demands, Observed, RunFit};
use crate::model::capacity::{self, shapes_at, Capacity, Node};
use crate::model::plan::{Plan, MAX_CLASSES};
use crate::model::queueing::quantile;

/// The database driver's CPU per request on `plan` (its share of requests that use the
/// database times the driver's per transaction), ms.
pub(super) fn driver_ms(plan: &Plan) -> f64 {
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
        usl_sigma: d.usl.map_or(plan.usl_sigma, |u| u.0),
        usl_kappa: d.usl.map_or(plan.usl_kappa, |u| u.1),
        ..plan.clone()
    }
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
    crate::model::queueing::solve_increasing(mean, 0.0, top, mean_ms, 1e-9)
}

/// The concurrency a closed-loop run held: printed, or by Little's law.
pub(super) fn concurrency_of(run: &Observed) -> Option<f64> {
    let little = || Some(run.throughput_rps * run.mean_ms.or_else(|| median(run))? / 1000.0);
    run.concurrency.or_else(little).filter(|n| *n > 0.0 && n.is_finite())
}

pub(super) fn median(run: &Observed) -> Option<f64> {
    run.percentiles_ms.iter().find(|p| p.0 == 50.0).map(|p| p.1)
}

/// The model's figures for `run` on `plan`'s tested host with demands `d`.
pub fn predict(plan: &Plan, d: &Demands, run: &Observed) -> RunFit {
    let eval = capacity::evaluate(&tested(plan, d));
    predict_on(&eval.node, &eval.capacity, run)
}

pub(super) fn predict_on(node: &Node, cap: &Capacity, run: &Observed) -> RunFit {
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
pub(super) fn first_error(fit: &RunFit, run: &Observed) -> f64 {
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
pub(super) fn percentile_error(fit: &RunFit, run: &Observed) -> f64 {
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
pub(super) fn tells_variability(fit: &RunFit, run: &Observed, slots: u64) -> bool {
    run.percentiles_ms.iter().any(|p| p.0 > 50.0 && p.0 < 100.0) && fit.concurrency.is_none_or(|n| n <= slots as f64)
}

