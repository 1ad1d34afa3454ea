//! The shape of a time known by its mean and variance (PLANNER.md §3 "Latency per class"):
//! a two-moment fit (a shifted exponential up to a coefficient of variation of 1, the
//! hyperexponential above), plus waits that may not happen; mixtures of such shapes, and
//! their quantiles.

use crate::model::Within;

/// Most terms a sum of waits keeps ([`Waits`]).
pub const MAX_WAITS: usize = 8;

/// The sum of independent waits, each 0 or else exponential: a mixture of "no wait" and
/// exponentials, one per set of waits met, each of the sum of their means (the sum of
/// exponentials taken as one exponential of the same mean: more spread than the true
/// sum, never less). Every term grows when a wait's chance or mean does, so the sum never
/// shrinks as a queue grows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Waits {
    /// `(weight, mean ms)`; the weight not in them is the chance of no wait.
    terms: [(f64, f64); MAX_WAITS],
    len: usize,
}

impl Waits {
    pub const NONE: Waits = Waits { terms: [(0.0, 0.0); MAX_WAITS], len: 0 };

    /// These waits and one more, met with chance `p`, then exponential of mean `mean_ms`.
    /// Terms below a chance of 1e-12 are dropped; past [`MAX_WAITS`] the two of closest
    /// means are merged (their weights added, their means averaged by weight).
    ///
    /// The terms without the new wait keep their means, those with it add `mean_ms`: two runs
    /// already in order (the terms are kept by mean), merged in one pass rather than sorted
    /// (2 % of the latency chart's instructions). On a tie the order is the stable sort's of
    /// the terms listed as before (each term without, then with the wait; "no wait yet" with
    /// it last), so each sum of weights is added in the same order, to the bit.
    pub fn add(self, p: f64, mean_ms: f64) -> Waits {
        let p = p.within(0.0, 1.0);
        if p == 0.0 || !(mean_ms > 0.0) || !mean_ms.is_finite() {
            return self;
        }
        let terms = &self.terms[..self.len];
        let n = terms.len();
        let none = 1.0 - self.total();
        // Run A: each term without the wait; run B: each with it, then "no wait yet" with it
        // (placed after the terms whose sum rounds to `mean_ms` alone). Each keeps where the
        // sort's list had it, for ties: term i without at 2i, with at 2i + 1, "no wait yet" last.
        // Both runs are read from the terms as the merge goes, not written out first.
        let first = terms.iter().take_while(|t| t.1 + mean_ms <= mean_ms).count();
        let b_run = |k: usize| match k.cmp(&first) {
            std::cmp::Ordering::Less => (terms[k].0 * p, terms[k].1 + mean_ms, 2 * k + 1),
            std::cmp::Ordering::Equal => (none * p, mean_ms, usize::MAX),
            std::cmp::Ordering::Greater => (terms[k - 1].0 * p, terms[k - 1].1 + mean_ms, 2 * k - 1),
        };
        let mut out = Waits::NONE;
        let (mut a, mut b) = (0, 0);
        let mut next_b = b_run(0);
        while a < n || b <= n {
            let (w, m) = if b <= n && (a == n || (next_b.1, next_b.2) < (terms[a].1, 2 * a)) {
                let (w, m, _) = next_b;
                b += 1;
                if b <= n {
                    next_b = b_run(b);
                }
                (w, m)
            } else {
                a += 1;
                (terms[a - 1].0 * (1.0 - p), terms[a - 1].1)
            };
            out.push(w, m);
        }
        out
    }

    /// One more term `(w, m)`, its mean at least the last's: dropped below a chance of
    /// 1e-12, added to the last within 1e-9 of its mean, else kept (the two closest merged
    /// first when [`MAX_WAITS`] are kept).
    fn push(&mut self, w: f64, m: f64) {
        if !(w > 1e-12 && m > 0.0) {
            return;
        }
        if self.len > 0 && (m - self.terms[self.len - 1].1) <= 1e-9 * m {
            self.terms[self.len - 1].0 += w;
        } else {
            if self.len == MAX_WAITS {
                self.merge_closest();
            }
            self.terms[self.len] = (w, m);
            self.len += 1;
        }
    }

