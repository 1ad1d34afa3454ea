//! The plan that takes calibrated demands.

use super::predict::driver_ms;
use super::Demands;
use crate::model::capacity;
use crate::model::field::Field;
use crate::model::plan::{Plan, MAX_CLASSES};

/// The plan with the calibrated demands: its classes scaled so that their mix-weighted
/// CPU (with the server's overhead and the driver's) and wait are the measured ones, their
/// ratios kept, and their variability the fitted one. A measured CPU below the server's
/// overhead makes the overhead, the classes keeping the least CPU a class may have. The
/// plan is marked as measured by `source` ([`source`]), cut to a note's length.
pub fn apply(plan: &Plan, d: &Demands, cv_fitted: bool, source: &str) -> Plan {
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
    if let Some((sigma, kappa)) = d.usl {
        (p.usl_sigma, p.usl_kappa) = (round(sigma), round(kappa));
    }
    p.measured = note(source);
    p
}

/// The mark of a calibrated plan: what measured it (`what`: the tools, the files), how
/// many runs, the fit's rms error and the day (YYYY-MM-DD), e.g.
/// "wrk: 4 runs, 3.6 % rms, 2026-12-07".
pub fn source(what: &str, runs: usize, rms_error_pct: f64, day: &str) -> String {
    let rms = crate::model::decimal::shortest((rms_error_pct * 10.0).round() / 10.0);
    format!("{what}: {runs} run{}, {rms} % rms, {day}", if runs == 1 { "" } else { "s" })
}

/// `text` as a valid [`Field::Measured`]: on one line, cut with "…" to its length.
fn note(text: &str) -> String {
    let line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    match line.char_indices().nth(crate::model::field::MAX_NOTE - 1) {
        Some((i, _)) if line.chars().count() > crate::model::field::MAX_NOTE => format!("{}…", &line[..i]),
        _ => line,
    }
}


/// Three significant figures: what a measurement supports, and a short link.
fn round(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
        return 0.0;
    }
    let scale = 10f64.powi(2 - x.log10().floor() as i32);
    (x * scale).round() / scale
}

