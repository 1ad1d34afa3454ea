//! Exact Mean Value Analysis of a closed single-class network: load-dependent
//! multi-server stations ([`Station`]) and one delay (think time), with the
//! marginal-probability recursion made numerically stable, an early stop once the
//! bottleneck saturates (and no stepping at all where a bound proves it saturated at the
//! population, `settled.rs`), and a large-population approximation past [`EXACT_POPULATION`].

use super::erlang::erlang_b;
use super::open::large_population;
use super::Station;

/// Populations stepped exactly (1, 2, … this) before the large-population
/// approximation takes over for a larger, unsaturated population.
pub const EXACT_POPULATION: u64 = 1024;

/// Relative gap to the bottleneck's peak rate at which the network counts as saturated:
/// throughput never falls with the population and never exceeds the bound, so stopping
/// there errs by at most this share.
pub const SATURATION_GAP: f64 = 1e-10;

/// Marginal probabilities below this are dropped from the top of a station's vector.
/// They sit in the upper tail, above the mode, where the recursion's multipliers
/// `X·D/α(j)` are below 1 and the tail only moves up with the mode: what is dropped
/// stays negligible (checked against closed forms up to 256 servers in the tests).
const TRIM: f64 = 1e-20;

/// A closed network: the stations every request visits once, and a delay (no queueing).
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub stations: Vec<Station>,
    /// Time per cycle spent off every station (think time / off-CPU wait), ms.
    pub delay_ms: f64,
}

/// One station's figures in a solution.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StationLoad {
    /// Share of the station's peak capacity in use, `X·D/C(c)` (0–1).
    pub utilisation: f64,
    /// Mean requests at the station (waiting or in service).
    pub queue: f64,
    /// Mean time a request spends at the station, ms.
    pub residence_ms: f64,
}

/// How a solution was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Exact MVA up to the population.
    Exact,
    /// Exact MVA up to the population where the bottleneck saturated (throughput within
    /// [`SATURATION_GAP`] of its bound); the extra requests queue at the bottleneck.
    Saturated,
    /// The large-population approximation ([`large_population`]).
    LargePopulation,
}

/// The solution of a network at one population.
#[derive(Debug, Clone, PartialEq)]
pub struct MvaSolution {
    pub population: u64,
    pub throughput_rps: f64,
    /// One cycle (delay + every station's residence) = population / throughput, ms.
    pub cycle_ms: f64,
    /// In the order of [`Network::stations`].
    pub stations: Vec<StationLoad>,
    pub method: Method,
    /// The largest population solved exactly (0 when none was: the bottleneck was proved
    /// saturated, [`super::settled::saturated_at`]).
    pub exact_population: u64,
}

impl MvaSolution {
    /// Throughput per ms.
    pub fn rate_per_ms(&self) -> f64 {
        self.throughput_rps / 1000.0
    }
}

/// A station as the solver sees it: the rate table `d/α(j)` and the weights of the
/// residence-time correction, for `j` up to what the population can reach.
pub(super) struct Prepared {
    /// Servers, capped at the population (vector length bound).
    servers: usize,
    /// `d / C(c)`: time per request once every server is busy.
    d_full: f64,
    /// `inv[j] = d / α(j)` for 1 ≤ j < servers (inv[0] unused).
    inv: Vec<f64>,
    /// `excess[i] = (i+1)(d/α(i+1) − d/C(c))` for i < servers.
    excess: Vec<f64>,
}

impl Prepared {
    fn new(st: &Station, population: u64) -> Prepared {
        let servers = st.servers.max(1).min(population.max(1)) as usize;
        Prepared::with_rates(st.demand_ms, servers, &|j| st.rate(j as u64))
    }

