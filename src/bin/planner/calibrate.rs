//! `planner calibrate`: load-test outputs read into runs, the service demands that make
//! the model reproduce them, the USL over a concurrency sweep, and the calibrated plan.

use serde_json::{json, Value};

use planner::calibrate::{self, Run};
use planner::model::calibration::{self, Calibration};
use planner::model::queueing::usl_fit::{self, UslFit};
use planner::model::{query, Plan};

/// One run read: where it came from (`FILE:LINE`), the host keys it ran on, and its figures.
pub struct Read {
    pub source: String,
    pub host: String,
    pub run: Run,
}

/// Every run of every file, each with where it came from and the host keys it ran on.
///
/// # Errors
/// `FILE: message` for a file that cannot be read, `FILE:LINE: message` for one that is
/// not a load-test output.
pub fn read(files: &[(String, String)]) -> Result<Vec<Read>, String> {
    let mut out = Vec::new();
    for (host, path) in files {
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
        let text = String::from_utf8_lossy(&bytes);
        let runs = calibrate::parse_hosts(&text).map_err(|e| format!("{path}:{}: {}", e.line, e.message))?;
        // A `# host:` line in the file adds its keys to --with's (the later key wins).
        let on = |keys: String| match (host.is_empty(), keys.is_empty()) {
            (_, true) => host.clone(),
            (true, false) => keys,
            (false, false) => format!("{host}&{keys}"),
        };
        out.extend(runs.into_iter().map(|(keys, run)| Read { source: format!("{path}:{}", run.line), host: on(keys), run }));
    }
    Ok(out)
}

/// The USL over the closed-loop runs' (concurrency, throughput), with 3 or more levels.
fn usl(runs: &[Read]) -> Option<Result<UslFit, String>> {
    // One host's sweep: the USL of concurrency on the first host's runs.
    let first = runs.first().map(|r| r.host.as_str()).unwrap_or("");
    let points: Vec<(f64, f64)> = runs.iter().filter(|r| r.host == first).filter_map(|r| Some((r.run.concurrency?, r.run.throughput_rps))).collect();
    let mut levels: Vec<f64> = points.iter().map(|p| p.0).collect();
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    (levels.len() >= 3).then(|| usl_fit::fit(&points).map_err(|e| e.to_string()))
}

/// The calibration of `plan` to the runs, and the calibrated plan; with `check`, the plan
/// held against them as it is (and itself).
///
/// # Errors
/// Why the runs cannot be calibrated against.
pub fn fit(plan: &Plan, runs: &[Read], check: bool) -> Result<(Calibration, Plan), String> {
    let observed: Vec<_> = runs.iter().map(|r| calibration::Observed { host: r.host.clone(), ..r.run.observed() }).collect();
    if check {
        let c = calibration::check(plan, &observed).map_err(|e| e.to_string())?;
        return Ok((c, plan.clone()));
    }
    let c = calibration::calibrate(plan, &observed).map_err(|e| e.to_string())?;
    let calibrated = calibration::apply(plan, &c.demands, c.cv_fitted, &source(runs, c.rms_error_pct));
    Ok((c, calibrated))
}

/// What the calibrated plan is marked as measured by: the tools and the files' names,
/// the runs, the fit's error and the day.
fn source(runs: &[Read], rms_error_pct: f64) -> String {
    let just: Vec<calibrate::Run> = runs.iter().map(|r| r.run.clone()).collect();
    let mut files: Vec<&str> = Vec::new();
    for r in runs {
        let file = r.source.rsplit_once(':').map_or(r.source.as_str(), |(f, _)| f);
        let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
        if !files.contains(&name) {
            files.push(name);
        }
    }
    let what = format!("{} ({})", calibrate::tools(&just), files.join(", "));
    calibration::source(&what, runs.len(), rms_error_pct, &calibrate::today())
}

fn percentiles(ps: &[(f64, f64)]) -> Value {
    Value::Object(ps.iter().map(|(p, ms)| (planner::model::decimal::shortest(*p), json!(ms))).collect())
}

