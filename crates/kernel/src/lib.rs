//! The one loop the planner's page spends most of an edit in: exact MVA's step of a
//! multi-server station's marginal probabilities (`planner::model::queueing::mva`), a
//! crate of its own so that the web build, made for size (`opt-level = "z"`, which keeps
//! loops rolled and bounds checks in), builds it for speed (Cargo.toml's
//! `[profile.web.package.planner-kernel]`). Measured in Chromium on the page's mix edits
//! (docs/performance.md): MVA's step 1.42 ms an edit at "z", 0.84 with this crate at
//! level 3 (0.79 with the whole app at level 3, for about 65 KB gzip more).
//! Pure arithmetic in a fixed order: the same bits at every optimisation level.

/// One population step of a station's marginal probabilities: `next[0] = p0` and
/// `next[j] = x·inv[j]·p[j−1]` for 1 ≤ j < `len` (`len` ≤ `p.len() + 1` and ≤ `inv.len()`
/// but at least 1), then the top entries below `trim` dropped (the first kept); returns
/// `Σ next[i]·excess[i]`, the residence-time correction of the next step.
// Source: Reiser & Lavenberg (1980), the marginal-probability recursion
// p(j|n) = X(n)·D/α(j)·p(j−1|n−1); the planner's mva.rs says more.
// Eight plain arguments, not a struct: the one call site passes a station's vectors as they
// are, and the step stays a leaf that LTO cannot fold into its size-built caller.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
pub fn advance(p: &[f64], inv: &[f64], excess: &[f64], x: f64, p0: f64, len: usize, trim: f64, next: &mut Vec<f64>) -> f64 {
    let len = len.max(1).min(p.len() + 1).min(inv.len().max(1));
    next.clear();
    next.reserve(len);
    next.push(p0);
    next.extend(inv[1..len].iter().zip(&p[..len - 1]).map(|(inv, p)| x * inv * p));
    while next.len() > 1 && next.last().is_some_and(|&v| v < trim) {
        next.pop();
    }
    dot(next, excess)
}

/// `Σ a[i]·b[i]` over the shorter of the two, in four interleaved sums: one running sum is
/// a chain of dependent additions, and it was most of a step's time (a station with
/// dozens of servers sums dozens of marginals each step).
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut sums = [0.0; 4];
    for (x, y) in a.chunks_exact(4).zip(b.chunks_exact(4)) {
        for k in 0..4 {
            sums[k] += x[k] * y[k];
        }
    }
    let tail: f64 = a[n / 4 * 4..].iter().zip(&b[n / 4 * 4..]).map(|(x, y)| x * y).sum();
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_shifts_the_marginals_up_scaled_by_the_rates_and_trims_the_tail() {
        let mut next = Vec::new();
        let corr = advance(&[0.5, 0.25, 1e-30], &[0.0, 2.0, 4.0, 8.0], &[1.0, 10.0, 100.0, 1000.0], 0.5, 0.3, 4, 1e-20, &mut next);
        // next = [0.3, 0.5·2·0.5, 0.5·4·0.25, 0.5·8·1e-30 (trimmed)]
        assert_eq!(next, vec![0.3, 0.5, 0.5]);
        assert_eq!(corr, 0.3 + 5.0 + 50.0);
        // At least the idle probability is kept; a length past the vectors is cut to them.
        let corr = advance(&[1.0], &[0.0], &[2.0], 1.0, 1e-40, 9, 1e-20, &mut next);
        assert_eq!((next.clone(), corr), (vec![1e-40], 2e-40));
    }

    #[test]
    fn the_dot_product_sums_every_pair_of_the_shorter() {
        let a: Vec<f64> = (1..=11).map(f64::from).collect();
        let b = vec![1.0; 9];
        assert_eq!(dot(&a, &b), 45.0);
        assert_eq!(dot(&[], &b), 0.0);
    }
}