    /// A station of demand `d` whose rate multiplier with `j` customers is `rate(j)` for
    /// 1 ≤ j ≤ `servers`, and `rate(servers)` beyond.
    pub(super) fn with_rates(d: f64, servers: usize, rate: &dyn Fn(usize) -> f64) -> Prepared {
        let servers = servers.max(1);
        let d_full = d / rate(servers);
        let (mut inv, mut excess) = (Vec::with_capacity(servers), Vec::with_capacity(servers));
        inv.push(0.0);
        // One division per server count: d/α(j) is both inv[j] and the rate in excess[j − 1].
        for j in 1..=servers {
            let d_over_rate = d / rate(j);
            if j < servers {
                inv.push(d_over_rate);
            }
            excess.push(j as f64 * (d_over_rate - d_full));
        }
        Prepared { servers, d_full, inv, excess }
    }
}

/// One station's state inside one (sub)network: `p[j] = p(j | n)` for j < len, `q = Q(n)`,
/// `corr = Σ_i p[i]·excess[i]` (the residence-time correction for the next step).
pub(super) struct Marginal {
    pub(super) station: usize,
    p: Vec<f64>,
    next: Vec<f64>,
    pub(super) q: f64,
    pub(super) r: f64,
    corr: f64,
}

/// A (sub)network of some of the stations plus the delay, stepped one population at a time.
/// `subs[i]` is this network without its i-th station, whose throughput gives that
/// station's idle probability multiplicatively: `p(0|n) = p(0|n−1)·X(n)/X₋ᵢ(n)`
/// (no subtraction, hence no cancellation near saturation).
// Source: Reiser & Lavenberg, "Mean-value analysis of closed multichain queueing
// networks", JACM 27(2) 1980 (marginal probabilities); the complement-network form of
// p(0|n) follows from p(0|n) = G₋ᵢ(n)/G(n) and X(n) = G(n−1)/G(n); the instability
// it avoids: Casale & Serazzi, "Stabilization techniques for load-dependent queueing
// network algorithms" (2005).
pub(super) struct Level {
    pub(super) members: Vec<Marginal>,
    subs: Vec<Option<Level>>,
    sub_x: Vec<f64>,
    delay: f64,
    x: f64,
}

impl Level {
    pub(super) fn new(stations: &[usize], prepared: &[Prepared], delay: f64) -> Level {
        let members: Vec<Marginal> =
            stations
            .iter()
            .map(|&s| {
                let corr = prepared[s].excess.first().copied().unwrap_or(0.0); // p(0|0) = 1
                Marginal { station: s, p: vec![1.0], next: Vec::new(), q: 0.0, r: 0.0, corr }
            })
            .collect();
        let subs = stations
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                // A single-server station needs no idle probability (its correction is 0).
                (prepared[s].servers > 1).then(|| {
                    let rest: Vec<usize> = stations.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, &t)| t).collect();
                    Level::new(&rest, prepared, delay)
                })
            })
            .collect();
        Level { members, subs, sub_x: vec![0.0; stations.len()], delay, x: 0.0 }
    }

    /// Advances to population `n` (from `n − 1`) and returns `X(n)` per ms.
    pub(super) fn step(&mut self, n: u64, prepared: &[Prepared]) -> f64 {
        let nf = n as f64;
        for (x, sub) in self.sub_x.iter_mut().zip(self.subs.iter_mut()) {
            *x = sub.as_mut().map_or(f64::INFINITY, |s| s.step(n, prepared));
        }
        let mut total = self.delay;
        for m in &mut self.members {
            m.r = prepared[m.station].d_full * (1.0 + m.q) + m.corr;
            total += m.r;
        }
        // Mean value theorem: X(n) = n / (Z + Σ R_k(n)); an empty network with Z = 0 is ∞.
        let x = if total > 0.0 { nf / total } else { f64::INFINITY };
        for (m, &x_sub) in self.members.iter_mut().zip(&self.sub_x) {
            let st = &prepared[m.station];
            let len = (m.p.len() + 1).min(st.servers);
            let p0 = if x_sub.is_finite() && x_sub > 0.0 { (m.p[0] * x / x_sub).min(1.0) } else { 0.0 };
            m.corr = planner_kernel::advance(&m.p, &st.inv, &st.excess, x, p0, len, TRIM, &mut m.next);
            std::mem::swap(&mut m.p, &mut m.next);
            m.q = x * m.r;
        }
        self.x = x;
        x
    }
}