/// The JSON document: `runs[]`, `fit`, `usl` (null without a sweep) and `plan`.
pub fn to_json(runs: &[Read], c: &Calibration, calibrated: &Plan, check: bool) -> Value {
    let runs_json: Vec<Value> = runs
        .iter()
        .zip(&c.runs)
        .map(|(Read { source, host, run: r }, f)| {
            json!({
                "source": source,
                "host": host,
                "tool": r.tool.name(),
                "concurrency": r.concurrency,
                "concurrency_used": f.concurrency,
                "throughput_rps": r.throughput_rps,
                "requests": r.requests,
                "duration_s": r.duration_s,
                "mean_ms": r.mean_ms,
                "percentiles_ms": percentiles(&r.percentiles_ms),
                "max_ms": r.max_ms,
                "errors": r.errors,
                "non_2xx": r.non_2xx,
                "predicted": {
                    "throughput_rps": f.predicted_rps,
                    "mean_ms": f.predicted_mean_ms,
                    "percentiles_ms": percentiles(&f.predicted_ms),
                },
                "throughput_error_pct": f.throughput_error_pct,
                "latency_error_pct": f.latency_error_pct,
            })
        })
        .collect();
    let d = &c.demands;
    let usl = match usl(runs) {
        Some(Ok(u)) => json!({
            "lambda": u.lambda, "sigma": u.sigma, "kappa": u.kappa,
            "se_lambda": u.se_lambda, "se_sigma": u.se_sigma, "se_kappa": u.se_kappa,
            "n_max": u.n_max, "x_max": u.x_max, "points": u.points,
            "warnings": u.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
        }),
        Some(Err(e)) => json!({ "error": e }),
        None => Value::Null,
    };
    json!({
        "runs": runs_json,
        "fit": {
            "cpu_ms": d.cpu_ms,
            "wait_ms": d.wait_ms,
            "cv": d.cv,
            "fitted": !check,
            "cv_fitted": c.cv_fitted,
            "usl_sigma": d.usl.map(|u| u.0),
            "usl_kappa": d.usl.map(|u| u.1),
            "rms_error_pct": c.rms_error_pct,
            "notes": c.notes,
        },
        "usl": usl,
        "plan": query::encode(calibrated),
    })
}

/// The text report: each run beside the model, the fit, the USL and the plan's query.
pub fn to_text(runs: &[Read], c: &Calibration, calibrated: &Plan, check: bool) -> String {
    let width = runs.iter().map(|r| r.source.chars().count() + if r.host.is_empty() { 0 } else { r.host.chars().count() + 3 }).max().unwrap_or(6).max(6);
    let mut out = format!("Runs: measured | model\n  {:<width$}  {:<6} {:>6} {:>21} {:>19} {:>7} {:>7}\n", "source", "tool", "conc.", "throughput r/s", "mean ms", "errors", "non-2xx");
    for (Read { source, host, run: r }, f) in runs.iter().zip(&c.runs) {
        let source = if host.is_empty() { source.clone() } else { format!("{source} ({host})") };
        let conc = f.concurrency.map_or("open".to_string(), |n| format!("{n:.0}"));
        let mean = r.mean_ms.map_or("–".to_string(), |m| format!("{m:.2}"));
        out.push_str(&format!(
            "  {source:<width$}  {:<6} {:>6} {:>9.1} | {:>9.1} {:>8} | {:>8.2} {:>7} {:>7}\n",
            r.tool.name(), conc, r.throughput_rps, f.predicted_rps, mean, f.predicted_mean_ms, r.errors, r.non_2xx
        ));
    }
    let d = &c.demands;
    out.push_str(&format!(
        "\n{}: CPU {:.3} ms per request (the server's overhead included), wait {:.3} ms, cv {:.2} ({})\n",
        if check { "The plan's demands, not fitted (--check)" } else { "Fit" },
        d.cpu_ms,
        d.wait_ms,
        d.cv,
        if c.cv_fitted { "fitted to the percentiles" } else if check { "the plan's" } else { "the plan's: no percentiles above p50" }
    ));
    if let Some((sigma, kappa)) = d.usl {
        out.push_str(&format!("The node's CPU, fitted across the hosts' cores: USL σ {sigma:.4}, κ {kappa:.2e}\n"));
    }
    out.push_str(&format!("Model against the runs: {:.1} % root mean square\n", c.rms_error_pct));
    for n in &c.notes {
        out.push_str(&format!("Note: {n}\n"));
    }
    match usl(runs) {
        Some(Ok(u)) => {
            let peak = u.n_max.zip(u.x_max).map_or("no peak (κ = 0)".to_string(), |(n, x)| format!("peak {x:.0} r/s at {n:.0} in flight"));
            out.push_str(&format!("USL: λ {:.2} r/s, σ {:.5}, κ {:.3e}; {peak}\n", u.lambda, u.sigma, u.kappa));
            for w in &u.warnings {
                out.push_str(&format!("USL: {w}\n"));
            }
        }
        Some(Err(e)) => out.push_str(&format!("USL: {e}\n")),
        None => out.push_str("USL: fewer than 3 concurrency levels, no fit\n"),
    }
    if !check {
        out.push_str(&format!("\nCalibrated plan: {}\n", query::encode(calibrated)));
    }
    out
}
