//! The M/M/c queue: Erlang B and C by a stable recurrence, the mean wait, the
//! Allen–Cunneen correction for service-time variability, and the response-time
//! distribution with its percentiles.

use crate::model::Within;

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
    (b / (1.0 - rho * (1.0 - b))).within(0.0, 1.0)
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

/// CDF of the response time (wait + service) at `t_ms`: service `Exp(μ)`, `μ =
/// 1/service_ms`, and a wait that is 0 with probability `1 − P(wait)` and else `Exp(θ)`.
/// The convolution of the two exponentials is `1 − e^{-μt} − μe^{-μt}(1 − e^{-(θ−μ)t})/(θ−μ)`;
/// it is computed as `1 − S(t)` from [`Survival`], which stays finite when the wait is
/// far slower than the service (`e^{(μ−θ)t}` alone overflows there), and needs no special
/// branch for `θ = μ` (the Erlang-2 case `1 − e^{-μt}(1 + μt)`).
// Source: Kleinrock (1975) §3.5 (M/M/c waiting-time distribution) convolved with the
// exponential service; Gross & Harris §2.3, eq. (2.43).
pub fn response_cdf(t_ms: f64, service_ms: f64, wait: &Wait) -> f64 {
    if !(t_ms > 0.0) {
        return 0.0;
    }
    (-Survival::of(service_ms, wait).log_survival(t_ms).0.exp_m1()).within(0.0, 1.0)
}

/// The `q`-quantile (0 < q < 1) of the response time, ms: the root of
/// `ln(1 − F(t)) = ln(1 − q)` for [`response_cdf`]'s `F`, by Newton's method inside a
/// bracket, to 1e-12 relative (not a wait percentile added to a mean). The survival
/// `1 − F` is a sum of exponentials, so its logarithm is nearly a straight line in `t`:
/// from the quantile of its slowest term, Newton's method takes a few steps.
// Source: the distribution of [`response_cdf`] ([`Survival`]).
pub fn response_percentile(q: f64, service_ms: f64, wait: &Wait) -> f64 {
    percentile_steps(q, service_ms, wait).0
}

/// [`response_percentile`] and the number of times it evaluated `ln S`. Newton's step is
/// taken whenever it stays in the bracket, ends included, and a step that lands on the
/// root exactly (`h = 0`) ends the search: a root taken as the bracket's end, with the
/// next step landing on it refused, would hand the search to bisection from half of it
/// (12 evaluations a quantile on average instead of 3, tested below).
fn percentile_steps(q: f64, service_ms: f64, wait: &Wait) -> (f64, u32) {
    let q = q.within(1e-12, 1.0 - 1e-12);
    if !(service_ms > 0.0) || !service_ms.is_finite() {
        return (0.0, 0);
    }
    let s = Survival::of(service_ms, wait);
    let target = (-q).ln_1p(); // ln(1 − q) < 0
    if s.k == 0.0 {
        return (-target / s.mu, 0); // the service alone: an exponential
    }
    // h(t) = ln S(t) − ln(1 − q) falls from −ln(1 − q) > 0 at t = 0; the root is in [lo, hi].
    let (mut lo, mut hi) = (0.0_f64, f64::INFINITY);
    let mut t = s.start(target);
    for step in 1..=200 {
        let (ln_s, slope) = s.log_survival(t);
        let h = ln_s - target;
        if h == 0.0 {
            return (t, step);
        } else if h > 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let newton = t - h / slope;
        let next = if slope < 0.0 && newton >= lo && newton <= hi {
            newton
        } else if hi.is_finite() {
            0.5 * (lo + hi)
        } else {
            2.0 * t.max(service_ms)
        };
        if (next - t).abs() <= 1e-12 * t || (hi.is_finite() && hi - lo <= 1e-12 * hi) {
            return (next, step);
        }
        t = next;
    }
    (t, 200)
}

/// The survival of the response time, `S(t) = 1 − F(t) = e^{-μt}(1 + k·r(t))` with
/// `k = P(wait)·μ` and `r(t) = (1 − e^{-dt})/d`, `d = θ − μ`: the convolution of
/// [`response_cdf`] rearranged, as `(1−P)e^{-μt} + P(e^{-μt} + μe^{-μt} r(t))`.
struct Survival {
    mu: f64,
    k: f64,
    d: f64,
}

