use super::*;

fn mean_var(s: &Shape) -> (f64, f64) {
    let [m1, m2, _] = s.moments();
    (m1, m2 - m1 * m1)
}

/// Every fit keeps the mean and the variance it was given, from constant to very variable.
#[test]
fn a_fit_keeps_both_moments() {
    for &m in &[0.3, 4.0, 250.0] {
        for &c2 in &[0.0, 0.001, 1.0 / 40.0, 1.0 / 32.0, 0.05, 0.2, 0.3, 0.5, 0.999, 1.0, 1.5, 4.0, 25.0] {
            let (fm, fv) = mean_var(&Shape::fit(m, c2 * m * m));
            assert!((fm - m).abs() <= 1e-9 * m, "{m} {c2}: mean {fm}");
            assert!((fv - c2 * m * m).abs() <= 1e-7 * m * m, "{m} {c2}: var {fv}");
        }
    }
}

/// The quantiles of shapes with closed forms: the exponential `−m ln(1 − q)`, a constant,
/// the shifted exponential `m − sd − sd·ln(1 − q)`, and a balanced hyperexponential's survival.
#[test]
fn quantiles_of_known_shapes() {
    for &q in &[0.5, 0.95, 0.99] {
        let e = Shape::fit(10.0, 100.0).quantile(q);
        assert!((e + 10.0 * (1.0 - q).ln()).abs() < 1e-6, "{q}: {e}");
        assert!((Shape::constant(7.0).quantile(q) - 7.0).abs() < 1e-6);
        let sd = 50f64.sqrt();
        let t = Shape::fit(10.0, 50.0).quantile(q);
        assert!((t - (10.0 - sd - sd * (1.0 - q).ln())).abs() < 1e-6, "{q}: {t}");
        let h = Shape::fit(10.0, 400.0); // c² = 4
        let t = h.quantile(q);
        assert!((h.survival(t).0 - (1.0 - q)).abs() < 1e-9);
    }
}

/// An exponential with a wait is the M/M/c response time `response_cdf` computes,
/// whichever of the two is slower; the density is the survival's slope; the moments add.
#[test]
fn a_wait_adds_as_the_mmc_response_does() {
    for &(mean, p, wait) in &[(10.0, 0.3, 4.0), (10.0, 0.9, 40.0), (5.0, 0.5, 5.0), (2.0, 1.0, 0.5)] {
        let shape = Shape::fit(mean, mean * mean).with_wait(p, wait);
        let w = crate::model::queueing::Wait { p_wait: p, rate_per_ms: 1.0 / wait };
        for &t in &[0.1, 1.0, 7.0, 30.0, 200.0] {
            let (s, f) = shape.survival(t);
            let cdf = super::super::response_cdf(t, mean, &w);
            assert!((1.0 - s - cdf).abs() < 1e-12, "{mean} {p} {wait} at {t}: {s} vs {cdf}");
            let h = 1e-6 * t;
            let slope = (shape.survival(t - h).0 - shape.survival(t + h).0) / (2.0 * h);
            assert!((slope - f).abs() < 1e-6 * f.max(1e-3), "{t}: {slope} vs {f}");
        }
        let [m1, m2, _] = shape.moments();
        let (em, ev) = (mean + p * wait, mean * mean + p * (2.0 - p) * wait * wait);
        assert!((m1 - em).abs() < 1e-9 && (m2 - m1 * m1 - ev).abs() < 1e-6, "{m1} {m2}");
    }
}

/// A mixture's quantile: its survival there is 1 − q; a point mass among its parts is
/// found exactly when q falls on it.
#[test]
fn a_mixture_quantile_solves_its_survival() {
    let mix = [(0.9, Shape::fit(10.0, 30.0)), (0.1, Shape::fit(60.0, 60.0 * 60.0 * 2.0))];
    for &q in &[0.5, 0.9, 0.95, 0.99, 0.999] {
        let t = quantile(q, &mix);
        let s: f64 = mix.iter().map(|&(w, sh)| w * sh.survival(t).0).sum();
        assert!((s - (1.0 - q)).abs() < 1e-8, "{q}: {t} {s}");
    }
    let steps = [(0.5, Shape::constant(5.0)), (0.5, Shape::constant(9.0))];
    assert!((quantile(0.25, &steps) - 5.0).abs() < 1e-6);
    assert!((quantile(0.75, &steps) - 9.0).abs() < 1e-6);
}

