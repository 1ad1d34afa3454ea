//! Fitting Gunther's Universal Scalability Law to a load test's (concurrency, throughput)
//! points: `X(N) = λN / (1 + σ(N−1) + κN(N−1))`, by bounded nonlinear least squares.
//!
//! Sources: N. J. Gunther, *Guerrilla Capacity Planning* (Springer 2007), ch. 4–5;
//! B. Schwartz, *Practical Scalability Analysis with the Universal Scalability Law*
//! (VividCortex 2015), whose Cisco benchmark is the reference test. Fitters consulted:
//! the R `usl` package (S. Moeding; σ, κ bounded to [0, 1], standard errors as R's `nls`
//! reports them), codahale/usl4j and usl-rs (Levenberg–Marquardt from σ = 0.1, κ = 0.01,
//! λ = max(X/N)). The algorithm is Marquardt's: D. W. Marquardt, "An algorithm for
//! least-squares estimation of nonlinear parameters", SIAM J. Appl. Math. 11 (1963), with
//! parameters at a bound held there while the descent direction points out of the box.

mod problems;

pub use problems::{Coordinate, FitError, FitWarning, Param};

use super::{usl_capacity, usl_peak, Usl};

/// Most Levenberg–Marquardt iterations (Jacobian evaluations) before giving up.
const MAX_ITERATIONS: usize = 200;
/// A step that improves the sum of squares by less than this share of it ends the fit.
const REL_TOLERANCE: f64 = 1e-12;
/// Concurrency levels below this many leave σ and κ poorly determined (usl4j refuses them).
const TRUSTWORTHY_LEVELS: usize = 6;
/// How close to a bound a parameter must be to count as on it.
const ON_BOUND: f64 = 1e-12;

/// The fitted law, its uncertainty and what to beware of.
#[derive(Debug, Clone, PartialEq)]
pub struct UslFit {
    /// Throughput of one client alone, in the unit of the points' X.
    pub lambda: f64,
    /// Contention (the serial share), in [0, 1].
    pub sigma: f64,
    /// Coherency (crosstalk) cost, in [0, 1].
    pub kappa: f64,
    pub se_lambda: Option<f64>,
    pub se_sigma: Option<f64>,
    pub se_kappa: Option<f64>,
    /// Concurrency of the peak throughput, `√((1−σ)/κ)`; none when κ = 0 (no peak).
    pub n_max: Option<f64>,
    /// Throughput at [`UslFit::n_max`].
    pub x_max: Option<f64>,
    /// `√(SSE/(n−3))`, in X's unit; none with 3 points (no degree of freedom left).
    pub residual_sd: Option<f64>,
    pub points: usize,
    /// Jacobian evaluations the fit took.
    pub iterations: usize,
    pub warnings: Vec<FitWarning>,
}

impl UslFit {
    /// The fitted throughput at concurrency `n`, `λ·C(n)` (0 for `n ≤ 0`).
    pub fn throughput(&self, n: f64) -> f64 {
        self.lambda * usl_capacity(n, self.sigma, self.kappa)
    }

    /// σ and κ as the planner's station coefficients.
    pub fn usl(&self) -> Usl {
        Usl { sigma: self.sigma, kappa: self.kappa }
    }
}

/// Fits the USL to `(N, X)` points by Levenberg–Marquardt with σ, κ ∈ [0, 1], λ ≥ 0.
///
/// # Errors
/// Fewer than 3 points, a point whose N or X is not a positive finite number, every point
/// at one concurrency, or numbers too extreme for floating point.
pub fn fit(points: &[(f64, f64)]) -> Result<UslFit, FitError> {
    validate(points)?;
    // Fit X / max X: λ scales with X, σ and κ do not, and the sums stay far from overflow.
    let scale = points.iter().map(|p| p.1).fold(0.0, f64::max);
    let data: Vec<(f64, f64)> = points.iter().map(|&(n, x)| (n, x / scale)).collect();
    let lambda0 = data.iter().map(|&(n, y)| y / n).fold(0.0, f64::max);
    let mut p = [lambda0, 0.1, 0.01];
    let mut sse = sum_of_squares(&data, p);
    if !lambda0.is_finite() || !sse.is_finite() {
        return Err(FitError::OutOfRange);
    }
    let (mut damping, mut iterations, mut quiet, mut settled) = (1e-3, 0, 0, sse == 0.0);
    while !settled && iterations < MAX_ITERATIONS {
        iterations += 1;
        let (jtj, jtr) = normal_equations(&data, p);
        let free = free_parameters(p, jtr);
        let mut improved = None;
        while damping <= 1e16 {
            if let Some(step) = damped_step(&jtj, &jtr, free, damping) {
                let trial = project([p[0] + step[0], p[1] + step[1], p[2] + step[2]]);
                let trial_sse = sum_of_squares(&data, trial);
                if trial_sse < sse {
                    improved = Some((trial, trial_sse));
                    damping = (damping / 10.0).max(1e-12);
                    break;
                }
            }
            damping *= 10.0;
        }
        match improved {
            // Converged on the relative change in the sum of squares, twice in a row: one
            // small change may be a short step taken under heavy damping.
            Some((trial, trial_sse)) => {
                quiet = if sse - trial_sse <= REL_TOLERANCE * sse { quiet + 1 } else { 0 };
                settled = quiet >= 2 || trial_sse == 0.0;
                (p, sse) = (trial, trial_sse);
            }
            // No step lowers the sum at any damping: a minimum to rounding.
            None => settled = true,
        }
    }
    Ok(finish(points.len(), &data, scale, p, sse, iterations, settled))
}