/// Exact MVA of `net` at `population`, stepping every population up to it unless the
/// bottleneck saturates first ([`Method::Saturated`]). Cost: O(population × servers).
/// An ordinary station with at least `population` servers is a pure delay and is solved
/// as one. For large populations use [`mva`].
// Source: Lazowska et al., *Quantitative System Performance* (1984), ch. 6, Algorithm 6.1
// (exact MVA), extended to load-dependent centres as in ch. 8 and Reiser & Lavenberg (1980):
// R_k(n) = Σ_j j·D_k/α_k(j)·p_k(j−1|n−1), X(n) = n/(Z + Σ R_k(n)),
// p_k(j|n) = X(n)·D_k/α_k(j)·p_k(j−1|n−1). For j ≥ c the rate is constant, so
// R_k(n) = D_k/C(c)·(1 + Q_k(n−1)) + Σ_{i<c−1} (i+1)(D_k/α(i+1) − D_k/C(c))·p_k(i|n−1)
// needs only the c − 1 lowest marginals.
pub fn mva_exact(net: &Network, population: u64) -> MvaSolution {
    match solve(net, population, population) {
        Ok(sol) => sol,
        Err(x) => large_population(net, population, x), // not reached: steps = population
    }
}

/// MVA of `net` at any population: exact up to [`EXACT_POPULATION`] (or the saturation of
/// the bottleneck, whichever comes first), then the large-population approximation
/// bounded below by the exact throughput at [`EXACT_POPULATION`] (throughput never
/// falls with the population). Its error is measured in the tests: below 1.2 %, low
/// (worst just below the knee at 1100 customers; it shrinks as 1/√N).
pub fn mva(net: &Network, population: u64) -> MvaSolution {
    match solve(net, population, population.min(EXACT_POPULATION)) {
        Ok(sol) => sol,
        Err(lower) => large_population(net, population, lower),
    }
}

/// Blocking probability below which an ordinary multi-server station is solved as a delay.
pub const DELAY_BLOCKING: f64 = 1e-15;

/// Stations with nonzero demand, split into queueing ones and those solved as delays:
/// an ordinary station with at least as many servers as customers never queues, and
/// one whose Erlang B blocking, offered the most the network can ever send it, is below
/// [`DELAY_BLOCKING`] queues with less than that probability (its error is below it).
// Source: QSP ch. 8 (a load-dependent centre with α(j) = j is a delay centre); Erlang B as
// an upper bound of the all-busy probability of a Poisson-fed station (Kleinrock §3.6).
fn split(net: &Network, steps: u64) -> (Vec<usize>, f64) {
    let mut queueing = Vec::new();
    let mut delay = net.delay_ms.max(0.0);
    let total: f64 = delay + net.stations.iter().map(|s| s.demand_ms.max(0.0)).sum::<f64>();
    let most = net.stations.iter().map(Station::max_rate_per_ms).fold(steps as f64 / total, f64::min);
    for (i, st) in net.stations.iter().enumerate() {
        if !(st.demand_ms > 0.0) {
            continue;
        }
        let never_full = st.servers >= steps || erlang_b(st.servers, most * st.demand_ms) < DELAY_BLOCKING;
        if st.usl.is_linear() && never_full {
            delay += st.demand_ms;
        } else {
            queueing.push(i);
        }
    }
    (queueing, delay)
}

/// Exact MVA of a network stepped one population at a time, its stations split for
/// `steps` populations ([`split`]).
struct Stepper {
    prepared: Vec<Prepared>,
    level: Level,
    /// The lowest station's peak rate per ms: no population gets past it.
    bound: f64,
}

