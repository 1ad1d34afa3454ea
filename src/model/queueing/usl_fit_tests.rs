//! Checks of the USL fit against the book's Cisco fit, exact and noisy synthetic sweeps, an
//! independent covariance computation, and every error and warning.

use super::*;

/// The Cisco benchmark of Schwartz, *Practical Scalability Analysis with the USL* (also the
/// reference data of codahale/usl4j and usl-rs), N = 1 … 32.
const CISCO: [f64; 32] = [
    955.16, 1878.91, 2688.01, 3548.68, 4315.54, 5130.43, 5931.37, 6531.08, 7219.8, 7867.61, 8278.71, 8646.7, 9047.84,
    9426.55, 9645.37, 9897.24, 10097.6, 10240.5, 10532.39, 10798.52, 11151.43, 11518.63, 11806.0, 12089.37, 12075.41,
    12177.29, 12211.41, 12158.93, 12155.27, 12118.04, 12140.4, 12074.39,
];
// The book's fit (R nls), as quoted by usl4j's and usl-rs's tests.
const BOOK_LAMBDA: f64 = 995.6486;
const BOOK_SIGMA: f64 = 0.02671591;
const BOOK_KAPPA: f64 = 7.690945e-4;

fn cisco() -> Vec<(f64, f64)> {
    CISCO.iter().enumerate().map(|(i, &x)| ((i + 1) as f64, x)).collect()
}

fn usl(n: f64, [lambda, sigma, kappa]: [f64; 3]) -> f64 {
    lambda * n / (1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0))
}

#[track_caller]
fn assert_rel(got: f64, want: f64, tol: f64) {
    let err = ((got - want) / want).abs();
    assert!(err <= tol, "got {got}, want {want}: relative error {err:e} > {tol:e}");
}

#[track_caller]
fn assert_finite(fit: &UslFit) {
    let opt = [fit.se_lambda, fit.se_sigma, fit.se_kappa, fit.n_max, fit.x_max, fit.residual_sd];
    for v in [fit.lambda, fit.sigma, fit.kappa].into_iter().chain(opt.into_iter().flatten()) {
        assert!(v.is_finite(), "{fit:?}");
    }
    assert!(fit.lambda >= 0.0 && (0.0..=1.0).contains(&fit.sigma) && (0.0..=1.0).contains(&fit.kappa), "{fit:?}");
}

#[test]
fn cisco_benchmark_fit_matches_the_book_to_a_tenth_of_a_percent() {
    let fit = fit(&cisco()).unwrap();
    assert_rel(fit.lambda, BOOK_LAMBDA, 1e-3);
    assert_rel(fit.sigma, BOOK_SIGMA, 1e-3);
    assert_rel(fit.kappa, BOOK_KAPPA, 1e-3);
    assert!(fit.warnings.is_empty(), "{:?}", fit.warnings);
    assert_eq!(fit.points, 32);
    assert!(fit.iterations < 50, "{} iterations", fit.iterations);
}

#[test]
fn cisco_peak_is_the_square_root_rule_of_the_book_figures() {
    let fit = fit(&cisco()).unwrap();
    let book_peak = ((1.0 - BOOK_SIGMA) / BOOK_KAPPA).sqrt();
    assert_rel(fit.n_max.unwrap(), book_peak, 1e-3);
    assert_eq!(fit.n_max.unwrap().floor(), 35.0);
    // The book's 12341 is X(35); the peak itself (N ≈ 35.6) is a few units higher.
    assert_rel(fit.x_max.unwrap(), 12341.0, 1e-3);
    assert_rel(fit.throughput(35.0), 12341.7454, 1e-3);
}