/// The fit's report at the solution `p` of the scaled data.
fn finish(
    n: usize,
    data: &[(f64, f64)],
    scale: f64,
    p: [f64; 3],
    sse: f64,
    iterations: usize,
    settled: bool,
) -> UslFit {
    let [lambda, mut sigma, mut kappa] = p;
    // A σ or κ whose share of the denominator at the widest N measured is below rounding is
    // one the data cannot tell from 0 (LM nears a bound only asymptotically): snap it there.
    let widest = data.iter().map(|d| d.0).fold(1.0, f64::max);
    if sigma * widest <= ON_BOUND {
        sigma = 0.0;
    }
    if kappa * widest * widest <= ON_BOUND {
        kappa = 0.0;
    }
    // Standard errors as nls reports them: the diagonal of s²(JᵀJ)⁻¹, s² = SSE/(n−3).
    let dof = n.saturating_sub(3);
    let s2 = (dof > 0).then(|| sse / dof as f64);
    let cov = s2.and_then(|s2| invert(&normal_equations(data, p).0).map(|inv| (s2, inv)));
    let se =
        |i: usize, unit: f64| cov.and_then(|(s2, inv)| Some((s2 * inv[i][i]).sqrt() * unit).filter(|v| v.is_finite()));
    let n_max = (kappa > 0.0).then(|| usl_peak(sigma, kappa)).filter(|v| v.is_finite());
    let mut fit = UslFit {
        lambda: lambda * scale,
        sigma,
        kappa,
        se_lambda: se(0, scale),
        se_sigma: se(1, 1.0),
        se_kappa: se(2, 1.0),
        n_max,
        x_max: None,
        residual_sd: s2.map(|s2| s2.sqrt() * scale).filter(|v| v.is_finite()),
        points: n,
        iterations,
        warnings: Vec::new(),
    };
    fit.x_max = n_max.map(|m| fit.throughput(m)).filter(|v| v.is_finite());
    let mut levels: Vec<f64> = data.iter().map(|d| d.0).collect();
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    if levels.len() < TRUSTWORTHY_LEVELS {
        fit.warnings.push(FitWarning::FewLevels { levels: levels.len() });
    }
    for (param, value) in [(Param::Sigma, sigma), (Param::Kappa, kappa)] {
        for bound in [0.0, 1.0] {
            if (value - bound).abs() <= ON_BOUND {
                fit.warnings.push(FitWarning::OnBound { param, bound });
            }
        }
    }
    if lambda <= 0.0 {
        fit.warnings.push(FitWarning::OnBound { param: Param::Lambda, bound: 0.0 });
    }
    if !settled {
        fit.warnings.push(FitWarning::NotConverged { iterations });
    }
    fit
}

/// Rejects what no fit can use, naming the first bad point (1-based).
fn validate(points: &[(f64, f64)]) -> Result<(), FitError> {
    if points.len() < 3 {
        return Err(FitError::TooFewPoints { got: points.len() });
    }
    for (i, &(n, x)) in points.iter().enumerate() {
        for (coordinate, value) in [(Coordinate::Concurrency, n), (Coordinate::Throughput, x)] {
            if !(value > 0.0 && value.is_finite()) {
                return Err(FitError::BadPoint { index: i + 1, coordinate, value });
            }
        }
    }
    let n0 = points[0].0;
    if points.iter().all(|p| p.0 == n0) {
        return Err(FitError::OneConcurrency { n: n0 });
    }
    Ok(())
}

