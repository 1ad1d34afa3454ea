//! A closed network whose bottleneck is surely saturated at its population, solved without
//! stepping MVA up to it. With every server of the bottleneck busy, the rest of the network
//! (its other stations and the delay) is what an open network fed at the bottleneck's peak
//! rate holds; when that open network is unlikely enough to hold more than the population
//! less the bottleneck's servers, the throughput is within [`SATURATION_GAP`] of the peak,
//! and the other stations hold what the open network does.
//!
//! Why: a station of 197 connections, saturated at a hold the database's CPU stretched
//! twelvefold, took exact MVA 420–560 populations of a 197-long vector of marginals to reach
//! that gap (100 µs natively, for each of the throughput curve's database-bound points).
//! This takes a few hundred multiplications.

use super::mva::{bottleneck, solution, MvaSolution, Network, SATURATION_GAP};
use super::{open_queue, Station};

/// The solution of `net` at `population` when its bottleneck (the station of the lowest
/// peak rate `B`, with `c` servers) is proved saturated there: the throughput `B`, which the
/// exact one is below by at most [`SATURATION_GAP`] of it; each other station holding the
/// mean of its open queue at `B`; the bottleneck the rest of the population. None when the
/// bound does not prove it (then MVA is stepped).
///
/// The bound: in the product form, with `g(j) = f_b(j)·Bʲ` (nondecreasing when no rate of
/// the bottleneck passes its peak, and constant from `c` on), `P(J = N − m | N)` is
/// proportional to `g(N − m)·π(m)`, π the distribution of what the open network of the
/// rest holds at rate `B`. So the chance that a server of the bottleneck is idle, which
/// bounds `1 − X(N)/B` (`X ≥ B·P(J ≥ c)`), is at most `T/(1 − T)` with `T = P(M > N − c)`
/// under π, and Chernoff's bound gives `T ≤ E[e^{sM}]·e^{−s(N−c+1)}` for any `s > 0`: the
/// product of each station's and the delay's (Poisson) moment generating functions, tried
/// at three values of `s` below `s_max`, where a station's tail stops converging (a bound
/// not proved at them leaves the network to MVA: slower, never wrong).
// Source: the product form of closed networks with load-dependent stations (Baskett,
// Chandy, Muntz & Palacios, JACM 22(2) 1975; QSP ch. 8), conditioned on the bottleneck's
// queue; Chernoff's bound (Mitzenmacher & Upfal, *Probability and Computing* §4.2).
pub(super) fn saturated_at(net: &Network, population: u64) -> Option<MvaSolution> {
    let b = bottleneck(net);
    let top = net.stations.get(b)?;
    let peak = top.max_rate_per_ms();
    if !(peak > 0.0 && peak.is_finite()) || population <= top.servers || !never_past_peak(top) {
        return None;
    }
    // The rest's stations, each with its servers taken at most the population (the closed
    // network never puts more in one, so what it holds up to there is all the bound reads)
    // and the ratio of its geometric tail, `peak·D/C(c)`, which must be under 1.
    let rest = || net.stations.iter().enumerate().filter(move |&(i, st)| i != b && st.demand_ms > 0.0);
    let servers = |st: &Station| st.servers.max(1).min(population);
    let rho = |st: &Station| peak * st.demand_ms / st.rate(servers(st));
    let held = |st: &Station| open_queue(st, peak).unwrap_or(f64::INFINITY);
    // Each try of the bound sums every server count of the rest: past 4,096 of them, MVA's
    // own shortcuts (a station that never fills solved as a delay) may be cheaper.
    if !rest().all(|(_, st)| rho(st) < 1.0) || rest().map(|(_, st)| servers(st)).sum::<u64>() > 4096 {
        return None;
    }
    let a = peak * net.delay_ms.max(0.0);
    let over = (population - top.servers + 1) as f64;
    let mean = a + rest().map(|(_, st)| held(st)).sum::<f64>();
    if !(mean < over) {
        return None;
    }
    // Each try sums every station at 1 again (its normaliser): the first try proves nearly
    // every network that is proved, and the sum kept aside made the page 33 B larger for no
    // fewer instructions.
    let ln_t = |s: f64| {
        let z = s.exp();
        a * (z - 1.0) + rest().map(|(_, st)| ln_sum(st, peak, servers(st), z, true) - ln_sum(st, peak, servers(st), 1.0, false)).sum::<f64>() - s * over
    };
    // T ≤ gap/2, so T/(1 − T) ≤ gap. Tried at the best point of a Poisson of the same mean,
    // then at shares of the largest `s` (nearer it when a station's tail is what is held).
    let most_s = rest().map(|(_, st)| -rho(st).ln()).fold(60.0, f64::min);
    let goal = (0.5 * SATURATION_GAP).ln();
    let poisson = (over / mean).ln().min(0.99 * most_s);
    let proved = [poisson, 0.5 * most_s, 0.9 * most_s].into_iter().any(|s| ln_t(s) <= goal);
    let each = |i: usize| (i != b).then(|| held(&net.stations[i])).map(|q| (q, q / peak));
    proved.then(|| solution(net, population, peak, &each, true, 0))
}

