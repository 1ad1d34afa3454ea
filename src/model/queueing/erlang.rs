//! The M/M/c queue: Erlang B and C by a stable recurrence, the mean wait, the
//! Allen–Cunneen correction for service-time variability, and the response-time
//! distribution with its percentiles.

/// Below this value the Erlang B recurrence has converged to "no blocking" for our purposes
/// (it only falls from there on); the absolute error of stopping early is below it.
const ERLANG_B_FLOOR: f64 = 1e-30;

/// Erlang B blocking probability `B(c, a)` of `servers` servers offered `offered` erlangs,
/// by the recurrence `B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1))`: no factorials, no
/// overflow, each step a convex combination (stable for any `c`).
///
/// For large `a` the recurrence starts at `k₀ = a − 10√a` from the fluid value
/// `1 − k₀/a`: each later step damps an error of the start by `k/a`, together by
/// `e^{-50}`; it stops once `k > a` and `B < 1e-30` (B only falls after that), and it
/// answers 0 at once when a Chernoff bound puts `B` below 1e-30.
// Source: Erlang B recurrence, e.g. Kleinrock, *Queueing Systems* vol. 1 (1975) §3.7,
// and its stability: Jagerman, "Some properties of the Erlang loss function", BSTJ 53 (1974).
pub fn erlang_b(servers: u64, offered: f64) -> f64 {
    if servers == 0 {
        return 1.0;
    }
    if !(offered > 0.0) {
        return 0.0;
    }
    let a = offered;
    let c = servers as f64;
    // Far above the load B is negligible: for c ≥ a + 1, P(X ≤ c) ≥ 1/2 for X ~ Poisson(a)
    // and c! ≥ (c/e)^c, so B = P(X = c)/P(X ≤ c) ≤ 2·exp(c − a − c·ln(c/a)).
    if c >= a + 1.0 && std::f64::consts::LN_2 + (c - a) - c * (c / a).ln() < ERLANG_B_FLOOR.ln() {
        return 0.0;
    }
    let mut k = 0.0_f64;
    let mut b = 1.0_f64;
    if a > 1000.0 {
        let k0 = (c.min(a) - 10.0 * a.sqrt()).floor();
        if k0 > 0.0 {
            k = k0;
            b = 1.0 - k0 / a;
        }
    }
    while k < c {
        k += 1.0;
        b = a * b / (k + a * b);
        if k > a && b < ERLANG_B_FLOOR {
            break;
        }
    }
    b
}

/// Erlang C, the probability that an arrival waits in an M/M/c queue,
/// `C = B / (1 − ρ(1 − B))` with `ρ = a/c`; 1 when `a ≥ c` (the queue never empties).
// Source: Kleinrock (1975) §3.5, eq. (3.40), written through Erlang B as in
// Gross & Harris, *Fundamentals of Queueing Theory*, §2.3.
pub fn erlang_c(servers: u64, offered: f64) -> f64 {
    if servers == 0 || offered >= servers as f64 {
        return 1.0;
    }
    if !(offered > 0.0) {
        return 0.0;
    }
    let b = erlang_b(servers, offered);
    let rho = offered / servers as f64;
    (b / (1.0 - rho * (1.0 - b))).clamp(0.0, 1.0)
}

/// The wait of an M/M/c (or, scaled, G/G/c) queue: the probability of waiting, and the
/// conditional wait, exponential with rate `rate_per_ms`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wait {
    /// Probability that a request waits at all.
    pub p_wait: f64,
    /// Rate of the exponential wait of those that wait, per ms (`cμ − λ` for M/M/c).
    pub rate_per_ms: f64,
}

impl Wait {
    /// No wait at all.
    pub const NONE: Wait = Wait { p_wait: 0.0, rate_per_ms: f64::INFINITY };

    /// Mean wait over all requests, ms: `P(wait) / rate`.
    pub fn mean_ms(&self) -> f64 {
        if self.p_wait > 0.0 && self.rate_per_ms.is_finite() && self.rate_per_ms > 0.0 {
            self.p_wait / self.rate_per_ms
        } else {
            0.0
        }
    }
}