/// The model at `n` and its partial derivatives by λ, σ, κ (non-finite ones as 0).
fn model(n: f64, [lambda, sigma, kappa]: [f64; 3]) -> (f64, [f64; 3]) {
    let d = 1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0);
    let f = lambda * n / d;
    let share = (n - 1.0) / d;
    let grad = [n / d, -f * share, -f * n * share].map(|g| if g.is_finite() { g } else { 0.0 });
    (f, grad)
}

/// Σ (y − f(n))² over the points.
fn sum_of_squares(data: &[(f64, f64)], p: [f64; 3]) -> f64 {
    data.iter().map(|&(n, y)| (y - model(n, p).0).powi(2)).sum()
}

/// `JᵀJ` and `Jᵀr` (r = y − f) at `p`.
fn normal_equations(data: &[(f64, f64)], p: [f64; 3]) -> ([[f64; 3]; 3], [f64; 3]) {
    let (mut jtj, mut jtr) = ([[0.0; 3]; 3], [0.0; 3]);
    for &(n, y) in data {
        let (f, g) = model(n, p);
        for i in 0..3 {
            jtr[i] += g[i] * (y - f);
            for j in 0..3 {
                jtj[i][j] += g[i] * g[j];
            }
        }
    }
    (jtj, jtr)
}

/// Which parameters may move: not one on a bound whose descent direction leaves the box.
fn free_parameters([lambda, sigma, kappa]: [f64; 3], jtr: [f64; 3]) -> [bool; 3] {
    let stays = |v: f64, g: f64, upper: f64| !((v <= 0.0 && g < 0.0) || (v >= upper && g > 0.0));
    [stays(lambda, jtr[0], f64::INFINITY), stays(sigma, jtr[1], 1.0), stays(kappa, jtr[2], 1.0)]
}

/// Marquardt's step: `(JᵀJ + μ·diag(JᵀJ)) δ = Jᵀr` over the free parameters.
fn damped_step(jtj: &[[f64; 3]; 3], jtr: &[f64; 3], free: [bool; 3], damping: f64) -> Option<[f64; 3]> {
    let mut a = *jtj;
    let mut b = *jtr;
    for i in 0..3 {
        if free[i] {
            a[i][i] += damping * jtj[i][i].max(f64::MIN_POSITIVE);
        } else {
            // Held: its row and column become the identity's, its step 0.
            for (j, row) in a.iter_mut().enumerate() {
                row[i] = if i == j { 1.0 } else { 0.0 };
            }
            a[i] = [0.0; 3];
            a[i][i] = 1.0;
            b[i] = 0.0;
        }
    }
    let inv = invert(&a)?;
    let step = [0, 1, 2].map(|i| (0..3).map(|j| inv[i][j] * b[j]).sum::<f64>());
    step.iter().all(|s| s.is_finite()).then_some(step)
}

/// Clamps λ to ≥ 0 and σ, κ to [0, 1].
fn project([lambda, sigma, kappa]: [f64; 3]) -> [f64; 3] {
    [lambda.max(0.0), sigma.clamp(0.0, 1.0), kappa.clamp(0.0, 1.0)]
}

/// The inverse of a symmetric positive semi-definite 3×3 matrix, none when it is singular
/// to working precision. Scaled to a unit diagonal first: the columns of J differ by
/// orders of magnitude (∂/∂κ grows like N³).
fn invert(a: &[[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let d = [0, 1, 2].map(|i| a[i][i].sqrt());
    if d.iter().any(|&v| !(v > 0.0 && v.is_finite())) {
        return None;
    }
    let m = [0, 1, 2].map(|i| [0, 1, 2].map(|j| a[i][j] / (d[i] * d[j])));
    let cof = |i: usize, j: usize| {
        let (r0, r1) = ((i + 1) % 3, (i + 2) % 3);
        let (c0, c1) = ((j + 1) % 3, (j + 2) % 3);
        m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0]
    };
    let det = (0..3).map(|j| m[0][j] * cof(0, j)).sum::<f64>();
    if !(det.abs() > 1e-13) {
        return None;
    }
    let inv = [0, 1, 2].map(|i| [0, 1, 2].map(|j| cof(j, i) / det / (d[i] * d[j])));
    inv.iter().flatten().all(|v| v.is_finite()).then_some(inv)
}

#[cfg(test)]
#[path = "usl_fit_tests.rs"]
mod tests;