    fn merge_closest(&mut self) {
        // The first pair of the smallest relative gap (each gap found once: `min_by` found
        // two per comparison).
        let gap = |k: usize| (self.terms[k + 1].1 - self.terms[k].1) / self.terms[k + 1].1;
        let (mut i, mut best) = (0, gap(0));
        for k in 1..self.len - 1 {
            let g = gap(k);
            if g.total_cmp(&best).is_lt() {
                (i, best) = (k, g);
            }
        }
        let ((w1, m1), (w2, m2)) = (self.terms[i], self.terms[i + 1]);
        self.terms[i] = (w1 + w2, (w1 * m1 + w2 * m2) / (w1 + w2));
        self.terms.copy_within(i + 2..self.len, i + 1);
        self.len -= 1;
    }

    /// The chance of any wait.
    pub fn total(&self) -> f64 {
        self.terms[..self.len].iter().map(|t| t.0).sum::<f64>().within(0.0, 1.0)
    }

    /// The mean of the sum, ms.
    pub fn mean_ms(&self) -> f64 {
        self.terms[..self.len].iter().map(|t| t.0 * t.1).sum()
    }

    /// The terms `(weight, mean ms)`.
    pub fn terms(&self) -> &[(f64, f64)] {
        &self.terms[..self.len]
    }
}

/// `shift + X + W`: X a mixture of at most two exponential phases `(weight, rate per ms)`
/// (an infinite rate: no phase, a point mass at `shift`), and W independent [`Waits`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    shift: f64,
    phases: [(f64, f64); 2],
    waits: Waits,
}

impl Shape {
    /// A point mass at `t_ms`.
    pub fn constant(t_ms: f64) -> Shape {
        Shape { shift: t_ms.max(0.0), phases: [(1.0, f64::INFINITY), (0.0, f64::INFINITY)], waits: Waits::NONE }
    }

    /// The shape with mean `mean_ms` and variance `var` (ms²), squared coefficient of
    /// variation `c² = var/mean²`: up to 1, an exponential shifted right (the shift
    /// `mean − √var` is the part every request takes); above 1, the hyperexponential of two
    /// phases with balanced means. Each is a two-moment fit whose sum with exponential
    /// waits has a closed form ([`Self::with_waits`]).
    // Source: Tijms, *A First Course in Stochastic Models* (2003), §A.2 (H2 with balanced
    // means for c² ≥ 1); the shifted exponential matches two moments for c² ≤ 1 with an
    // exponential tail.
    pub fn fit(mean_ms: f64, var: f64) -> Shape {
        let m = if mean_ms.is_finite() { mean_ms.max(0.0) } else { 0.0 };
        let v = if var.is_finite() { var.max(0.0) } else { 0.0 };
        let sd = v.sqrt();
        if m <= 0.0 || sd <= 0.0 {
            return Shape::constant(m);
        }
        if sd <= m {
            return Shape { shift: m - sd, phases: [(1.0, 1.0 / sd), (0.0, f64::INFINITY)], waits: Waits::NONE };
        }
        let c2 = v / (m * m);
        let p1 = 0.5 * (1.0 + ((c2 - 1.0) / (c2 + 1.0)).sqrt());
        Shape { shift: 0.0, phases: [(p1, 2.0 * p1 / m), (1.0 - p1, 2.0 * (1.0 - p1) / m)], waits: Waits::NONE }
    }

    /// This shape `d` ms later (d ≥ 0): every quantile moves by `d`.
    pub fn shifted(self, d: f64) -> Shape {
        Shape { shift: self.shift + if d > 0.0 { d } else { 0.0 }, ..self }
    }

    /// This shape plus `waits`.
    pub fn with_waits(self, waits: Waits) -> Shape {
        Shape { waits, ..self }
    }

    /// This shape plus one wait met with chance `p`, then exponential of mean `mean_ms`.
    pub fn with_wait(self, p: f64, mean_ms: f64) -> Shape {
        self.with_waits(Waits::NONE.add(p, mean_ms))
    }

    /// `P(T > t)` and the density at `t`: over each phase `Exp(μ)` and each wait term
    /// `Exp(θ)` of weight ω, `ω·S` with `S = e^{-μx} + μ·e^{-min(μ,θ)x}·(1 − e^{-|θ−μ|x})/|θ−μ|`
    /// (no overflow, no cancellation as θ → μ) and density `μS − μe^{-θx}` ([`Ready`]).
    // Source: the convolution of two exponentials (Kleinrock 1975 §3.5; Gross & Harris
    // §2.3, eq. (2.43)), as in [`super::response_cdf`].
    pub fn survival(&self, t_ms: f64) -> (f64, f64) {
        Ready::of(self, 1.0).survival(t_ms)
    }