/// The M/M/c wait for `servers` servers, arrivals at `rate_per_ms`, mean service
/// `service_ms`: `P(wait) = C(c, λS)` and the conditional wait `Exp(c/S − λ)`, so the
/// mean wait is `C·S/(c − λS)`. None when `λS ≥ c` (unstable).
// Source: Kleinrock (1975) §3.5, eqs. (3.40)–(3.42); Gross & Harris §2.3.
pub fn mmc_wait(servers: u64, rate_per_ms: f64, service_ms: f64) -> Option<Wait> {
    let c = servers as f64;
    let a = rate_per_ms * service_ms;
    if !(a > 0.0) {
        return Some(Wait::NONE);
    }
    if servers == 0 || !(a < c) {
        return None;
    }
    Some(Wait { p_wait: erlang_c(servers, a), rate_per_ms: c / service_ms - rate_per_ms })
}

/// Allen–Cunneen factor `(c_a² + c_s²)/2` with Poisson arrivals (`c_a = 1`): `(1 + cv²)/2`.
// Source: Allen, *Probability, Statistics and Queueing Theory* (2nd ed. 1990), §6.5,
// eq. (6.46) (the Allen–Cunneen approximation for G/G/c).
pub fn allen_cunneen(cv: f64) -> f64 {
    let cv = if cv.is_finite() { cv.max(0.0) } else { 1.0 };
    (1.0 + cv * cv) / 2.0
}

/// The G/G/c wait by Allen–Cunneen: the M/M/c wait with its conditional mean scaled by
/// `(1 + cv²)/2` (the probability of waiting and the exponential shape are kept).
// Source: Allen (1990) §6.5; the shape is an assumption documented in PLANNER.md §3.
pub fn ggc_wait(servers: u64, rate_per_ms: f64, service_ms: f64, cv: f64) -> Option<Wait> {
    let w = mmc_wait(servers, rate_per_ms, service_ms)?;
    Some(Wait { p_wait: w.p_wait, rate_per_ms: w.rate_per_ms / allen_cunneen(cv) })
}

/// `∫₀ᵗ e^{-d s} ds = (1 − e^{-d t})/d`, stable for `d → 0` and negative `d`.
fn expm1_ratio(d: f64, t: f64) -> f64 {
    let x = d * t;
    if x.abs() < 1e-12 {
        t
    } else {
        -(-x).exp_m1() / d
    }
}

/// CDF of the response time (wait + service) at `t_ms`: service `Exp(1/service_ms)`,
/// wait 0 with probability `1 − P(wait)` and else `Exp(θ)`. The convolution of the two
/// exponentials is `1 − e^{-μt} − μ e^{-μt}(1 − e^{-(θ−μ)t})/(θ−μ)`, written so that
/// `θ = μ` (the Erlang-2 case `1 − e^{-μt}(1 + μt)`) needs no special branch.
// Source: Kleinrock (1975) §3.5 (M/M/c waiting-time distribution) convolved with the
// exponential service; Gross & Harris §2.3, eq. (2.43).
pub fn response_cdf(t_ms: f64, service_ms: f64, wait: &Wait) -> f64 {
    if !(t_ms > 0.0) {
        return 0.0;
    }
    let mu = 1.0 / service_ms.max(f64::MIN_POSITIVE);
    let served = -(-mu * t_ms).exp_m1(); // 1 − e^{-μt}
    let p = wait.p_wait.clamp(0.0, 1.0);
    if p == 0.0 || !wait.rate_per_ms.is_finite() {
        return served;
    }
    let theta = wait.rate_per_ms.max(f64::MIN_POSITIVE);
    let both = served - mu * (-mu * t_ms).exp() * expm1_ratio(theta - mu, t_ms);
    ((1.0 - p) * served + p * both).clamp(0.0, 1.0)
}