impl Stepper {
    fn new(net: &Network, steps: u64) -> Stepper {
        let (queueing, delay) = split(net, steps);
        let prepared: Vec<Prepared> = net.stations.iter().map(|s| Prepared::new(s, steps)).collect();
        let bound = net.stations.iter().map(Station::max_rate_per_ms).fold(f64::INFINITY, f64::min);
        let level = Level::new(&queueing, &prepared, delay);
        Stepper { prepared, level, bound }
    }

    /// Advances to population `n` (from `n − 1`); `X(n)` per ms.
    fn step(&mut self, n: u64) -> f64 {
        self.level.step(n, &self.prepared)
    }

    /// Whether `x` is within [`SATURATION_GAP`] of the bound: stepping further changes nothing.
    fn saturated(&self, x: f64) -> bool {
        x >= self.bound * (1.0 - SATURATION_GAP)
    }
}

/// Steps MVA up to `steps`; answers at `population` when it got there or saturated
/// on the way, else gives the throughput per ms at `steps` (a lower bound). A bottleneck
/// proved saturated at `population` is not stepped to ([`super::settled::saturated_at`]).
fn solve(net: &Network, population: u64, steps: u64) -> Result<MvaSolution, f64> {
    match super::settled::saturated_at(net, population) {
        Some(sol) => Ok(sol),
        None => stepped(net, population, steps),
    }
}

/// [`solve`] by stepping MVA only.
pub(super) fn stepped(net: &Network, population: u64, steps: u64) -> Result<MvaSolution, f64> {
    let mut stepper = Stepper::new(net, steps);
    let mut reached = 0;
    let mut saturated = false;
    for n in 1..=steps {
        let x = stepper.step(n);
        reached = n;
        if stepper.saturated(x) {
            saturated = n < population;
            break;
        }
    }
    let Stepper { level, bound, .. } = stepper;
    if reached < population && !saturated {
        return Err(level.x);
    }
    let x = level.x.min(bound);
    Ok(solution(net, population, x, &|i| level.members.iter().find(|m| m.station == i).map(|m| (m.q, m.r)), saturated, reached))
}

/// The solution at `population` of throughput `x` per ms, each station's queue and
/// residence from `held` (a station it has none for is a delay); when `saturated`, the
/// requests beyond what the others hold all wait at the bottleneck.
pub(super) fn solution(net: &Network, population: u64, x: f64, held: &dyn Fn(usize) -> Option<(f64, f64)>, saturated: bool, reached: u64) -> MvaSolution {
    let mut loads: Vec<StationLoad> = net
        .stations
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let (queue, residence_ms) = match held(i) {
                Some(m) => m,
                None if st.demand_ms > 0.0 => (x * st.demand_ms, st.demand_ms),
                None => (0.0, 0.0),
            };
            StationLoad { utilisation: st.utilisation(x).min(1.0), queue, residence_ms }
        })
        .collect();
    if saturated {
        // The requests beyond the saturation population all wait at the bottleneck.
        let b = bottleneck(net);
        let others: f64 = loads.iter().enumerate().filter(|&(i, _)| i != b).map(|(_, l)| l.queue).sum();
        let queue = (population as f64 - x * net.delay_ms.max(0.0) - others).max(loads[b].queue);
        loads[b] = StationLoad { utilisation: 1.0_f64.min(loads[b].utilisation), queue, residence_ms: queue / x };
    }
    let cycle_ms = net.delay_ms.max(0.0) + loads.iter().map(|l| l.residence_ms).sum::<f64>();
    MvaSolution {
        population,
        throughput_rps: x * 1000.0,
        cycle_ms,
        stations: loads,
        method: if saturated { Method::Saturated } else { Method::Exact },
        exact_population: reached,
    }
}

/// Index of the station with the lowest peak rate (the first of equals).
pub(super) fn bottleneck(net: &Network) -> usize {
    let mut best = 0;
    for (i, st) in net.stations.iter().enumerate() {
        if st.max_rate_per_ms() < net.stations[best].max_rate_per_ms() {
            best = i;
        }
    }
    best
}