/// Standard errors of `(λ, σ, κ)` from a central-difference Jacobian of the fitted curve
/// and a Gauss–Jordan inverse: a computation sharing nothing with the fit's own.
fn finite_difference_standard_errors(points: &[(f64, f64)], p: [f64; 3]) -> [f64; 3] {
    let mut jtj = [[0.0; 3]; 3];
    let mut sse = 0.0;
    for &(n, x) in points {
        let mut g = [0.0; 3];
        for (k, gk) in g.iter_mut().enumerate() {
            let h = 1e-5 * p[k].abs();
            let (mut up, mut down) = (p, p);
            up[k] += h;
            down[k] -= h;
            *gk = (usl(n, up) - usl(n, down)) / (2.0 * h);
        }
        for i in 0..3 {
            for j in 0..3 {
                jtj[i][j] += g[i] * g[j];
            }
        }
        sse += (x - usl(n, p)).powi(2);
    }
    // Gauss–Jordan on [JᵀJ | I].
    let mut m: Vec<Vec<f64>> =
        (0..3).map(|i| (0..6).map(|j| if j < 3 { jtj[i][j] } else { (j - 3 == i) as u8 as f64 }).collect()).collect();
    for c in 0..3 {
        let pivot = (c..3).max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs())).unwrap();
        m.swap(c, pivot);
        let d = m[c][c];
        m[c].iter_mut().for_each(|v| *v /= d);
        for r in (0..3).filter(|&r| r != c) {
            let f = m[r][c];
            let row_c = m[c].clone();
            m[r].iter_mut().zip(row_c).for_each(|(v, w)| *v -= f * w);
        }
    }
    let s2 = sse / (points.len() - 3) as f64;
    [0, 1, 2].map(|i| (s2 * m[i][3 + i]).sqrt())
}

#[test]
fn cisco_standard_errors_are_the_covariance_of_an_independent_jacobian() {
    // No published standard errors for this data set were found (the R `usl` package ships
    // other data sets), so they are checked against a finite-difference computation.
    let fit = fit(&cisco()).unwrap();
    let want = finite_difference_standard_errors(&cisco(), [fit.lambda, fit.sigma, fit.kappa]);
    assert_rel(fit.se_lambda.unwrap(), want[0], 1e-5);
    assert_rel(fit.se_sigma.unwrap(), want[1], 1e-5);
    assert_rel(fit.se_kappa.unwrap(), want[2], 1e-5);
    let sse: f64 = cisco().iter().map(|&(n, x)| (x - fit.throughput(n)).powi(2)).sum();
    assert_rel(fit.residual_sd.unwrap(), (sse / 29.0).sqrt(), 1e-12);
}

#[test]
fn cisco_fit_is_a_least_squares_minimum() {
    let fit = fit(&cisco()).unwrap();
    let p = [fit.lambda, fit.sigma, fit.kappa];
    let sse = |p: [f64; 3]| cisco().iter().map(|&(n, x)| (x - usl(n, p)).powi(2)).sum::<f64>();
    for k in 0..3 {
        for sign in [-1.0, 1.0] {
            let mut q = p;
            q[k] *= 1.0 + sign * 1e-4;
            assert!(sse(q) > sse(p), "moving parameter {k} by {sign}e-4 lowers the sum of squares");
        }
    }
}

#[test]
fn exact_usl_data_is_recovered_to_a_millionth() {
    // (λ, σ, κ): contention-bound, linear, coherency only, contention only, strongly retrograde.
    let cases = [
        [1000.0, 0.05, 0.001],
        [250.0, 0.0, 0.0],
        [40.0, 0.0, 0.002],
        [12.5, 0.3, 0.0],
        [800.0, 0.1, 0.05],
        [3.0, 0.9, 0.2],
    ];
    for p in cases {
        let points: Vec<(f64, f64)> =
            [1.0, 2.0, 4.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0, 64.0].iter().map(|&n| (n, usl(n, p))).collect();
        let fit = fit(&points).unwrap();
        assert_rel(fit.lambda, p[0], 1e-6);
        assert!((fit.sigma - p[1]).abs() <= 1e-6, "σ {} for {p:?}", fit.sigma);
        assert!((fit.kappa - p[2]).abs() <= 1e-6 * p[2].max(1e-3), "κ {} for {p:?}", fit.kappa);
        assert!(fit.iterations < 200, "{p:?} took {}", fit.iterations);
        assert_eq!(fit.n_max.is_none(), p[2] == 0.0, "{p:?}");
    }
}