impl Survival {
    /// The response time's survival for a service of mean `service_ms` and `wait`
    /// (`k = 0`: no wait, the service's exponential alone).
    fn of(service_ms: f64, wait: &Wait) -> Survival {
        let mu = 1.0 / service_ms.max(f64::MIN_POSITIVE);
        let p = wait.p_wait.within(0.0, 1.0);
        if p == 0.0 || !wait.rate_per_ms.is_finite() {
            return Survival { mu, k: 0.0, d: 0.0 };
        }
        Survival { mu, k: p * mu, d: wait.rate_per_ms.max(f64::MIN_POSITIVE) - mu }
    }

    /// `ln S(t)` and its derivative. For `d < 0` (the wait slower than the service) the
    /// growing `e^{|d|t}` is taken out of the logarithm, so nothing overflows.
    fn log_survival(&self, t: f64) -> (f64, f64) {
        let Survival { mu, k, d } = *self;
        if d >= 0.0 {
            let r = expm1_ratio(d, t);
            (-mu * t + (k * r).ln_1p(), -mu + k * (-d * t).exp() / (1.0 + k * r))
        } else {
            // With g = −d: 1 + k·r = e^{gt}·(e^{-gt} + k(1 − e^{-gt})/g), and
            // r'(t) = e^{gt}, so (ln(1 + k·r))' = k/(e^{-gt} + k(1 − e^{-gt})/g).
            let g = -d;
            let inner = (d * t).exp() - k * (d * t).exp_m1() / g;
            (-mu * t + g * t + inner.ln(), -mu + k / inner)
        }
    }

    /// Where Newton's method starts: the quantile of the slower of the survival's two
    /// exponential terms alone (for large `t`, `S` is that term).
    fn start(&self, target: f64) -> f64 {
        let Survival { mu, k, d } = *self;
        let t = if d > 0.0 {
            ((k / d).ln_1p() - target) / mu
        } else if d < 0.0 {
            ((k / -d).ln() - target) / (mu + d)
        } else {
            -target / mu
        };
        if t.is_finite() && t > 0.0 { t } else { -target / mu }
    }
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

    /// Density of [`response_cdf`] (the reference solver's Newton steps), `(1−P)·μe^{-μt} + P·μθ e^{-μt}(1 − e^{-(θ−μ)t})/(θ−μ)`,
    /// as `−S'(t) = −S(t)·(ln S)'(t)`.
    // Source: derivative of [`response_cdf`] (convolution of two exponentials).
    fn response_pdf(t_ms: f64, service_ms: f64, wait: &Wait) -> f64 {
        if !(t_ms >= 0.0) {
            return 0.0;
        }
        let (ln_s, slope) = Survival::of(service_ms, wait).log_survival(t_ms);
        (ln_s.exp() * -slope).max(0.0)
    }

    /// The quantile by Newton's method on the CDF itself, kept in a bisection bracket, to
    /// 1e-13 relative: slower (ten to thirty steps), and a reference for the solver above.
    fn percentile_on_the_cdf(q: f64, service_ms: f64, wait: &Wait) -> f64 {
        let mut hi = service_ms + wait.mean_ms();
        while response_cdf(hi, service_ms, wait) < q {
            hi *= 2.0;
        }
        let (mut lo, mut t) = (0.0, 0.5 * hi);
        for _ in 0..2000 {
            let f = response_cdf(t, service_ms, wait) - q;
            if f < 0.0 {
                lo = t;
            } else {
                hi = t;
            }
            let density = response_pdf(t, service_ms, wait);
            let newton = t - f / density;
            let next = if density > 0.0 && newton > lo && newton < hi { newton } else { 0.5 * (lo + hi) };
            if (next - t).abs() <= 1e-13 * t || hi - lo <= 1e-13 * hi {
                return next;
            }
            t = next;
        }
        t
    }

    /// The convolution as the textbook writes it, `1 − e^{-μt} − Pμe^{-μt}(1 − e^{-(θ−μ)t})/(θ−μ)`
    /// (it overflows when `(μ − θ)t` passes about 709).
    fn textbook_cdf(t: f64, service_ms: f64, wait: &Wait) -> f64 {
        let (mu, theta, p) = (1.0 / service_ms, wait.rate_per_ms, wait.p_wait);
        let d = theta - mu;
        let r = if (d * t).abs() < 1e-12 { t } else { -(-d * t).exp_m1() / d };
        1.0 - (-mu * t).exp() - p * mu * (-mu * t).exp() * r
    }