/// The `q`-quantile (0 < q < 1) of the response time, ms, solved from [`response_cdf`]
/// by Newton's method inside a bisection bracket, to 1e-10 relative (not a wait
/// percentile added to a mean).
// Source: the distribution of [`response_cdf`] and its density [`response_pdf`].
pub fn response_percentile(q: f64, service_ms: f64, wait: &Wait) -> f64 {
    let q = q.clamp(1e-12, 1.0 - 1e-12);
    if !(service_ms > 0.0) || !service_ms.is_finite() {
        return 0.0;
    }
    let mut hi = service_ms + wait.mean_ms();
    let mut doublings = 0;
    while response_cdf(hi, service_ms, wait) < q && doublings < 2000 {
        hi *= 2.0;
        doublings += 1;
    }
    if !hi.is_finite() {
        return f64::MAX;
    }
    // Newton on the CDF, kept inside the bracket [lo, hi] by bisection.
    let (mut lo, mut t) = (0.0, 0.5 * hi);
    for _ in 0..200 {
        let (cdf, density) = response_cdf_and_pdf(t, service_ms, wait);
        let f = cdf - q;
        if f < 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let newton = t - f / density;
        let next = if density > 0.0 && newton > lo && newton < hi { newton } else { 0.5 * (lo + hi) };
        if (next - t).abs() <= 1e-10 * t || hi - lo <= 1e-10 * hi {
            return next;
        }
        t = next;
    }
    t
}

/// [`response_cdf`] and [`response_pdf`] at `t_ms > 0` at once, by the same formulas:
/// they share `e^{-μt}` and the convolution's `(1 − e^{-(θ−μ)t})/(θ−μ)`, so Newton's
/// method needs three exponentials per step instead of five.
fn response_cdf_and_pdf(t_ms: f64, service_ms: f64, wait: &Wait) -> (f64, f64) {
    if !(t_ms > 0.0) {
        return (response_cdf(t_ms, service_ms, wait), response_pdf(t_ms, service_ms, wait));
    }
    let mu = 1.0 / service_ms.max(f64::MIN_POSITIVE);
    let served_cdf = -(-mu * t_ms).exp_m1(); // 1 − e^{-μt}
    let served_pdf = mu * (-mu * t_ms).exp(); // μe^{-μt}
    let p = wait.p_wait.clamp(0.0, 1.0);
    if p == 0.0 || !wait.rate_per_ms.is_finite() {
        return (served_cdf, served_pdf);
    }
    let theta = wait.rate_per_ms.max(f64::MIN_POSITIVE);
    let ratio = expm1_ratio(theta - mu, t_ms);
    let cdf = ((1.0 - p) * served_cdf + p * (served_cdf - served_pdf * ratio)).clamp(0.0, 1.0);
    let pdf = (1.0 - p) * served_pdf + p * (served_pdf * theta * ratio);
    (cdf, pdf)
}