    /// The first three raw moments `E[T], E[T²], E[T³]`.
    pub fn moments(&self) -> [f64; 3] {
        let raw = |terms: &mut dyn Iterator<Item = (f64, f64)>| {
            terms.fold([0.0; 3], |acc, (w, m)| [acc[0] + w * m, acc[1] + w * 2.0 * m * m, acc[2] + w * 6.0 * m * m * m])
        };
        let x = raw(&mut self.phases.iter().filter(|p| p.0 > 0.0 && p.1.is_finite()).map(|&(w, mu)| (w, 1.0 / mu)));
        let w = raw(&mut self.waits.terms().iter().copied());
        let y = [x[0] + w[0], x[1] + 2.0 * x[0] * w[0] + w[1], x[2] + 3.0 * x[1] * w[0] + 3.0 * x[0] * w[1] + w[2]];
        let a = self.shift;
        [a + y[0], a * a + 2.0 * a * y[0] + y[1], a * a * a + 3.0 * a * a * y[0] + 3.0 * a * y[1] + y[2]]
    }

    /// The `q`-quantile, ms.
    pub fn quantile(&self, q: f64) -> f64 {
        quantile(q, &[(1.0, *self)])
    }

    /// p50, p95 and p99, ms ([`p50_p95_p99`]).
    pub fn p50_p95_p99(&self) -> [f64; 3] {
        p50_p95_p99(&[(1.0, *self)])
    }
}

/// The `q`-quantile (0 < q < 1) of the mixture `Σ wᵢ·shapeᵢ` (weights summing to 1), ms.
pub fn quantile(q: f64, mix: &[(f64, Shape)]) -> f64 {
    Mixture::of(mix).map_or(0.0, |m| m.solve(q))
}

/// p50, p95 and p99 of the mixture, ms. Each solve starts on its own ([`Mixture::solve`]):
/// starting p95 from p50 and p99 from p95 took more steps (6.99 survival sums per
/// percentile against 6.14 on the default plan's latency curve, from the mean).
pub fn p50_p95_p99(mix: &[(f64, Shape)]) -> [f64; 3] {
    let Some(m) = Mixture::of(mix) else { return [0.0; 3] };
    [0.50, 0.95, 0.99].map(|q| m.solve(q))
}

/// A mixture with its weights summing to 1, and its mean.
struct Mixture {
    /// Each part ready for its survival, weighted.
    ready: Vec<Ready>,
    mean: f64,
    sd: f64,
}

impl Mixture {
    /// None when no weight is positive.
    fn of(mix: &[(f64, Shape)]) -> Option<Mixture> {
        let total: f64 = mix.iter().map(|c| c.0.max(0.0)).sum();
        let [mean, second] = mix.iter().fold([0.0; 2], |[m1, m2], &(w, sh)| {
            let [a, b, _] = sh.moments();
            let w = w.max(0.0) / total;
            [m1 + w * a, m2 + w * b]
        });
        let sd = (second - mean * mean).max(0.0).sqrt();
        let ready = mix.iter().map(|&(w, sh)| Ready::of(&sh, w.max(0.0) / total)).collect();
        (total > 0.0).then_some(Mixture { ready, mean, sd })
    }

    /// `P(T > t)` and the density at `t`.
    fn survival(&self, t: f64) -> (f64, f64) {
        self.ready.iter().fold((0.0, 0.0), |(s, f), r| {
            let (a, b) = r.survival(t);
            (s + r.weight * a, f + r.weight * b)
        })
    }

