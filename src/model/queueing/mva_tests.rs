//! Checks of the MVA solver against closed forms, brute-force product forms and itself.

use super::*;

/// Machine repairman (finite-source M/M/c/N/N): N customers, c servers of mean service
/// D, think time Z. Throughput in r/s from the closed-form distribution, in log space.
// Source: Kleinrock (1975) §3.10; Gross & Harris §2.7 (finite-source queues).
fn repairman(n: u64, c: u64, d: f64, z: f64) -> (f64, f64) {
    let mut logs = Vec::new();
    let mut lp = 0.0_f64; // log p(k) up to the normaliser
    for k in 0..=n {
        if k > 0 {
            lp += ((n - k + 1) as f64).ln() + (d / z).ln() - (k.min(c) as f64).ln();
        }
        logs.push(lp);
    }
    let max = logs.iter().cloned().fold(f64::MIN, f64::max);
    let w: Vec<f64> = logs.iter().map(|l| (l - max).exp()).collect();
    let total: f64 = w.iter().sum();
    let busy: f64 = w.iter().enumerate().map(|(k, p)| p * (k as u64).min(c) as f64).sum::<f64>() / total;
    let queue: f64 = w.iter().enumerate().map(|(k, p)| p * k as f64).sum::<f64>() / total;
    (busy / d * 1000.0, queue)
}

fn one_station(n_servers: u64, d: f64, z: f64) -> Network {
    Network { stations: vec![Station::multi(d, n_servers)], delay_ms: z }
}

#[test]
fn mva_matches_machine_repairman_closed_form() {
    for (n, c, d, z, expected) in [(10, 1, 10.0, 90.0, 83.20), (8, 4, 20.0, 60.0, 99.42), (32, 8, 5.0, 45.0, 639.88)] {
        let x = mva_exact(&one_station(c, d, z), n).throughput_rps;
        assert!((x - expected).abs() < 0.005, "N={n} c={c}: {x} vs {expected}");
        assert!((x - repairman(n, c, d, z).0).abs() < 1e-9);
    }
    // A wider grid, including many servers near saturation (the unstable case of the
    // subtraction form of p(0|n)).
    for &(n, c, d, z) in &[(300, 64, 10.0, 40.0), (700, 256, 100.0, 250.0), (200, 3, 10.0, 1.0), (50, 16, 3.0, 500.0)] {
        let sol = mva_exact(&one_station(c, d, z), n);
        let (x, q) = repairman(n, c, d, z);
        assert!((sol.throughput_rps - x).abs() < 1e-7 * x, "N={n} c={c}: {} vs {x}", sol.throughput_rps);
        assert!((sol.stations[0].queue - q).abs() < 1e-6 * q.max(1.0), "N={n} c={c}: {} vs {q}", sol.stations[0].queue);
    }
}

/// Product form of a delay and two load-dependent stations, by brute force.
fn product_form(net: &Network, n: usize) -> (f64, [f64; 2]) {
    let f = |st: &Station, j: usize| (1..=j).map(|i| st.demand_ms / st.rate(i as u64)).product::<f64>();
    let g = |m: usize| -> (f64, [f64; 2]) {
        let (mut total, mut q) = (0.0, [0.0; 2]);
        for j1 in 0..=m {
            for j2 in 0..=(m - j1) {
                let rest = m - j1 - j2;
                let delay = net.delay_ms.powi(rest as i32) / (1..=rest).map(|i| i as f64).product::<f64>();
                let w = f(&net.stations[0], j1) * f(&net.stations[1], j2) * delay;
                total += w;
                q[0] += j1 as f64 * w;
                q[1] += j2 as f64 * w;
            }
        }
        (total, q)
    };
    let (gn, q) = g(n);
    let (gn1, _) = g(n - 1);
    (gn1 / gn * 1000.0, [q[0] / gn, q[1] / gn])
}