/// Deterministic pseudo-noise in [−1, 1): a 64-bit linear congruential generator.
fn noise(seed: &mut u64) -> f64 {
    *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (*seed >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

#[test]
fn noisy_data_recovers_the_parameters_roughly() {
    let p = [500.0, 0.04, 0.0005];
    let mut seed = 7;
    let points: Vec<(f64, f64)> =
        (1..=40).map(|n| n as f64).map(|n| (n, usl(n, p) * (1.0 + 0.02 * noise(&mut seed)))).collect();
    let fit = fit(&points).unwrap();
    assert_rel(fit.lambda, p[0], 0.03);
    assert!((fit.sigma - p[1]).abs() < 0.01, "σ {}", fit.sigma);
    assert!((fit.kappa - p[2]).abs() < 0.0002, "κ {}", fit.kappa);
    // The truth lies within a few standard errors.
    assert!((fit.sigma - p[1]).abs() < 4.0 * fit.se_sigma.unwrap());
    assert!((fit.kappa - p[2]).abs() < 4.0 * fit.se_kappa.unwrap());
}

#[test]
fn superlinear_data_holds_sigma_at_its_lower_bound() {
    // σ = −0.05 (better than linear) would fit exactly; the box keeps σ at 0.
    let points: Vec<(f64, f64)> = (1..=12).map(|n| n as f64).map(|n| (n, usl(n, [100.0, -0.05, 0.0005]))).collect();
    let fit = fit(&points).unwrap();
    assert_eq!(fit.sigma, 0.0);
    assert!((0.0..=1.0).contains(&fit.kappa));
    assert!(fit.warnings.contains(&FitWarning::OnBound { param: Param::Sigma, bound: 0.0 }), "{:?}", fit.warnings);
    assert_finite(&fit);
}

#[test]
fn kappa_at_zero_warns_and_predicts_no_peak() {
    let points: Vec<(f64, f64)> = (1..=10).map(|n| n as f64).map(|n| (n, usl(n, [10.0, 0.1, 0.0]))).collect();
    let fit = fit(&points).unwrap();
    assert_eq!((fit.n_max, fit.x_max), (None, None));
    let w = FitWarning::OnBound { param: Param::Kappa, bound: 0.0 };
    assert!(fit.warnings.contains(&w), "{:?}", fit.warnings);
    assert_eq!(w.to_string(), "κ sits on its bound 0: no coherency cost was measured, so no peak is predicted; its standard error means little");
}

#[test]
fn fewer_than_six_concurrency_levels_warn() {
    let points: Vec<(f64, f64)> =
        [1.0, 2.0, 4.0, 8.0, 8.0].iter().map(|&n| (n, usl(n, [100.0, 0.05, 0.001]))).collect();
    let fit = fit(&points).unwrap();
    assert_eq!(fit.warnings, vec![FitWarning::FewLevels { levels: 4 }]);
    assert_eq!(fit.warnings[0].to_string(), "6 or more concurrency levels make σ and κ trustworthy; this sweep has 4");
}

#[test]
fn three_points_fit_without_standard_errors() {
    let points: Vec<(f64, f64)> = [1.0, 4.0, 16.0].iter().map(|&n| (n, usl(n, [100.0, 0.05, 0.001]))).collect();
    let fit = fit(&points).unwrap();
    assert_rel(fit.sigma, 0.05, 1e-6);
    assert_eq!((fit.se_lambda, fit.se_sigma, fit.se_kappa, fit.residual_sd), (None, None, None, None));
}

#[test]
fn two_concurrency_levels_leave_the_covariance_singular() {
    let fit = fit(&[(1.0, 100.0), (8.0, 500.0), (8.0, 520.0), (1.0, 98.0)]).unwrap();
    assert_eq!((fit.se_lambda, fit.se_sigma, fit.se_kappa), (None, None, None));
    assert_finite(&fit);
}

#[test]
fn fewer_than_three_points_is_an_error() {
    let err = fit(&[(1.0, 10.0), (2.0, 19.0)]).unwrap_err();
    assert_eq!(err, FitError::TooFewPoints { got: 2 });
    assert_eq!(err.to_string(), "a scalability fit needs at least 3 (concurrency, throughput) points; got 2");
}

#[test]
fn a_bad_number_is_an_error_naming_its_point() {
    let good = [(1.0, 10.0), (2.0, 19.0), (4.0, 35.0)];
    let cases = [
        (1, (0.0, 10.0), "point 2: concurrency 0 is zero; it must be a positive number"),
        (2, (4.0, -3.0), "point 3: throughput -3 is negative; it must be a positive number"),
        (0, (f64::NAN, 10.0), "point 1: concurrency NaN is not a finite number; it must be a positive number"),
        (1, (2.0, f64::INFINITY), "point 2: throughput inf is not a finite number; it must be a positive number"),
    ];
    for (at, bad, message) in cases {
        let mut points = good;
        points[at] = bad;
        assert_eq!(fit(&points).unwrap_err().to_string(), message);
    }
}

#[test]
fn one_concurrency_level_is_an_error() {
    let err = fit(&[(8.0, 10.0), (8.0, 11.0), (8.0, 9.0)]).unwrap_err();
    assert_eq!(err, FitError::OneConcurrency { n: 8.0 });
    assert_eq!(
        err.to_string(),
        "every point was measured at concurrency 8: a scalability fit needs several concurrency levels"
    );
}

#[test]
fn degenerate_sweeps_fit_without_panic_or_nan() {
    let flat: Vec<(f64, f64)> = (1..=8).map(|n| (n as f64, 500.0)).collect();
    let spike: Vec<(f64, f64)> = (1..=8).map(|n| (n as f64, if n == 5 { 1e12 } else { 100.0 * n as f64 })).collect();
    let huge: Vec<(f64, f64)> = (1..=8).map(|n| (n as f64, 1e300 * n as f64 / 8.0)).collect();
    let tiny: Vec<(f64, f64)> = (1..=8).map(|n| (n as f64, 1e-300 * n as f64)).collect();
    let wide_n: Vec<(f64, f64)> = [1e-300, 1.0, 1e150, 1e300].iter().map(|&n| (n, 100.0)).collect();
    for points in [flat, spike, huge, tiny, wide_n] {
        match fit(&points) {
            Ok(fit) => {
                assert_finite(&fit);
                assert!(fit.iterations <= 200);
                assert!(fit.throughput(3.0).is_finite());
            }
            Err(e) => assert_eq!(e, FitError::OutOfRange, "{points:?}"),
        }
    }
}

#[test]
fn scaled_throughputs_scale_lambda_only() {
    let base = fit(&cisco()).unwrap();
    let tiny: Vec<(f64, f64)> = cisco().iter().map(|&(n, x)| (n, x * 1e-300)).collect();
    let fit = fit(&tiny).unwrap();
    assert_rel(fit.lambda, base.lambda * 1e-300, 1e-9);
    assert_rel(fit.sigma, base.sigma, 1e-9);
    assert_rel(fit.se_kappa.unwrap(), base.se_kappa.unwrap(), 1e-6);
}

#[test]
fn throughput_draws_the_fit_with_the_planners_usl() {
    let fit = fit(&cisco()).unwrap();
    assert_rel(fit.throughput(1.0), fit.lambda, 1e-15);
    assert_rel(fit.throughput(20.0), fit.lambda * fit.usl().capacity(20.0), 1e-15);
    assert_rel(fit.throughput(20.0), usl(20.0, [fit.lambda, fit.sigma, fit.kappa]), 1e-12);
    assert_eq!(fit.throughput(0.0), 0.0);
}

#[test]
fn flat_throughput_is_all_contention() {
    // X(N) = λ for every N is σ = 1, κ = 0 exactly: the bound σ ≤ 1 is reached.
    let flat: Vec<(f64, f64)> = (1..=8).map(|n| (n as f64, 500.0)).collect();
    let fit = fit(&flat).unwrap();
    assert_rel(fit.lambda, 500.0, 1e-9);
    assert_eq!((fit.sigma, fit.kappa, fit.n_max), (1.0, 0.0, None));
    assert!(fit.warnings.contains(&FitWarning::OnBound { param: Param::Sigma, bound: 1.0 }), "{:?}", fit.warnings);
}

#[test]
fn concurrencies_too_far_apart_for_floating_point_are_an_error() {
    let wide: Vec<(f64, f64)> = [1e-300, 1.0, 1e150, 1e300].iter().map(|&n| (n, 100.0)).collect();
    let err = fit(&wide).unwrap_err();
    assert_eq!(err.to_string(), "the concurrencies and throughputs are too extreme to fit in floating point");
}