/// Density of [`response_cdf`]: `(1−P)·μe^{-μt} + P·μθ e^{-μt}(1 − e^{-(θ−μ)t})/(θ−μ)`.
// Source: derivative of [`response_cdf`] (convolution of two exponentials).
pub fn response_pdf(t_ms: f64, service_ms: f64, wait: &Wait) -> f64 {
    if !(t_ms >= 0.0) {
        return 0.0;
    }
    let mu = 1.0 / service_ms.max(f64::MIN_POSITIVE);
    let served = mu * (-mu * t_ms).exp();
    let p = wait.p_wait.clamp(0.0, 1.0);
    if p == 0.0 || !wait.rate_per_ms.is_finite() {
        return served;
    }
    let theta = wait.rate_per_ms.max(f64::MIN_POSITIVE);
    let both = served * theta * expm1_ratio(theta - mu, t_ms);
    (1.0 - p) * served + p * both
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Erlang B by the textbook sum, for small c.
    fn erlang_b_by_sum(c: u64, a: f64) -> f64 {
        let mut term = 1.0;
        let mut sum = 1.0;
        for k in 1..=c {
            term *= a / k as f64;
            sum += term;
        }
        term / sum
    }

    #[test]
    fn erlang_b_recurrence_matches_the_sum_and_is_stable_for_a_million_servers() {
        for &(c, a) in &[(1, 0.5), (10, 8.0), (30, 25.0), (100, 120.0)] {
            assert!((erlang_b(c, a) - erlang_b_by_sum(c, a)).abs() < 1e-12, "{c} {a}");
        }
        // 10^6 servers: the full recurrence against the shortcut start.
        let a = 999_000.0;
        let full = {
            let mut b = 1.0;
            for k in 1..=1_000_000u64 {
                b = a * b / (k as f64 + a * b);
            }
            b
        };
        let fast = erlang_b(1_000_000, a);
        assert!(fast.is_finite() && (fast - full).abs() < 1e-12 * full.max(1e-300) + 1e-30, "{fast} {full}");
        assert!(erlang_c(1_000_000, a) > 0.0 && erlang_c(1_000_000, a) < 1.0);
        assert!(erlang_c(u64::MAX / 2, 1e9) < 1e-20);
    }

    #[test]
    fn the_cdf_and_density_together_are_each_alone_to_the_bit() {
        let waits = [Wait::NONE, Wait { p_wait: 0.3, rate_per_ms: 0.05 }, Wait { p_wait: 0.9, rate_per_ms: 0.1 }, Wait { p_wait: 1.0, rate_per_ms: 2.0 }];
        for wait in &waits {
            for service_ms in [1e-3, 0.5, 10.0, 20.0, 600_000.0] {
                for t_ms in [-1.0, 0.0, 1e-9, 0.3, 10.0, 19.99, 20.0, 1e4, 1e9, f64::NAN] {
                    let (cdf, pdf) = response_cdf_and_pdf(t_ms, service_ms, wait);
                    assert_eq!(cdf.to_bits(), response_cdf(t_ms, service_ms, wait).to_bits(), "{t_ms} {service_ms} {wait:?}");
                    assert_eq!(pdf.to_bits(), response_pdf(t_ms, service_ms, wait).to_bits(), "{t_ms} {service_ms} {wait:?}");
                }
            }
        }
    }

    #[test]
    fn erlang_c_recurrence_matches_reference() {
        // 80 r/s, mean service 100 ms, 10 servers: a = 8 erlangs.
        let c = erlang_c(10, 8.0);
        assert!((c - 0.409).abs() < 0.0005, "{c}");
        let w = mmc_wait(10, 0.080, 100.0).unwrap();
        assert!((100.0 + w.mean_ms() - 120.5).abs() < 0.05, "{}", w.mean_ms());
        assert_eq!(erlang_c(4, 4.0), 1.0);
        assert!(mmc_wait(4, 0.05, 100.0).is_none());
    }

    #[test]
    fn mmc_response_percentiles_come_from_the_distribution() {
        let w = mmc_wait(10, 0.080, 100.0).unwrap();
        let p = |q| response_percentile(q, 100.0, &w);
        assert!((p(0.50) - 91.2).abs() < 0.1, "p50 {}", p(0.50));
        assert!((p(0.95) - 332.8).abs() < 0.1, "p95 {}", p(0.95));
        assert!((p(0.99) - 494.6).abs() < 0.1, "p99 {}", p(0.99));
    }

    #[test]
    fn response_cdf_handles_a_wait_rate_equal_to_the_service_rate() {
        // θ = cμ − λ = μ: the convolution is Erlang-2, 1 − e^{-μt}(1 + μt).
        let w = Wait { p_wait: 1.0, rate_per_ms: 0.01 };
        for t in [1.0_f64, 50.0, 100.0, 400.0] {
            let erlang2 = 1.0 - (-0.01 * t).exp() * (1.0 + 0.01 * t);
            assert!((response_cdf(t, 100.0, &w) - erlang2).abs() < 1e-12, "{t}");
            let near = Wait { p_wait: 1.0, rate_per_ms: 0.01 * (1.0 + 1e-9) };
            assert!((response_cdf(t, 100.0, &near) - erlang2).abs() < 1e-9);
        }
    }

    #[test]
    fn allen_cunneen_scales_the_mean_wait_by_one_plus_cv_squared_over_two() {
        let m = mmc_wait(10, 0.08, 100.0).unwrap();
        let g = ggc_wait(10, 0.08, 100.0, 2.0).unwrap();
        assert!((g.mean_ms() / m.mean_ms() - 2.5).abs() < 1e-12);
        assert_eq!(allen_cunneen(1.0), 1.0);
        assert_eq!(allen_cunneen(0.0), 0.5);
    }
}
