//! Random times of a given mean and coefficient of variation: deterministic, gamma,
//! exponential or two-phase hyperexponential, as the cv asks.

use crate::model::rng::Rng;

/// A time of mean `mean_ms` and coefficient of variation `cv`: `cv = 0` the mean itself;
/// `0 < cv < 1` gamma of shape `1/cv²` (Erlang when that is whole); `cv = 1` exponential;
/// `cv > 1` hyperexponential H2 with balanced means. A mean of 0 (or less) gives 0.
// Source: the two-moment fits of Whitt, "Approximating a point process by a renewal
// process, I: two basic methods", Oper. Res. 30 (1982), §3 (gamma below cv 1, H2 with
// balanced means above it).
pub fn draw(rng: &mut Rng, mean_ms: f64, cv: f64) -> f64 {
    if !(mean_ms > 0.0) {
        0.0
    } else if !(cv > 0.0) {
        mean_ms
    } else if cv < 1.0 {
        let shape = 1.0 / (cv * cv);
        gamma(rng, shape) * mean_ms / shape
    } else if cv == 1.0 {
        exponential(rng) * mean_ms
    } else {
        hyperexponential(rng, mean_ms, cv)
    }
}

/// Exp(1): `−ln(1 − U)`, with `1 − U` in (0, 1] so the log is finite.
fn exponential(rng: &mut Rng) -> f64 {
    -(1.0 - rng.unit()).ln()
}

/// N(0, 1) by Box–Muller (the cosine half).
// Source: Box & Muller, "A note on the generation of random normal deviates", Ann. Math.
// Stat. 29 (1958).
fn normal(rng: &mut Rng) -> f64 {
    let r = (2.0 * exponential(rng)).sqrt();
    r * (std::f64::consts::TAU * rng.unit()).cos()
}

/// Gamma(shape, 1) for `shape ≥ 1`, by squeeze and rejection.
// Source: Marsaglia & Tsang, "A simple method for generating gamma variables", ACM TOMS 26
// (2000), §4 (the algorithm as printed, with the squeeze `1 − 0.0331 x⁴`).
fn gamma(rng: &mut Rng, shape: f64) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = rng.unit();
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

/// H2 with balanced means (`p₁/μ₁ = p₂/μ₂`): `p₁ = (1 + √((cv²−1)/(cv²+1)))/2`,
/// `μᵢ = 2pᵢ/mean`, which matches the mean and the cv.
// Source: Whitt (1982), eq. (3.7); Allen (1990), §6.5.
fn hyperexponential(rng: &mut Rng, mean_ms: f64, cv: f64) -> f64 {
    let cv2 = cv * cv;
    let p1 = (1.0 + ((cv2 - 1.0) / (cv2 + 1.0)).sqrt()) / 2.0;
    let p = if rng.unit() < p1 { p1 } else { 1.0 - p1 };
    exponential(rng) * mean_ms / (2.0 * p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mean and cv of `n` draws.
    fn moments(mean_ms: f64, cv: f64, n: usize) -> (f64, f64) {
        let mut rng = Rng(0x5EED_1234_ABCD_0001);
        let xs: Vec<f64> = (0..n).map(|_| draw(&mut rng, mean_ms, cv)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64;
        (m, var.sqrt() / m)
    }

    #[test]
    fn every_family_draws_the_mean_and_cv_it_is_asked_for() {
        for cv in [0.25, 0.5, 0.8, 1.0, 1.5, 3.0] {
            let (mean, got_cv) = moments(4.0, cv, 200_000);
            // Tolerances: the standard errors grow with the cv (H2 at cv 3 has heavy tails).
            let tol = 0.005 + 0.01 * cv * cv;
            assert!((mean / 4.0 - 1.0).abs() < tol, "cv {cv}: mean {mean}");
            assert!((got_cv / cv - 1.0).abs() < 2.0 * tol, "cv {cv}: cv {got_cv}");
        }
    }

    #[test]
    fn a_zero_cv_is_the_mean_and_a_zero_mean_is_zero() {
        let mut rng = Rng(7);
        assert_eq!(draw(&mut rng, 3.5, 0.0), 3.5);
        assert_eq!(draw(&mut rng, 0.0, 1.0), 0.0);
        assert_eq!(draw(&mut rng, 0.0, 0.0), 0.0);
    }
}
