//! Queueing math of the capacity model (PLANNER.md §3), pure and unit-free except that
//! times are in milliseconds and rates per millisecond unless a name says `rps`.
//!
//! - [`usl_capacity`]: Gunther's Universal Scalability Law; [`usl_fit`] fits it to a load test.
//! - [`mva`]: exact Mean Value Analysis of a closed network of load-dependent
//!   multi-server stations and a delay, with a large-population approximation.
//! - [`open_queue`]: the same stations fed by an open (Poisson) stream.
//! - [`erlang_c`], [`mmc_wait`], [`response_percentile`]: the M/M/c queue, the
//!   Allen–Cunneen correction and percentiles of the response-time distribution.

// `!(x > 0.0)` is meant: it is also true for NaN, which these guards must catch.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

mod erlang;
mod mva;
mod open;
mod rated;
mod settled;
mod shape;
pub mod usl_fit;
#[cfg(test)]
pub mod sim;

pub use erlang::*;
pub use mva::*;
pub use open::*;
pub use rated::*;
pub use shape::*;

/// Effective capacity of `n` servers by the Universal Scalability Law,
/// `C(n) = n / (1 + σ(n−1) + κ n(n−1))`; σ is contention, κ coherency.
// Source: N. J. Gunther, *Guerrilla Capacity Planning* (Springer 2007), ch. 4, eq. (4.31).
pub fn usl_capacity(n: f64, sigma: f64, kappa: f64) -> f64 {
    if n <= 0.0 {
        return 0.0;
    }
    if sigma == 0.0 && kappa == 0.0 && n.is_finite() {
        // n / 1, without the division: MVA asks for every server count.
        return n;
    }
    n / (1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0))
}

/// The servers count at which the USL capacity peaks, `√((1−σ)/κ)` (∞ when κ = 0).
// Source: Gunther (2007), ch. 4, eq. (4.33).
pub fn usl_peak(sigma: f64, kappa: f64) -> f64 {
    if kappa <= 0.0 {
        f64::INFINITY
    } else {
        ((1.0 - sigma).max(0.0) / kappa).sqrt()
    }
}

/// The `x` in `[lo, hi]` where a non-decreasing `f` reaches `target`, from below: the
/// returned `x` has `f(x) < target` (or is `lo`) and lies within `rel_tol · x` of the
/// crossing. `f` may be `+∞` (e.g. past a stability limit). Illinois false position,
/// with bisection whenever an end is infinite.
// Source: Dowell & Jarratt, "A modified regula falsi method for computing the root of an
// equation", BIT 11 (1971) (the Illinois method).
pub fn solve_increasing(f: impl Fn(f64) -> f64, lo: f64, hi: f64, target: f64, rel_tol: f64) -> f64 {
    let (mut a, mut b) = (lo, hi);
    let (mut fa, mut fb) = (f(a) - target, f(b) - target);
    if !(fa < 0.0) {
        return a;
    }
    if fb < 0.0 {
        return b;
    }
    let mut side = 0;
    for _ in 0..200 {
        if b - a <= rel_tol * b.abs() {
            break;
        }
        let secant = (a * fb - b * fa) / (fb - fa);
        let m = if fb.is_finite() && secant > a && secant < b { secant } else { 0.5 * (a + b) };
        let fm = f(m) - target;
        if fm < 0.0 {
            (a, fa) = (m, fm);
            if side == -1 {
                fb *= 0.5;
            }
            side = -1;
        } else {
            (b, fb) = (m, fm);
            if side == 1 {
                fa *= 0.5;
            }
            side = 1;
        }
    }
    a
}

/// USL coefficients of a station: σ (contention) and κ (coherency).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Usl {
    pub sigma: f64,
    pub kappa: f64,
}

impl Usl {
    /// No contention: `c` servers do `c` times the work of one.
    pub const LINEAR: Usl = Usl { sigma: 0.0, kappa: 0.0 };

    /// `C(n)` of these coefficients ([`usl_capacity`]).
    pub fn capacity(self, n: f64) -> f64 {
        usl_capacity(n, self.sigma, self.kappa)
    }

    /// Whether `C(n) = n` (an ordinary multi-server station).
    pub fn is_linear(self) -> bool {
        self.sigma == 0.0 && self.kappa == 0.0
    }
}

/// A load-dependent multi-server station: `servers` identical servers whose
/// throughput with `j` customers present is `C(min(j, servers)) / demand_ms`.
///
/// With [`Usl::LINEAR`] this is the ordinary M/M/c-type station (rate `min(j, c)/D`).
/// With USL coefficients the `min(j, c)` busy servers slow each other down as the
/// USL says, so the station's peak rate is `C(c)/D`, reached once all `c` are busy.
// Source: Lazowska, Zahorjan, Graham, Sevcik, *Quantitative System Performance*
// (1984), ch. 8 (load-dependent service centres: a rate multiplier per queue length).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Station {
    /// Service demand of one request at one server running alone, ms.
    pub demand_ms: f64,
    pub servers: u64,
    pub usl: Usl,
}

impl Station {
    /// An ordinary `servers`-server station.
    pub fn multi(demand_ms: f64, servers: u64) -> Station {
        Station { demand_ms, servers: servers.max(1), usl: Usl::LINEAR }
    }

    /// The rate multiplier with `j` customers present: `C(min(j, servers))`.
    pub fn rate(&self, j: u64) -> f64 {
        self.usl.capacity(j.min(self.servers.max(1)) as f64)
    }

    /// The multiplier with every server busy, `C(servers)`.
    pub fn peak_rate(&self) -> f64 {
        self.rate(self.servers.max(1))
    }

    /// Most completions per ms: `C(servers) / demand` (∞ for a zero demand).
    pub fn max_rate_per_ms(&self) -> f64 {
        if self.demand_ms > 0.0 {
            self.peak_rate() / self.demand_ms
        } else {
            f64::INFINITY
        }
    }

    /// Share of the station's peak capacity used at `rate_per_ms`: `X·D / C(c)`.
    pub fn utilisation(&self, rate_per_ms: f64) -> f64 {
        if self.demand_ms > 0.0 {
            rate_per_ms * self.demand_ms / self.peak_rate()
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usl_capacity_is_linear_without_contention_and_peaks_at_the_square_root_rule() {
        assert_eq!(usl_capacity(8.0, 0.0, 0.0), 8.0);
        assert_eq!(usl_capacity(1.0, 0.3, 0.1), 1.0);
        assert!((usl_capacity(4.0, 0.01, 0.0) - 4.0 / 1.03).abs() < 1e-12);
        let (s, k) = (0.02, 0.0001);
        let peak = usl_peak(s, k);
        assert!((peak - 98.99).abs() < 0.01, "{peak}");
        assert!(usl_capacity(99.0, s, k) > usl_capacity(150.0, s, k));
        assert!(usl_capacity(99.0, s, k) > usl_capacity(60.0, s, k));
    }

    #[test]
    fn station_rate_stops_growing_once_every_server_is_busy() {
        let st = Station { demand_ms: 2.0, servers: 4, usl: Usl { sigma: 0.01, kappa: 0.0 } };
        assert_eq!(st.rate(1), 1.0);
        assert_eq!(st.rate(9), st.rate(4));
        assert!((st.max_rate_per_ms() - usl_capacity(4.0, 0.01, 0.0) / 2.0).abs() < 1e-12);
    }
}

#[cfg(test)]
mod mva_tests;
