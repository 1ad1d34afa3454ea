//! Exact MVA of a closed network whose stations each have a rate table of their own
//! (any multiplier `α(j)` that never falls with the customers present), not only the
//! servers-with-a-USL shape of [`Station`](super::Station): what a station standing for
//! several private copies of one needs ([`crate::model::capacity`]'s pooled fleet).

use super::mva::{Level, Prepared, SATURATION_GAP};

/// A station given by its rate table: with `j` customers present it completes
/// `rates[j − 1] / demand_ms` per ms, and `rates.last()` for every `j` past the table.
#[derive(Debug, Clone, PartialEq)]
pub struct RatedStation {
    pub demand_ms: f64,
    pub rates: Vec<f64>,
}

/// Throughput per ms and, per station, the mean queue and residence (ms) at `population`.
#[derive(Debug, Clone, PartialEq)]
pub struct RatedSolution {
    pub rate_per_ms: f64,
    pub queues: Vec<f64>,
    pub residence_ms: Vec<f64>,
}

/// Exact MVA of the stations (each visited once a cycle) and a delay of `delay_ms` at
/// `population`, by the same stable marginal recursion as [`super::mva`]. Cost:
/// O(population × table length) per station and complement network.
// Source: Reiser & Lavenberg, JACM 27(2) 1980; Lazowska et al., *Quantitative System
// Performance* (1984), ch. 8 (load-dependent centres given by their rate multipliers).
pub fn mva_rated(stations: &[RatedStation], delay_ms: f64, population: u64) -> RatedSolution {
    let (level, x) = stepped(stations, delay_ms, population, &mut |_, _| true);
    let mut queues = vec![0.0; stations.len()];
    let mut residence_ms = vec![0.0; stations.len()];
    for m in &level.members {
        queues[m.station] = m.q;
        residence_ms[m.station] = m.r;
    }
    RatedSolution { rate_per_ms: x, queues, residence_ms }
}

/// The cycle (delay + residences, ms) of the network at every population 0 ≤ n ≤ `most`:
/// `n / X(n)`, 0 at 0. Once the throughput is within [`SATURATION_GAP`] of the slowest
/// station's peak it stays there (it never falls with the population), and the rest is
/// `n / X` without stepping.
pub fn cycles_rated(stations: &[RatedStation], delay_ms: f64, most: u64) -> Vec<f64> {
    let bound = stations.iter().map(|s| s.rates.last().copied().unwrap_or(1.0) / s.demand_ms).fold(f64::INFINITY, f64::min);
    let mut out = vec![0.0];
    let mut last = 0.0;
    stepped(stations, delay_ms, most, &mut |n, x| {
        out.push(if x > 0.0 { n as f64 / x } else { 0.0 });
        last = x;
        x < bound * (1.0 - SATURATION_GAP)
    });
    for n in out.len() as u64..=most {
        out.push(n as f64 / last);
    }
    out
}

/// The network stepped from 1 to `population` while `each(n, X(n))` says to go on; the
/// last level and its throughput per ms (0 at population 0).
fn stepped(stations: &[RatedStation], delay_ms: f64, population: u64, each: &mut dyn FnMut(u64, f64) -> bool) -> (Level, f64) {
    let prepared: Vec<Prepared> = stations
        .iter()
        .map(|s| {
            let last = s.rates.len().max(1);
            Prepared::with_rates(s.demand_ms, last, &|j| s.rates.get(j - 1).copied().unwrap_or(1.0).max(1e-12))
        })
        .collect();
    let queueing: Vec<usize> = (0..stations.len()).filter(|&i| stations[i].demand_ms > 0.0).collect();
    let mut level = Level::new(&queueing, &prepared, delay_ms.max(0.0));
    let mut x = 0.0;
    for n in 1..=population {
        x = level.step(n, &prepared);
        if !each(n, x) {
            break;
        }
    }
    (level, x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::queueing::{mva_exact, Network, Station, Usl};

    #[test]
    fn a_table_of_a_stations_own_rates_solves_as_that_station() {
        let cpu = Station { demand_ms: 3.0, servers: 4, usl: Usl { sigma: 0.02, kappa: 1e-4 } };
        let db = Station::multi(5.0, 3);
        let table = |s: Station| RatedStation { demand_ms: s.demand_ms, rates: (1..=s.servers).map(|j| s.rate(j)).collect() };
        for n in [1, 2, 7, 30] {
            let exact = mva_exact(&Network { stations: vec![cpu, db], delay_ms: 4.0 }, n);
            let rated = mva_rated(&[table(cpu), table(db)], 4.0, n);
            assert!((rated.rate_per_ms * 1000.0 / exact.throughput_rps - 1.0).abs() < 1e-12, "{n}");
            for i in 0..2 {
                assert!((rated.queues[i] - exact.stations[i].queue).abs() < 1e-9, "{n} {i}");
            }
            let cycles = cycles_rated(&[table(cpu), table(db)], 4.0, n);
            assert!((cycles[n as usize] - exact.cycle_ms).abs() < 1e-9 * exact.cycle_ms, "{n}");
        }
        // Past saturation, without stepping: as the exact solution there.
        let cycles = cycles_rated(&[table(cpu), table(db)], 4.0, 2000);
        let exact = mva_exact(&Network { stations: vec![cpu, db], delay_ms: 4.0 }, 2000);
        assert_eq!(cycles.len(), 2001);
        assert!((cycles[2000] / exact.cycle_ms - 1.0).abs() < 1e-9, "{} vs {}", cycles[2000], exact.cycle_ms);
    }
}