/// Waits add: the mean of the sum is the sum of the means; a wait more likely or longer
/// never makes the sum shorter anywhere; past MAX_WAITS terms they merge, keeping the mean.
#[test]
fn waits_add_and_only_grow() {
    let base = Waits::NONE.add(0.3, 5.0).add(0.05, 200.0);
    assert!((base.mean_ms() - (1.5 + 10.0)).abs() < 1e-12);
    assert!((base.total() - (1.0 - 0.7 * 0.95)).abs() < 1e-12);
    let work = Shape::fit(10.0, 30.0);
    for more in [Waits::NONE.add(0.4, 5.0).add(0.05, 200.0), Waits::NONE.add(0.3, 5.0).add(0.05, 260.0), base.add(0.01, 1.0)] {
        for &t in &[1.0, 10.0, 20.0, 50.0, 200.0, 1000.0] {
            assert!(work.with_waits(more).survival(t).0 >= work.with_waits(base).survival(t).0 - 1e-15, "{t}");
        }
    }
    let mut many = Waits::NONE;
    let mut mean = 0.0;
    for i in 1..=9 {
        many = many.add(0.1 * f64::from(i) / 10.0, 3.0 * f64::from(i));
        mean += 0.1 * f64::from(i) / 10.0 * 3.0 * f64::from(i);
    }
    assert!(many.terms().len() <= MAX_WAITS && (many.mean_ms() - mean).abs() < 1e-9 * mean);
}

/// The sort [`Waits::add`] replaced: every term without and with the wait, listed in that
/// order ("no wait yet" last), sorted stably by mean, then kept as `add` keeps its merge's
/// (`Waits::push`): the test is of the order, the one thing the merge changed.
fn add_by_sort(w: Waits, p: f64, mean_ms: f64) -> Waits {
    let p = p.within(0.0, 1.0);
    if p == 0.0 || !(mean_ms > 0.0) || !mean_ms.is_finite() {
        return w;
    }
    let none = 1.0 - w.total();
    let mut all = vec![];
    for &(wt, m) in w.terms().iter().chain(std::iter::once(&(none, 0.0))) {
        all.extend([(wt * (1.0 - p), m), (wt * p, m + mean_ms)]);
    }
    all.sort_by(|x, y| x.1.total_cmp(&y.1));
    let mut out = Waits::NONE;
    all.into_iter().for_each(|(w, m)| out.push(w, m));
    out
}

/// Merging the terms with and without the wait gives the sort's terms to the bit, over
/// 20,000 random sums of up to twelve waits: means over twelve orders of magnitude, waits
/// whose mean equals a term's, or is lost beside it in rounding, or is the gap between two
/// terms' means (so a term with the wait ties one without it), chances down to 1e-13 and up
/// to 1. (A tie of two terms alone sums the same in either order, so only a misplaced term,
/// not a tie's order, fails this: the tie rule follows the sort for three or more.)
#[test]
fn merged_waits_are_the_sorted_ones_to_the_bit() {
    let mut r = crate::model::rng::Rng(0x5EED_0004);
    let mut ties = 0;
    for case in 0..20_000 {
        let (mut merged, mut sorted) = (Waits::NONE, Waits::NONE);
        for _ in 0..1 + (r.unit() * 12.0) as usize {
            let terms = merged.terms();
            let pick = |u: f64| terms[((u * terms.len() as f64) as usize).min(terms.len() - 1)].1;
            let mean = match (r.unit() * 6.0) as u32 {
                0 if !terms.is_empty() => {
                    ties += 1;
                    pick(r.unit())
                }
                1 if !terms.is_empty() => pick(r.unit()) * 1e-17,
                2 if terms.len() > 1 => (pick(r.unit()) - pick(r.unit())).abs(),
                _ => 10f64.powf(12.0 * r.unit() - 6.0),
            };
            let p = match (r.unit() * 4.0) as u32 {
                0 => 1.0,
                1 => 1e-13 * r.unit() * 10.0,
                _ => r.unit(),
            };
            merged = merged.add(p, mean);
            sorted = add_by_sort(sorted, p, mean);
            let bits = |w: &Waits| w.terms().iter().map(|t| (t.0.to_bits(), t.1.to_bits())).collect::<Vec<_>>();
            assert_eq!(bits(&merged), bits(&sorted), "case {case}: add({p}, {mean})");
        }
    }
    assert!(ties > 1000, "{ties} ties");
}