/// Whether no number of customers gives the station more than its peak rate. USL's curve
/// (σ, κ ≥ 0) rises to one peak and then falls, so it has not passed it at `c` exactly
/// when one server fewer does no better.
fn never_past_peak(st: &Station) -> bool {
    let (sigma, kappa) = (st.usl.sigma, st.usl.kappa);
    sigma >= 0.0 && kappa >= 0.0 && st.rate(st.servers.max(2) - 1) <= st.peak_rate()
}

/// `ln Σ w(j)·zʲ` for a station open at rate `peak` with `servers` servers: what it holds is
/// `j` with weight `w(j) = Π_{i ≤ j} peak·D/α(i)`, and past its servers a geometric tail of
/// ratio `rho = peak·D/C(c)`, whose sum is `Σ_{i≥0} (rho·z)ⁱ = 1/(1 − rho·z)` (z ≥ 1,
/// `rho·z` < 1). Scaled down past 1e250, the logarithm kept aside.
///
/// The sum stops once the terms left are below 1e-17 of it: USL's rate rises to one peak
/// and falls, so each later ratio `peak·D/α(i)·z` is at most `q = max(this one's, rho·z)`,
/// and with `q < 1` the terms left (the last with its tail) sum to at most `2w·q/(1 − q)`.
/// With `upper` that bound is added (the sum is never less than the whole one), else it
/// is left out (never more): the Chernoff bound takes the first for `z` and the second
/// for its normaliser at 1, so it stays a bound. A database of 197 connections at the
/// load of its app's CPU sums its first few dozen counts, not all 197.
fn ln_sum(st: &Station, peak: f64, servers: u64, z: f64, upper: bool) -> f64 {
    ln_sum_counted(st, peak, servers, z, upper).0
}

/// [`ln_sum`] and the server counts it summed.
fn ln_sum_counted(st: &Station, peak: f64, servers: u64, z: f64, upper: bool) -> (f64, u64) {
    const BIG: f64 = 1e250;
    let last = peak * st.demand_ms / st.rate(servers) * z;
    let (mut w, mut sum, mut ln_scale) = (1.0, 1.0, 0.0);
    for j in 1..=servers {
        let r = peak * st.demand_ms / st.rate(j);
        w *= r * z;
        sum += if j < servers { w } else { w / (1.0 - r * z) };
        if sum > BIG {
            // By the reciprocal, not a division: the compiler computes the scaled pair on
            // every count and selects it, so a division here lay on each step's path.
            (w, sum, ln_scale) = (w * (1.0 / BIG), sum * (1.0 / BIG), ln_scale + BIG.ln());
        }
        let q = (r * z).max(last);
        if j < servers && q < 1.0 && 2.0 * w * q < 1e-17 * sum * (1.0 - q) {
            if upper {
                sum += 2.0 * w * q / (1.0 - q);
            }
            return (sum.ln() + ln_scale, j);
        }
    }
    (sum.ln() + ln_scale, servers)
}