    /// The root of `ln S(t) = ln(1 − q)` by Newton's method (exact in one step on an
    /// exponential tail, which every shape's is), inside a bracket,
    /// bisecting where a step leaves it (a point mass makes `S` jump). It stops once a Newton
    /// step is under 1e-6 of `t` and under 1 % of the step before (so converging quadratically,
    /// and the point it returns closer than that: within 1e-8 of `1 − q` left above it over
    /// random mixtures), any step is under 1e-9 of `t`, or the bracket is. Found to 1e-6 of
    /// `t` or better: where the root sits where S's slope falls to 0 (the start of a slow
    /// class), Newton's steps only halve. It starts at the q-quantile of the shifted
    /// exponential with the mixture's mean and standard deviation, `max(m − σ, 0) − σ·ln(1 − q)`
    /// (the shape [`Shape::fit`] gives below a variation of 1): 2.5 survival sums per
    /// percentile on the default plan's latency curve and outcome (3.7 for cv = 2),
    /// against 3.75 (4.8) from the mean, and 8.3 for Newton on `S` itself from the middle of
    /// a doubled bracket.
    fn solve(&self, q: f64) -> f64 {
        let target = 1.0 - q.within(1e-9, 1.0 - 1e-9);
        let ln_target = target.ln();
        // [lo, hi] brackets the root: S(lo) > 1 − q ≥ S(hi); hi is unknown until a point is past it.
        let (mut lo, mut hi) = (0.0, f64::INFINITY);
        let mut t = ((self.mean - self.sd).max(0.0) + self.sd * -ln_target).max(1e-9);
        // The last Newton step; NaN when the last step was not Newton's.
        let mut last_step = f64::NAN;
        for _ in 0..200 {
            let (s, f) = self.survival(t);
            if s > target {
                lo = t;
            } else {
                hi = t;
            }
            // Newton's step, unless S is flat here (its elasticity f·t/S under 1e-6: a share of
            // requests far slower than the rest leaves S on a plateau near 1 − q, where the
            // step would follow rounding); then the bracket is halved or widened.
            let newton = if s > 0.0 && f * t >= 1e-6 * s { t + (s.ln() - ln_target) * s / f } else { f64::NAN };
            // Until a point past the root is known, no step more than quadruples `t` (a flat
            // stretch of `S` would send Newton far out).
            let stepped = newton > lo && newton < hi.min(4.0 * t);
            let next = if stepped {
                newton
            } else if hi.is_finite() {
                0.5 * (lo + hi)
            } else {
                4.0 * t
            };
            // A Newton step under 1e-6 of t and under 1% of the one before: converging
            // quadratically, so the point it reaches is far closer than that.
            let step = (next - t).abs();
            let quadratic = stepped && step <= 1e-6 * t && step <= 1e-2 * last_step;
            if quadratic || step <= 1e-9 * t.max(1e-9) || (hi.is_finite() && hi - lo <= 1e-9 * hi) || lo >= 1e12 {
                return next.min(1e12);
            }
            last_step = if stepped { step } else { f64::NAN };
            t = next;
        }
        t
    }
}

/// A shape ready for the many survival sums of a percentile's solve: what does not move
/// with `t` (each wait's rate `θ = 1/mean`, the chance of no wait, the shape's weight in its
/// mixture) worked out once. The same operations on the same numbers as before, so the
/// same bits.
#[derive(Debug, Clone, Copy)]
struct Ready {
    weight: f64,
    shift: f64,
    none: f64,
    phases: [(f64, f64); 2],
    /// `(weight, rate θ per ms)` of each wait term.
    waits: [(f64, f64); MAX_WAITS],
    len: usize,
}

impl Ready {
    fn of(shape: &Shape, weight: f64) -> Ready {
        let mut waits = [(0.0, 0.0); MAX_WAITS];
        let terms = shape.waits.terms();
        for (r, &(omega, mean)) in waits.iter_mut().zip(terms) {
            *r = (omega, 1.0 / mean);
        }
        Ready { weight, shift: shape.shift, none: 1.0 - shape.waits.total(), phases: shape.phases, waits, len: terms.len() }
    }

    /// [`Shape::survival`].
    fn survival(&self, t_ms: f64) -> (f64, f64) {
        let x = t_ms - self.shift;
        if x < 0.0 {
            return (1.0, 0.0);
        }
        let waits = &self.waits[..self.len];
        let none = self.none;
        let (mut s, mut f) = (0.0, 0.0);
        for &(w, mu) in &self.phases {
            if !(w > 0.0) {
                continue;
            }
            let e_mu = if mu.is_finite() { (-mu * x).exp() } else { 0.0 };
            if mu.is_finite() {
                s += w * none * e_mu;
                f += w * none * mu * e_mu;
            }
            for &(omega, theta) in waits {
                let et = (-theta * x).exp();
                let (ps, pf) = if !mu.is_finite() {
                    (et, theta * et)
                } else {
                    // e^(−min·x)·(1 − e^(−d·x))/d: the difference of the two exponentials
                    // already computed, or by expm1 where they nearly cancel.
                    let d = (theta - mu).abs();
                    let g = if d * x < 1e-12 {
                        x * e_mu
                    } else if d * x < 1e-3 {
                        -(-d * x).exp_m1() / d * if theta < mu { et } else { e_mu }
                    } else {
                        (e_mu - et).abs() / d
                    };
                    let sv = e_mu + mu * g;
                    (sv, mu * (sv - et))
                };
                s += w * omega * ps;
                f += w * omega * pf;
            }
        }
        (s.within(0.0, 1.0), f.max(0.0))
    }
}

#[cfg(test)]
#[path = "shape_tests.rs"]
mod tests;