    #[test]
    fn the_survival_is_the_textbook_convolution_and_stays_finite_where_it_overflows() {
        let mut rng = crate::model::rng::Rng(0xC0_FFEE);
        for _ in 0..20_000 {
            let service_ms = rng.log(1e-2, 1e4);
            let wait = Wait { p_wait: rng.unit(), rate_per_ms: rng.log(1e-3, 1e3) / service_ms };
            let t = rng.log(1e-3, 1e3) * service_ms;
            let textbook = textbook_cdf(t, service_ms, &wait);
            if textbook.is_finite() {
                let ours = response_cdf(t, service_ms, &wait);
                assert!((ours - textbook).abs() < 1e-9, "t {t} service {service_ms} {wait:?}: {ours} against {textbook}");
            }
        }
        // A wait a thousand times slower than the service: the textbook form overflows
        // (e^{999}); the survival is the wait's exponential term, P·μ/(μ − θ)·e^{-θt}.
        let wait = Wait { p_wait: 0.9, rate_per_ms: 1e-3 * 0.01 };
        let t = 1e5;
        assert!(textbook_cdf(t, 100.0, &wait).is_nan());
        let tail = 0.9 * 0.01 / (0.01 - 1e-5) * (-1e-5 * t).exp();
        assert!(((1.0 - response_cdf(t, 100.0, &wait)) / tail - 1.0).abs() < 1e-9);
        assert!(response_pdf(t, 100.0, &wait) > 0.0);
        let p99 = response_percentile(0.99, 100.0, &wait);
        assert!((p99 - (0.9_f64 * 0.01 / (0.01 - 1e-5) / 0.01).ln() / 1e-5).abs() < 1e-6 * p99, "{p99}");
    }

    #[test]
    fn percentiles_on_the_log_survival_equal_those_on_the_cdf_in_a_few_steps() {
        let mut rng = crate::model::rng::Rng(0x0051_1e57);
        let mut worst: f64 = 0.0;
        let (mut steps, mut count, mut most) = (0, 0, 0);
        for i in 0..20_000 {
            let service_ms = rng.log(1e-3, 1e5);
            let mu = 1.0 / service_ms;
            // The wait's rate from far below to far above the service's, and exactly it.
            let theta = match i % 5 {
                0 => mu,
                1 => mu * (1.0 + 1e-9 * (2.0 * rng.unit() - 1.0)),
                _ => mu * rng.log(1e-3, 1e3),
            };
            let p_wait = if i % 7 == 0 { 1.0 } else { rng.unit() };
            let wait = Wait { p_wait, rate_per_ms: theta };
            for q in [0.5, 0.95, 0.99, 0.01 + 0.989 * rng.unit()] {
                let ((fast, n), slow) = (percentile_steps(q, service_ms, &wait), percentile_on_the_cdf(q, service_ms, &wait));
                (steps, count, most) = (steps + n, count + 1, most.max(n));
                let rel = (fast - slow).abs() / slow;
                worst = worst.max(rel);
                assert!(rel < 1e-9, "q {q} service {service_ms} {wait:?}: {fast} against {slow}");
            }
            // R = S + W exceeds t at least as often as S or W alone does, so its quantile is
            // at least each one's: ln(1/(1−q))/μ and ln(P/(1−q))/θ. A wait up to a million
            // times slower than the service (a node near saturation).
            let slow_wait = Wait { p_wait, rate_per_ms: mu * rng.log(1e-6, 1.0) };
            for q in [0.5, 0.95, 0.99] {
                let t = response_percentile(q, service_ms, &slow_wait);
                let bound = (1.0 / (1.0 - q)).ln() / mu;
                let bound = bound.max((p_wait / (1.0 - q)).ln() / slow_wait.rate_per_ms);
                assert!(t.is_finite() && t >= bound * (1.0 - 1e-9), "q {q} service {service_ms} {slow_wait:?}: {t} below {bound}");
            }
        }
        assert!(worst < 1e-9, "{worst}");
        // From the start at the slowest term's quantile, Newton's method on the nearly
        // straight ln S converges in a few steps.
        let mean = f64::from(steps) / f64::from(count);
        assert!(mean < 4.0 && most <= 12, "mean {mean} steps, at most {most}");
        // No wait, or a wait that never ends: the service's exponential alone.
        for wait in [Wait::NONE, Wait { p_wait: 0.5, rate_per_ms: f64::INFINITY }] {
            assert!((response_percentile(0.95, 100.0, &wait) - 100.0 * 20f64.ln()).abs() < 1e-9);
        }
        assert_eq!(response_percentile(0.95, 0.0, &Wait::NONE), 0.0);
        assert_eq!(response_percentile(0.95, f64::NAN, &Wait::NONE), 0.0);
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