#[cfg(test)]
mod tests {
    use super::super::mva::{stepped, Method};
    use super::super::Usl;
    use super::*;
    use crate::model::rng::Rng;

    /// A random network: one to three stations of 1 to 256 servers (some with USL's
    /// contention), a delay, and a population around its knee.
    fn random_network(r: &mut Rng) -> (Network, u64) {
        let stations: Vec<Station> = (0..1 + r.below(3))
            .map(|_| {
                let servers = [1, 1 + r.below(8), 1 + r.below(64), 1 + r.below(256)][r.below(4)] as u64;
                let usl = if r.below(4) == 0 { Usl { sigma: 0.05 * r.unit(), kappa: 0.001 * r.unit() } } else { Usl::LINEAR };
                Station { demand_ms: 0.1 + 50.0 * r.unit() * r.unit(), servers, usl }
            })
            .collect();
        let net = Network { stations, delay_ms: [0.0, 500.0 * r.unit()][r.below(2)] };
        let peak = net.stations.iter().map(Station::max_rate_per_ms).fold(f64::INFINITY, f64::min);
        let total = net.delay_ms + net.stations.iter().map(|s| s.demand_ms).sum::<f64>();
        let knee = (peak * total).max(1.0);
        (net, 1 + (knee * 3.0 * r.unit()) as u64 + r.below(40) as u64)
    }

    /// Where the bound proves the bottleneck saturated, MVA stepped to the population
    /// agrees: the throughput within the gap, each station's queue within 1e-6 of the
    /// stepped one's (which stops at the gap, so its queues are those of a smaller
    /// population). The bound is taken for a good share of such networks.
    #[test]
    fn a_network_proved_saturated_is_the_one_stepped_to_its_population() {
        let mut r = Rng(0x5e77_1ed);
        let (mut taken, mut cases) = (0, 0);
        for i in 0..1200 {
            let (net, n) = random_network(&mut r);
            let Some(ours) = saturated_at(&net, n) else { continue };
            let Ok(exact) = stepped(&net, n, n) else { panic!("{i}: stepped {n}") };
            taken += 1;
            let (x, y) = (ours.throughput_rps, exact.throughput_rps);
            assert!(y <= x * (1.0 + 1e-12) && y >= x * (1.0 - 2.0 * SATURATION_GAP), "{i}: {x} against {y} stepped, {net:?} at {n}");
            for (k, (a, e)) in ours.stations.iter().zip(&exact.stations).enumerate() {
                assert!((a.queue - e.queue).abs() <= 1e-6 * e.queue.max(1.0), "{i}: station {k} holds {} against {}, {net:?} at {n}", a.queue, e.queue);
                assert!((a.utilisation - e.utilisation).abs() <= 1e-9, "{i}: station {k}");
            }
            assert!((ours.cycle_ms - exact.cycle_ms).abs() <= 1e-6 * exact.cycle_ms, "{i}: cycle {} against {}", ours.cycle_ms, exact.cycle_ms);
            cases += usize::from(exact.method == Method::Saturated);
        }
        assert!(taken > 400 && cases > 0, "taken for {taken} of 1,200 networks");
    }

    /// The whole sum of [`ln_sum`], every server count summed.
    fn ln_sum_whole(st: &Station, peak: f64, servers: u64, z: f64) -> f64 {
        let (mut w, mut sum, mut ln_scale) = (1.0, 1.0, 0.0);
        for j in 1..=servers {
            let r = peak * st.demand_ms / st.rate(j);
            w *= r * z;
            sum += if j < servers { w } else { w / (1.0 - r * z) };
            if sum > 1e250 {
                (w, sum, ln_scale) = (w / 1e250, sum / 1e250, ln_scale + 1e250_f64.ln());
            }
        }
        sum.ln() + ln_scale
    }

