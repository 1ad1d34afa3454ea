//! The fit itself: each run on its tested host, the demands by Nelder–Mead on log ratios,
//! then the variability; and what a person should know about the result.

use super::predict::{concurrency_of, first_error, median, percentile_error, predict_on, tells_variability, tested};
use super::{simplex, Calibration, CalibrationError, Demands, Observed, RunFit};
use crate::model::capacity::{self, Evaluation};
use crate::model::field::Field;
use crate::model::plan::Plan;
use crate::model::query;

/// The runs' tested hosts: each distinct one's plan, and the one each run is on.
struct Hosts {
    plans: Vec<Plan>,
    of_run: Vec<usize>,
}

impl Hosts {
    /// The plan, with each run's host keys over it.
    fn of(plan: &Plan, runs: &[Observed]) -> Result<Hosts, CalibrationError> {
        let (mut keys, mut plans, mut of_run) = (Vec::<&str>::new(), Vec::new(), Vec::new());
        for (i, r) in runs.iter().enumerate() {
            let k = r.host.trim();
            let at = match keys.iter().position(|x| *x == k) {
                Some(j) => j,
                None => {
                    let p = if k.is_empty() {
                        plan.clone()
                    } else {
                        query::decode_strict(&format!("{}&{k}", query::encode(plan))).map_err(|e| CalibrationError(format!("run {}: its host '{k}': {e}", i + 1)))?
                    };
                    keys.push(k);
                    plans.push(p);
                    keys.len() - 1
                }
            };
            of_run.push(at);
        }
        Ok(Hosts { plans, of_run })
    }

    /// Each host solved with demands `d`.
    fn evals(&self, d: &Demands) -> Vec<Evaluation> {
        self.plans.iter().map(|p| capacity::evaluate(&tested(p, d))).collect()
    }

    /// Each run's prediction with demands `d`.
    fn predict(&self, runs: &[Observed], d: &Demands) -> Vec<RunFit> {
        let evals = self.evals(d);
        runs.iter().zip(&self.of_run).map(|(r, &h)| predict_on(&evals[h].node, &evals[h].capacity, r)).collect()
    }

    /// Whether the hosts' processes run on different numbers of cores: then the runs
    /// tell the USL's σ and κ of the node's CPU.
    fn vary_in_cores(&self, d: &Demands) -> bool {
        let mut servers: Vec<u64> = self.evals(d).iter().map(|e| e.node.cpu_servers).collect();
        servers.sort_unstable();
        servers.dedup();
        servers.len() > 1
    }
}

/// `plan`'s own demands (its mix-weighted CPU with the server's overhead, its wait and
/// variability) held against `runs` without fitting: how well a plan, calibrated on other
/// runs (other workers, other cores), predicts these.
///
/// # Errors
/// As [`calibrate`].
pub fn check(plan: &Plan, runs: &[Observed]) -> Result<Calibration, CalibrationError> {
    usable(runs)?;
    let hosts = Hosts::of(plan, runs)?;
    let demands = Demands { cpu_ms: capacity::cpu_demand_ms(plan), wait_ms: capacity::wait_demand_ms(plan), cv: plan.cv, usl: None };
    Ok(held(&hosts, runs, demands, false, Vec::new()))
}

