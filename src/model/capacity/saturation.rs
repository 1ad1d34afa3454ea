//! One node at saturation: every slot busy, the throughput of its closed network (exact
//! MVA), with the hold its database's CPU makes at the fleet's load.

use super::Node;
use crate::model::queueing::{self, MvaSolution};

/// One node's saturated network and throughput (r/s): [`saturated_with`] at the hold the
/// database's load makes. With the database on a host of its own, its CPU stretches the
/// hold as more connections are busy ([`Node::db_hold_at`]); the busy connections follow
/// from the throughput, so the two are solved together: a fixed point h = g(h), g rising
/// in h (a longer hold keeps more connections busy). The throughput at a trial hold is
/// taken from the solution at the hold entered, the slots' cycle lengthened by the extra
/// hold; when that moves the hold by over 1 %, exact solutions at the hold found follow
/// until it moves by under 0.1 %.
pub(super) fn saturated(node: &Node) -> (MvaSolution, f64) {
    if super::pooled::pooled(node) {
        return super::pooled::saturated_pooled(node);
    }
    let hold0 = node.db_hold_ms;
    let first = saturated_with(node, hold0);
    if !(node.db_cpu_ms > 0.0) || node.db_station().is_none() || !(first.1 > 0.0) {
        return first;
    }
    let mut cycles = Vec::new();
    let mut hold_at = |busy: f64| hold_in_table(node, &mut cycles, busy);
    let rate_at = |hold: f64| lengthened(node, first.1, hold - hold0);
    let mut hold = hold0;
    for _ in 0..60 {
        let next = hold_at(busy_at(node, hold, rate_at(hold)));
        let done = (next - hold).abs() <= 1e-4 * hold;
        hold = next;
        if done {
            break;
        }
    }
    if hold <= SOLVED_AGAIN_PAST * hold0 {
        return (first.0, rate_at(hold));
    }
    let mut out = saturated_with(node, hold);
    for _ in 0..8 {
        let next = hold_at(busy_at(node, hold, out.1));
        if (next - hold).abs() <= 1e-3 * hold {
            break;
        }
        hold = next;
        out = saturated_with(node, hold);
    }
    out
}

/// How far past the hold entered (a share of it) the hold found may be before [`saturated`]
/// solves the network again at it, rather than lengthen the slots' cycle ([`lengthened`]).
const SOLVED_AGAIN_PAST: f64 = 1.01;

/// The fleet's server connections busy (at most all of them) at `x` r/s per node, each
/// database request holding one `hold` ms (Little's law).
fn busy_at(node: &Node, hold: f64, x: f64) -> f64 {
    (f64::from(node.replicas.max(1)) * x / 1000.0 * node.db_share * hold).min(node.db_servers as f64)
}

/// The saturated throughput `x0` (r/s) at the hold entered, taken to a hold `dh` ms longer:
/// every slot busy, so the slots' cycle (slots ÷ throughput) lengthens by the share of
/// requests that hold a connection times `dh`.
fn lengthened(node: &Node, x0: f64, dh: f64) -> f64 {
    let cycle0 = node.slots as f64 * 1000.0 / x0;
    x0 * cycle0 / (cycle0 + node.db_share * dh)
}

/// The hold at `busy` ([`Node::db_hold_in`]) from `cycles`, a table of the database's
/// cycles the search keeps: solved again, twice as long, only when `busy` is past its end.
#[inline(never)]
fn hold_in_table(node: &Node, cycles: &mut Vec<f64>, busy: f64) -> f64 {
    if busy.floor() + 2.0 > cycles.len() as f64 {
        *cycles = node.db_cycles((busy.floor().max(0.0) as u64 + 1).max(2 * cycles.len() as u64));
    }
    node.db_hold_in(cycles, busy)
}

/// One node's saturated network and throughput (r/s) with its share `k` of the server
/// connections, each database request holding one `hold` ms: exact MVA at ⌊k⌋ and ⌈k⌉
/// connections, weighted by the fraction.
fn saturated_with(node: &Node, hold: f64) -> (MvaSolution, f64) {
    with_population(node, hold, node.slots)
}

/// One node's throughput (r/s) with `population` requests in it and none waiting for a
/// slot: a closed-loop load test's connections, up to the slots (beyond, [`saturated`]'s).
/// Exact MVA at ⌊n⌋ and ⌈n⌉, weighted by the fraction (Little's law may give a fractional n).
// Source: Reiser & Lavenberg (1980), exact MVA; the same network as [`saturated`].
pub fn closed_throughput_rps(node: &Node, population: f64) -> f64 {
    let n = population.max(0.0).min(node.slots as f64);
    let whole = n.floor() as u64;
    let frac = n - whole as f64;
    let at = |p: u64| if p == 0 { 0.0 } else { with_population(node, node.db_hold_ms, p).1 };
    if frac < 1e-12 {
        at(whole)
    } else {
        (1.0 - frac) * at(whole) + frac * at(whole + 1)
    }
}

/// [`saturated_with`] at `population` requests in the node.
fn with_population(node: &Node, hold: f64, population: u64) -> (MvaSolution, f64) {
    let k = node.db_share_of_servers();
    let whole = k.floor().max(0.0) as u64;
    let frac = k - whole as f64;
    if node.db_station().is_none() || frac < 1e-9 {
        let s = queueing::mva(&node.network_with_hold(whole.max(1), hold), population);
        let x = s.throughput_rps;
        return (s, x);
    }
    let upper = queueing::mva(&node.network_with_hold(whole + 1, hold), population);
    let x_upper = upper.throughput_rps;
    if whole == 0 {
        return (upper, frac * x_upper);
    }
    let lower = queueing::mva(&node.network_with_hold(whole, hold), population);
    let x = (1.0 - frac) * lower.throughput_rps + frac * x_upper;
    (if frac >= 0.5 { upper } else { lower }, x)
}
