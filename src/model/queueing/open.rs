//! Stations fed by an open (Poisson) stream, and the large-population approximation of
//! a closed network built on them.

use super::erlang::erlang_c;
use super::mva::{Method, MvaSolution, Network, StationLoad, EXACT_POPULATION};
use super::{solve_increasing, Station};

/// Mean requests at `st` fed by a Poisson stream of `rate_per_ms`; None when the stream
/// reaches the station's peak rate `C(c)/D` (the queue grows without bound).
///
/// A linear station is M/M/c: `L = a + C(c, a)·ρ/(1 − ρ)` with `a = λD`, `ρ = a/c`. A USL
/// station is the birth–death chain with birth rate λ and death rate `α(j)/D`:
/// `π(j) ∝ Π_{i≤j} a/α(i)`, geometric with ratio `a/C(c)` beyond `c`.
// Source: Kleinrock, *Queueing Systems* vol. 1 (1975), §3.1 (birth–death equilibrium) and
// §3.5, eq. (3.41) (M/M/c mean queue).
pub fn open_queue(st: &Station, rate_per_ms: f64) -> Option<f64> {
    if !(rate_per_ms > 0.0) || !(st.demand_ms > 0.0) {
        return Some(0.0);
    }
    let c = st.servers.max(1);
    let a = rate_per_ms * st.demand_ms;
    let r = a / st.peak_rate();
    if !(r < 1.0) {
        return None;
    }
    if st.usl.is_linear() {
        let rho = a / c as f64;
        return Some(a + erlang_c(c, a) * rho / (1.0 - rho));
    }
    let (mut t, mut s0, mut s1) = (1.0_f64, 1.0_f64, 0.0_f64);
    for j in 1..c {
        let ratio = a / st.rate(j);
        t *= ratio;
        s0 += t;
        s1 += j as f64 * t;
        if t > 1e250 {
            (t, s0, s1) = (t * 1e-250, s0 * 1e-250, s1 * 1e-250);
        }
        // USL is unimodal, so later ratios are at most max(ratio, r) < 1: the rest of the
        // sums is below t·(j+2)/(1−q)², negligible once that is under 1e-17 of them.
        let q = ratio.max(r);
        if q < 1.0 && t * (j as f64 + 2.0) < 1e-17 * (1.0 - q).powi(2) * s1.min(s0) {
            return Some(s1 / s0);
        }
    }
    t *= r; // π(c): α(c) = C(c)
    s0 += t / (1.0 - r);
    s1 += t * (c as f64 / (1.0 - r) + r / ((1.0 - r) * (1.0 - r)));
    Some(s1 / s0)
}

/// Mean time at `st` fed at `rate_per_ms`, ms (Little: `L/λ`; `D/α(1)` as λ → 0); None
/// when unstable.
// Source: Little's law, Little (1961); QSP ch. 3.
pub fn open_residence_ms(st: &Station, rate_per_ms: f64) -> Option<f64> {
    if !(rate_per_ms > 0.0) {
        return Some(if st.demand_ms > 0.0 { st.demand_ms / st.rate(1) } else { 0.0 });
    }
    open_queue(st, rate_per_ms).map(|q| q / rate_per_ms)
}

/// Large-population approximation of a closed network: the throughput X at which the
/// population fills the delay and every station as the open network would,
/// `N = X·Z + Σ_k Q_k(X)` ([`open_queue`]), solved by false position between `lower_per_ms`
/// (a known lower bound, e.g. exact MVA at a smaller population) and the asymptotic
/// bounds `min(C(c_k)/D_k, N/(Z + Σ D_k))`. It errs low by O(1/√N) near the knee of the
/// throughput curve and vanishes away from it; measured below 1.2 % past [`EXACT_POPULATION`].
// Source: Whitt, "Open and closed models for networks of queues", AT&T Bell Labs Tech. J.
// 63(9) 1984 (the closed network approaches the open one as N grows); asymptotic bounds:
// Lazowska et al., *Quantitative System Performance* (1984), ch. 5.
pub fn large_population(net: &Network, population: u64, lower_per_ms: f64) -> MvaSolution {
    let n = population as f64;
    let z = net.delay_ms.max(0.0);
    let total_demand: f64 = net.stations.iter().map(|s| s.demand_ms.max(0.0)).sum();
    let bound = net.stations.iter().map(Station::max_rate_per_ms).fold(f64::INFINITY, f64::min);
    let hi_bound = if z + total_demand > 0.0 { n / (z + total_demand) } else { f64::INFINITY };
    let fills = |x: f64| -> f64 {
        let mut total = x * z;
        for st in &net.stations {
            match open_queue(st, x) {
                Some(q) => total += q,
                None => return f64::INFINITY,
            }
        }
        total
    };
    let hi = bound.min(hi_bound);
    let lo = lower_per_ms.max(0.0).min(hi);
    // Solved on −1/fills, nearly linear near the pole of the open queues at `bound`.
    let x = if hi.is_finite() { solve_increasing(|x| -1.0 / fills(x), lo, hi, -1.0 / n, 1e-13) } else { lo };
    let stations = net
        .stations
        .iter()
        .map(|st| {
            let queue = open_queue(st, x).unwrap_or(n);
            let residence_ms = if x > 0.0 { queue / x } else { st.demand_ms.max(0.0) };
            StationLoad { utilisation: st.utilisation(x).min(1.0), queue, residence_ms }
        })
        .collect();
    MvaSolution {
        population,
        throughput_rps: x * 1000.0,
        cycle_ms: if x > 0.0 { n / x } else { z + total_demand },
        stations,
        method: Method::LargePopulation,
        exact_population: population.min(EXACT_POPULATION),
    }
}