/// Each run predicted with `demands`, and the errors' root mean square.
fn held(hosts: &Hosts, runs: &[Observed], demands: Demands, cv_fitted: bool, notes: Vec<String>) -> Calibration {
    let fits = hosts.predict(runs, &demands);
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

/// Calibrates `plan`'s demands to `runs`, each on its own host (`Observed::host`).
///
/// # Errors
/// No runs, a run with no throughput or neither a concurrency nor a latency, or a host
/// whose keys are not a valid plan.
pub fn calibrate(plan: &Plan, runs: &[Observed]) -> Result<Calibration, CalibrationError> {
    usable(runs)?;
    let hosts = Hosts::of(plan, runs)?;
    let start = start_from(plan, runs);
    // First the CPU and the wait (and the USL where the hosts differ in cores), from each
    // run's throughput (closed loop: exact MVA, which the variability does not move) or
    // mean (open loop), at the plan's variability.
    let with_usl = hosts.vary_in_cores(&start);
    let mut d = fit_demands(&hosts, runs, start, start, with_usl);
    // Then the variability alone, from the percentiles of the runs that tell it; with
    // open-loop runs, whose mean it moves, the rest again at the one found.
    let evals = hosts.evals(&d);
    let telling: Vec<(usize, &Observed)> = runs
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            let e = &evals[hosts.of_run[*i]];
            tells_variability(&predict_on(&e.node, &e.capacity, r), r, e.node.slots)
        })
        .collect();
    let cv_fitted = !telling.is_empty();
    if cv_fitted {
        let mut objective = |x: &[f64]| {
            let evals = hosts.evals(&Demands { cv: x[0].exp().clamp(0.05, 4.0), ..d });
            telling.iter().map(|&(i, r)| percentile_error(&predict_on(&evals[hosts.of_run[i]].node, &evals[hosts.of_run[i]].capacity, r), r)).sum::<f64>()
        };
        let (x, _) = simplex::minimise(&mut objective, &[d.cv.max(0.05).ln()], &[0.7], 1e-12, 300);
        d.cv = x[0].exp().clamp(0.05, 4.0);
        if runs.iter().any(|r| r.open_loop) {
            d = fit_demands(&hosts, runs, d, start, with_usl);
        }
    }
    let mut c = held(&hosts, runs, d, cv_fitted, notes(runs));
    for (i, f) in c.runs.iter().enumerate() {
        if !f.predicted_mean_ms.is_finite() {
            c.notes.push(format!("Run {}: the model cannot serve {:.0} r/s on this host at any CPU and wait it may take.", i + 1, runs[i].throughput_rps));
        }
    }
    if c.notes.is_empty() && split_is_loose(&hosts, runs, &c) {
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
fn split_is_loose(hosts: &Hosts, runs: &[Observed], c: &Calibration) -> bool {
    let d = c.demands;
    [0.5, 2.0].iter().all(|k| {
        let cpu = d.cpu_ms * k;
        let wait = d.wait_ms + d.cpu_ms - cpu;
        wait >= 0.0 && held(hosts, runs, Demands { cpu_ms: cpu, wait_ms: wait, ..d }, c.cv_fitted, Vec::new()).rms_error_pct <= c.rms_error_pct + 2.0
    })
}

/// The CPU and the wait (with `with_usl`, and the USL's σ and κ) that make each run's
/// first error least, from `from`, at its variability, with a faint pull towards `prior`
/// (1e-4 of a run's weight per unit of ln²): one run cannot tell the CPU from the wait,
/// and the pull keeps their split where the plan had it; against runs that do tell them
/// apart it weighs nothing.
fn fit_demands(hosts: &Hosts, runs: &[Observed], from: Demands, prior: Demands, with_usl: bool) -> Demands {
    // Within what the plan's fields hold (cpu_ms, wait_ms: up to 600,000 ms; σ to 0.99, κ to 0.1).
    let most = |f: Field| f.range().map_or(0.0, |r| r.1);
    let (sigma0, kappa0) = from.usl.unwrap_or_else(|| (hosts.plans[0].usl_sigma, hosts.plans[0].usl_kappa));
    let at = |x: &[f64]| Demands {
        cpu_ms: x[0].exp().clamp(1e-3, most(Field::CpuMs)),
        wait_ms: x[1].exp().clamp(1e-3, most(Field::WaitMs)),
        cv: from.cv,
        usl: with_usl.then(|| ((x[2] * x[2]).min(most(Field::UslSigma)), (x[3] * x[3] / 100.0).min(most(Field::UslKappa)))),
    };
    let pull = [prior.cpu_ms.ln(), prior.wait_ms.ln()];
    let mut objective = |x: &[f64]| {
        let fit: f64 = hosts.predict(runs, &at(x)).iter().zip(runs).map(|(f, r)| first_error(f, r).powi(2)).sum();
        fit + 1e-4 * x.iter().zip(&pull).map(|(a, b)| (a - b).powi(2)).sum::<f64>()
    };
    // σ and κ as squares, smooth down to 0 (a clamp at 0 leaves the simplex a flat floor).
    let start = [from.cpu_ms.ln(), from.wait_ms.ln(), sigma0.max(0.0).sqrt(), (kappa0.max(0.0) * 100.0).sqrt()];
    let dims = if with_usl { 4 } else { 2 };
    // Restarted from where it stopped until a restart gains nothing: a simplex can
    // collapse in a long valley before reaching its floor (Press et al. §10.5).
    let (mut x, mut value) = simplex::minimise(&mut objective, &start[..dims], &[0.7, 0.7, 0.1, 0.2][..dims], 1e-14, 1_000);
    for _ in 0..4 {
        let (again, v) = simplex::minimise(&mut objective, &x, &[0.2, 0.2, 0.02, 0.1][..dims], 1e-14, 1_000);
        let gained = value - v;
        (x, value) = (again, v);
        if gained <= 1e-12 {
            break;
        }
    }
    at(&x)
}

/// Where the search starts: the plan's CPU per request (with the server's overhead) and
/// its wait, scaled together so that they make the fastest run's mean (or median).
fn start_from(plan: &Plan, runs: &[Observed]) -> Demands {
    let (cpu, wait) = (capacity::cpu_demand_ms(plan).max(0.1), capacity::wait_demand_ms(plan).max(0.1));
    let fastest = runs.iter().filter_map(|r| r.mean_ms.or_else(|| median(r))).fold(f64::INFINITY, f64::min);
    let k = if fastest.is_finite() && fastest > 0.0 { fastest / (cpu + wait) } else { 1.0 };
    Demands { cpu_ms: (cpu * k).max(1e-3), wait_ms: (wait * k).max(1e-3), cv: plan.cv.max(0.05), usl: None }
}

/// What a person should know about the runs before trusting the fit.
fn notes(runs: &[Observed]) -> Vec<String> {
    let mut out = Vec::new();
    let mut levels: Vec<(String, f64)> = runs.iter().filter_map(|r| Some((r.host.clone(), if r.open_loop { r.throughput_rps } else { concurrency_of(r)? }))).collect();
    levels.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    levels.dedup_by(|a, b| a.0 == b.0 && (a.1 - b.1).abs() <= 1e-9 * b.1.abs());
    if levels.len() < 2 {
        out.push("One load level: it cannot tell the CPU from the wait, so their split stays the plan's. A sweep (several concurrencies) separates them.".into());
    }
    out
}