    /// The sum stopped where its terms left are negligible is the whole one within 1e-15
    /// of it (relative to the sum, in the logarithm), never below it with the tail's bound
    /// added and never above it without: over random stations (USL's rising and falling
    /// ones among them) at loads from light to near their peak, and values of `z` up to
    /// near where the tail stops converging.
    #[test]
    fn a_sum_stopped_early_bounds_the_whole_one() {
        let mut r = Rng(0x50d_7a11);
        let mut stopped = 0;
        for i in 0..20_000 {
            let servers = [1, 1 + r.below(8), 1 + r.below(64), 1 + r.below(256), 1 + r.below(4000)][r.below(5)] as u64;
            let usl = if r.below(3) == 0 { Usl { sigma: 0.1 * r.unit(), kappa: 0.01 * r.unit() * r.unit() } } else { Usl::LINEAR };
            let st = Station { demand_ms: 0.1 + 50.0 * r.unit(), servers, usl };
            let servers = servers.min(1 + r.below(5000) as u64);
            let peak_d = st.rate(servers) * [0.001, 0.1, 0.5, 0.9, 0.999][r.below(5)] * r.unit().max(1e-3);
            let peak = peak_d / st.demand_ms;
            let rho = peak * st.demand_ms / st.rate(servers);
            let z = [1.0, 1.0 + r.unit(), 1.0 / rho * (1.0 - 1e-3 * r.unit().max(1e-6))][r.below(3)].max(1.0);
            if !(rho * z < 1.0) {
                continue;
            }
            let whole = ln_sum_whole(&st, peak, servers, z);
            let ((up, summed), down) = (ln_sum_counted(&st, peak, servers, z, true), ln_sum(&st, peak, servers, z, false));
            let tol = 1e-15 * whole.abs().max(1.0);
            assert!(up >= whole - tol && down <= whole + tol, "{i}: {down} ≤ {whole} ≤ {up}, {st:?} {servers} z {z}");
            assert!((up - whole).abs() <= 4.0 * tol && (down - whole).abs() <= 4.0 * tol, "{i}: {down} {whole} {up}");
            stopped += usize::from(summed < servers);
        }
        assert!(stopped > 2000, "stopped early {stopped} times");
    }

    /// A population the bottleneck's servers do not outnumber, a bottleneck tied with
    /// another station, a USL bottleneck whose rate peaks before all its servers are busy,
    /// and a rest too wide to sum cheaply are never taken as saturated.
    #[test]
    fn what_the_bound_cannot_prove_is_stepped() {
        let one = |servers, demand_ms| Station::multi(demand_ms, servers);
        let net = Network { stations: vec![one(8, 8.0)], delay_ms: 1.0 };
        assert!(saturated_at(&net, 8).is_none());
        assert!(saturated_at(&net, 1000).is_some());
        let tied = Network { stations: vec![one(8, 8.0), one(4, 4.0)], delay_ms: 1.0 };
        assert!(saturated_at(&tied, 100_000).is_none());
        let past_peak = Station { demand_ms: 8.0, servers: 64, usl: Usl { sigma: 0.0, kappa: 0.01 } };
        assert!(past_peak.rate(10) > past_peak.peak_rate());
        assert!(saturated_at(&Network { stations: vec![past_peak], delay_ms: 1.0 }, 100_000).is_none());
        // A rest of over 4,096 servers is left to MVA (each try of the bound sums them all).
        let wide = Network { stations: vec![one(1, 10.0), one(5000, 1.0)], delay_ms: 1.0 };
        assert!(saturated_at(&wide, 100_000).is_none());
        let narrower = Network { stations: vec![one(1, 10.0), one(4000, 1.0)], delay_ms: 1.0 };
        assert!(saturated_at(&narrower, 100_000).is_some());
        // Near its knee the throughput is not within the gap, and the bound says so.
        let net = Network { stations: vec![one(4, 10.0)], delay_ms: 100.0 };
        assert!(saturated_at(&net, 20).is_none() && saturated_at(&net, 400).is_some());
    }
}