/// An exponential phase (rate μ) after an exponential wait (rate θ): the survival is
/// `(θe^(−μx) − μe^(−θx))/(θ − μ)`, and `x·μ·e^(−μx) + e^(−μx)` where θ = μ, on both sides
/// of the switches between the difference of exponentials and expm1 (d·x at 1e-3 and
/// 1e-12), and its density is the survival's slope.
#[test]
fn the_survival_of_a_phase_after_a_wait_on_both_sides_of_its_switches() {
    let mu = 0.2;
    for &dx in &[0.0, 1e-14, 1e-9, 5e-4, 0.999e-3, 1.001e-3, 0.01, 1.0, 20.0] {
        for &x in &[0.5, 5.0, 40.0] {
            for sign in [1.0, -1.0] {
                let theta = mu + sign * dx / x;
                if theta <= 0.0 {
                    continue;
                }
                let s = Shape { shift: 0.0, phases: [(1.0, mu), (0.0, f64::INFINITY)], waits: Waits::NONE.add(1.0, 1.0 / theta) };
                let exact = if (theta - mu).abs() * x < 1e-7 {
                    (-mu * x).exp() * (1.0 + mu * x)
                } else {
                    (theta * (-mu * x).exp() - mu * (-theta * x).exp()) / (theta - mu)
                };
                let (got, density) = s.survival(x);
                assert!((got - exact).abs() <= 1e-9 * exact, "θ {theta} x {x}: {got} against {exact}");
                let h = 1e-5 * x;
                let slope = (s.survival(x - h).0 - s.survival(x + h).0) / (2.0 * h);
                assert!((density - slope).abs() <= 1e-5 * slope.abs().max(1e-12), "θ {theta} x {x}: density {density} against {slope}");
            }
        }
    }
}

#[test]
fn each_percentile_leaves_its_share_above_it_to_1e_8_of_it() {
    // The solver stops on a step under 1e-6 of t; what it returns is far closer than that
    // (the worst of these 6,000 is 3.6e-9 of the share).
    let mut r = crate::model::rng::Rng(0x5EED_0003);
    for i in 0..2_000 {
        let n = 1 + r.below(4);
        let mix: Vec<(f64, Shape)> = (0..n)
            .map(|_| {
                let m = 0.1 + 200.0 * r.unit();
                let cv = 0.05 + 3.0 * r.unit();
                let waits = Waits::NONE.add(0.7 * r.unit(), 500.0 * r.unit() + 0.01).add(0.3 * r.unit(), 5.0);
                (r.unit() + 0.01, Shape::fit(m, (cv * m).powi(2)).with_waits(waits))
            })
            .collect();
        let total: f64 = mix.iter().map(|c| c.0).sum();
        let above = |t: f64| mix.iter().map(|&(w, s)| w / total * s.survival(t).0).sum::<f64>();
        for (k, q) in [0.50, 0.95, 0.99].into_iter().enumerate() {
            let t = p50_p95_p99(&mix)[k];
            let off = (above(t) - (1.0 - q)).abs() / (1.0 - q);
            assert!(off <= 1e-8, "mixture {i}, q {q}: {} above {t}", above(t));
            assert_eq!(t, quantile(q, &mix), "mixture {i}, q {q}");
        }
    }
}

