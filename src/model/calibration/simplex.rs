//! Nelder–Mead's downhill simplex: a minimum of a function of a few variables without its
//! derivatives, for the calibration's least squares, whose model (a fixed point of
//! Little's law through the queueing model) has no closed-form gradient.
// Source: Nelder & Mead, "A simplex method for function minimization", Computer Journal
// 7(4), 1965; the coefficients 1, 2, ½, ½ as in Press et al., Numerical Recipes (3rd ed.)
// §10.5, and Lagarias et al., SIAM J. Optim. 9(1), 1998.

/// The point of least `f` found from `start` with initial steps `step` along each axis,
/// after at most `max_evals` evaluations or once the simplex's values agree to `tol`
/// (absolute). A non-finite value counts as worse than any finite one.
pub fn minimise(f: &mut dyn FnMut(&[f64]) -> f64, start: &[f64], step: &[f64], tol: f64, max_evals: usize) -> (Vec<f64>, f64) {
    let n = start.len();
    let value = |f: &mut dyn FnMut(&[f64]) -> f64, x: &[f64]| {
        let v = f(x);
        if v.is_finite() {
            v
        } else {
            f64::MAX
        }
    };
    let mut pts: Vec<Vec<f64>> = (0..=n)
        .map(|i| {
            let mut p = start.to_vec();
            if i > 0 {
                p[i - 1] += step.get(i - 1).copied().unwrap_or(1.0);
            }
            p
        })
        .collect();
    let mut vals: Vec<f64> = pts.iter().map(|p| value(f, p)).collect();
    let mut evals = n + 1;
    while evals < max_evals {
        // Order: best first, worst last.
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by(|&a, &b| vals[a].total_cmp(&vals[b]));
        pts = order.iter().map(|&i| pts[i].clone()).collect();
        vals = order.iter().map(|&i| vals[i]).collect();
        if (vals[n] - vals[0]).abs() <= tol {
            break;
        }
        let centroid: Vec<f64> = (0..n).map(|j| pts[..n].iter().map(|p| p[j]).sum::<f64>() / n as f64).collect();
        let along = |t: f64| -> Vec<f64> { (0..n).map(|j| centroid[j] + t * (pts[n][j] - centroid[j])).collect() };
        let reflected = along(-1.0);
        let fr = value(f, &reflected);
        evals += 1;
        if fr < vals[0] {
            let expanded = along(-2.0);
            let fe = value(f, &expanded);
            evals += 1;
            (pts[n], vals[n]) = if fe < fr { (expanded, fe) } else { (reflected, fr) };
        } else if fr < vals[n - 1] {
            (pts[n], vals[n]) = (reflected, fr);
        } else {
            let contracted = if fr < vals[n] { along(-0.5) } else { along(0.5) };
            let fc = value(f, &contracted);
            evals += 1;
            if fc < vals[n].min(fr) {
                (pts[n], vals[n]) = (contracted, fc);
            } else {
                // Shrink towards the best point.
                for i in 1..=n {
                    let p: Vec<f64> = (0..n).map(|j| pts[0][j] + 0.5 * (pts[i][j] - pts[0][j])).collect();
                    vals[i] = value(f, &p);
                    pts[i] = p;
                }
                evals += n;
            }
        }
    }
    let best = (0..=n).min_by(|&a, &b| vals[a].total_cmp(&vals[b])).unwrap_or(0);
    (pts[best].clone(), vals[best])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simplex_finds_the_rosenbrock_valleys_minimum() {
        let mut rosen = |x: &[f64]| 100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2);
        let (x, v) = minimise(&mut rosen, &[-1.2, 1.0], &[0.5, 0.5], 1e-14, 5_000);
        assert!((x[0] - 1.0).abs() < 1e-3 && (x[1] - 1.0).abs() < 1e-3 && v < 1e-6, "{x:?} {v}");
    }

    #[test]
    fn a_non_finite_value_is_worse_than_any_finite_one() {
        let mut f = |x: &[f64]| if x[0] < 0.0 { f64::NAN } else { (x[0] - 2.0).powi(2) };
        let (x, _) = minimise(&mut f, &[0.5], &[-1.0], 1e-12, 500);
        assert!((x[0] - 2.0).abs() < 1e-4, "{x:?}");
    }
}