#[test]
fn mva_load_dependent_matches_the_product_form() {
    let net = Network {
        stations: vec![
            Station { demand_ms: 4.0, servers: 3, usl: Usl { sigma: 0.05, kappa: 0.01 } },
            Station::multi(6.0, 2),
        ],
        delay_ms: 20.0,
    };
    for n in [1, 2, 5, 12, 25] {
        let sol = mva_exact(&net, n as u64);
        let (x, q) = product_form(&net, n);
        assert!((sol.throughput_rps - x).abs() < 1e-9 * x, "N={n}: {} vs {x}", sol.throughput_rps);
        for (k, (load, q)) in sol.stations.iter().zip(q).enumerate() {
            assert!((load.queue - q).abs() < 1e-9 * q.max(1.0), "N={n} station {k}");
        }
    }
}

#[test]
fn mva_throughput_never_falls_with_the_population_and_stays_under_the_bound() {
    let net = Network {
        stations: vec![
            Station { demand_ms: 3.0, servers: 8, usl: Usl { sigma: 0.01, kappa: 1e-5 } },
            Station::multi(2.0, 20),
        ],
        delay_ms: 30.0,
    };
    let bound = net.stations.iter().map(|s| s.max_rate_per_ms()).fold(f64::INFINITY, f64::min) * 1000.0;
    let mut last = 0.0;
    for n in [1, 2, 5, 10, 50, 100, 200, 500, 2000, 100_000, 4_000_000_000] {
        let x = mva(&net, n).throughput_rps;
        assert!(x.is_finite() && x >= last - 1e-9 && x <= bound * (1.0 + 1e-12), "N={n}: {x}");
        last = x;
    }
}

#[test]
fn mva_saturated_early_stop_matches_the_closed_form_at_the_full_population() {
    let (n, c, d, z) = (5000, 4, 10.0, 10.0);
    let sol = mva_exact(&one_station(c, d, z), n);
    assert_eq!(sol.method, Method::Saturated);
    assert!(sol.exact_population < 100, "{}", sol.exact_population);
    let (x, q) = repairman(n, c, d, z);
    assert!((sol.throughput_rps - x).abs() <= SATURATION_GAP * x * 2.0);
    assert!((sol.stations[0].queue - q).abs() < 1e-6 * q);
    assert!((sol.cycle_ms - n as f64 / sol.rate_per_ms()).abs() < 1e-6 * sol.cycle_ms);
}

/// Worst relative throughput error of [`mva`] (exact to 1024, then the large-population
/// approximation) against exact MVA, over networks whose knee sits near the population.
#[test]
fn large_population_approximation_error_is_below_one_point_two_percent() {
    let mut worst: f64 = 0.0;
    for &c in &[1u64, 2, 4, 8, 32, 128] {
        for &with_db in &[false, true] {
            for &n in &[1100u64, 1500, 2048, 4096] {
                for &knee in &[0.5, 0.8, 0.95, 1.0, 1.05, 1.2, 2.0] {
                    // Knee N* = (Z + D)·C(c)/D: pick Z to put it at knee × N.
                    let cpu = Station { demand_ms: 2.0, servers: c, usl: Usl { sigma: 0.01, kappa: 1e-5 } };
                    let cap = cpu.max_rate_per_ms();
                    let mut stations = vec![cpu];
                    if with_db {
                        stations.push(Station::multi(0.5 * c as f64 * 2.0 / cap.max(1e-9) * 0.6, (c * 3).max(2)));
                    }
                    let delay_ms = (knee * n as f64 / cap - 2.0).max(0.0);
                    let net = Network { stations, delay_ms };
                    let approx = mva(&net, n);
                    let exact = mva_exact(&net, n);
                    let err = (approx.throughput_rps - exact.throughput_rps).abs() / exact.throughput_rps;
                    worst = worst.max(err);
                    assert!(approx.throughput_rps <= exact.throughput_rps * (1.0 + 1e-9), "approximation errs low");
                }
            }
        }
    }
    eprintln!("large-population approximation: worst relative error {:.4} %", worst * 100.0);
    // Measured: 1.12 % at 1100 customers just below the knee, 0.45 % at 4096 (∝ 1/√N).
    assert!(worst < 0.012, "{worst}");
}
